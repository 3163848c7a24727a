"""Running the guard: API keys, scheduled jobs, the dashboard's figures."""
