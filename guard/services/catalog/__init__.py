"""What is sold and how: products and campaigns configured through the API, scripts and their linting."""
