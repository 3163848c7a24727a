"""each job's runs counted as they are recorded

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06

`job_run_totals`: per job, the runs recorded in `job_runs` and when the last one finished, updated in the transaction
that records each run, so that /metrics (`guard_job_runs_recorded_total`, `guard_job_last_run_timestamp_seconds`)
reads one row per job instead of counting `job_runs` at every scrape (seconds after a year of runs). Filled here from
the runs recorded before this revision (4.2 million rows: 7 s on SQLite). While an upgrade rolls host by host, a
scheduler of the previous release records its runs in `job_runs` only: the totals count them from its restart on.
"""
from alembic import op
import sqlalchemy as sa

from guard.store.models import UTCDateTime


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('job_run_totals',
    sa.Column('job', sa.String(length=50), nullable=False),
    sa.Column('runs', sa.BigInteger(), nullable=False),
    sa.Column('last_finished_at', UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('job', name=op.f('pk_job_run_totals'))
    )
    op.execute("INSERT INTO job_run_totals (job, runs, last_finished_at) "
               "SELECT job, count(*), max(finished_at) FROM job_runs GROUP BY job")


def downgrade() -> None:
    op.drop_table('job_run_totals')
