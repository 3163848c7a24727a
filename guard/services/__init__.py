"""The use cases (the imperative shell): read facts from the store, ask the pure core, record.

One room per domain: `calls` (the check, the scrub, decisions read back), `suppression` (outcomes,
complaints, customer profiles, the customer overview), `catalog` (products and campaigns, scripts
and linting), `audits`, `ops` (keys, scheduled jobs, the dashboard). The rules themselves live in
`guard.core`; the SQL in `guard.store`; no module here imports SQLAlchemy.
"""
