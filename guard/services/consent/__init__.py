"""Consent to marketing and the provenance of numbers: record, withdraw, list, answer "how did you get my number?"."""
