"""The call: may this number be dialled now (check), may these numbers (scrub), and the decisions read back."""
