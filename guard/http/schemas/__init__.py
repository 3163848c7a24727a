"""Request and response schemas: the same models validate requests and describe them in /openapi.json.

Request models are strict (no type coercion: `"dry_run": "yes"` is an error, not True) and
forbid unknown fields (a misspelt `dryrun` must not be silently ignored). String lengths match
the store's columns. One module per resource; `types` holds the shared field types. Every model
is importable from this package too.
"""

from __future__ import annotations

from guard.http.schemas.types import Instant, Phone, Id, CampaignId, Region, CustomerLevel, ProductLevel, ProductType, Strict, Disposition, Severity, BlacklistSource, Note, ScriptText  # noqa: F401
from guard.http.schemas.check import CheckRequest, ReasonOut, PolicyRef, CheckResponse, BatchCheckIn, BatchResultOut, BatchCheckOut  # noqa: F401
from guard.http.schemas.customers import WindowIn, CustomerIn, CustomerOut, GuardTagRemoveIn, CustomerOverviewOut, NumberOverviewOut  # noqa: F401
from guard.http.schemas.catalog import ProductIn, ProductOut, CampaignIn, CampaignOut  # noqa: F401
from guard.http.schemas.decisions import LocalTimesOut, DecisionOut, DecisionSearchQuery, DecisionSearchOut  # noqa: F401
from guard.http.schemas.meta import ErrorBody, ErrorOut, Health, MeOut, SessionOut, SignInIn, StatsQuery, StatsOut  # noqa: F401
from guard.http.schemas.outcomes import OutcomeIn, OutcomeOut  # noqa: F401
from guard.http.schemas.blacklist import BlacklistIn, BlacklistEntryOut, BlacklistLookupOut, BlacklistRemoveIn, BlacklistRemovedOut, ImportQuery, ImportRejectOut, ImportOut, RemovalOut, RemovalQuery, RemovalsOut, RemovalsQuery  # noqa: F401
from guard.http.schemas.complaints import ComplaintIn, ComplaintSlaOut, ComplaintDueOut, ComplaintEventOut, ComplaintOut, ComplaintListQuery, ComplaintListOut, ComplaintEventIn, ComplaintCountsOut, ComplaintCallbackOut  # noqa: F401
from guard.http.schemas.scripts import LintIn, FindingOut, LintOut, ScriptIn, ScriptOut, ScriptListQuery, ScriptListOut, ScriptReviewQuery, JudgementIn, JudgementOut, JudgementListOut, JudgementSummaryQuery, JudgementSummaryOut  # noqa: F401
from guard.http.schemas.audits import AuditStartOut, AuditStartQuery, AuditOut, AuditListQuery, AuditListOut, ViolationsQuery, ViolationsOut  # noqa: F401
from guard.http.schemas.simulations import SimulationIn, SimulationStartOut, SimulationOut, SimulationListQuery, SimulationListOut  # noqa: F401
from guard.http.schemas.consents import ConsentIn, WithdrawIn, ConsentOut, ConsentListQuery, ConsentListOut, ConsentImportQuery, ConsentImportOut, ProvenanceOut  # noqa: F401
