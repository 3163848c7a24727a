"""What customers say, turned into what dialers may do next: call outcomes, complaints, customer profiles,
the customer overview (the blacklist itself is the top-level `blacklist` package)."""
