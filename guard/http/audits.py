"""Audits (role auditor): upload a call log, follow it, read the summary, violations and the report."""

from __future__ import annotations

import tempfile

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from guard.core.errors import TooLarge
from guard.core.reasons import REASONS
from guard.core.text import unstorable
from guard.core.vocabularies import VOCABULARIES
from guard.http.api import endpoint
from guard.http.common import answer, older_page, preferred_chinese, runtime
from guard.http.errors import ApiError, bad_request, unsupported
from guard.http.schemas import AuditListOut, AuditListQuery, AuditOut, AuditStartOut, AuditStartQuery, ViolationsOut, ViolationsQuery
from guard.services import audits
from guard.services.audits import report as audit_report
from guard.services.audits import LogError
from guard.services.audits.exports import XLSX_MIMETYPE

# The codes a violation can have: every reason code of a check, every lint code and the audit's own.
VIOLATION_CODES = frozenset((*(r.code for r in REASONS), *VOCABULARIES["lint_codes"].codes, *VOCABULARIES["audit_codes"].codes))
from guard.services.ops.keys import Principal
from guard.core.i18n import field_said
from guard.core.messages import said, status_label, unstorable_said

bp = Blueprint("audits", __name__)
JOBS_BUSY_RESPONSE = {429: "over the key's rate limit, or GUARD_MAX_BACKGROUND_JOBS audits and simulations are queued or running already (JOBS_BUSY: nothing started); see Retry-After"}
_LOG_TYPES = {"text/csv": "csv", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl", "application/json-lines": "jsonl",
              "application/jsonlines": "jsonl", "text/plain": None}
_UPLOAD = {
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                                                         "encoding": {"type": "string", "maxLength": 40},
                                                                         "timezone": {"type": "string", "maxLength": 60}}}},
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}


@endpoint(
    bp, "POST", "/v1/audits", summary="Audit a call log (CSV or JSON Lines): answers at once; judged in the background",
    description="Multipart field `file`, or the raw body as text/csv or application/x-ndjson. Columns: call_id, phone, called_at, "
                "campaign (required), product, agent_id, customer_id, disposition, decision_id, transcript (in JSON Lines also a list "
                "of turns: {role|speaker: …, text|words|content|asr_text: …}). Text encoding: "
                "`?encoding=`, else the multipart field `encoding`, else the Content-Type's `charset`, else detected (UTF-8, "
                "GB18030/GBK, Big5); a log whose encoding cannot be told, or that a named encoding misreads, is refused "
                "(400). Times without a UTC offset are read in `?timezone=` (or the multipart field `timezone`), else "
                "rejected; a log none of whose rows can be judged fails. Follow "
                "`GET /v1/audits/{id}` for `status` and rows done. `basis`: which reading of history judges the calls.",
    roles=("auditor",), query=AuditStartQuery, response=AuditStartOut, status=202, request_content=_UPLOAD,
    headers_out={"Location": "the audit to follow: /v1/audits/{audit_id}"}, extra_responses=JOBS_BUSY_RESPONSE,
)
def start_audit(query: AuditStartQuery, principal: Principal):
    rt = runtime()
    request.max_content_length = rt.settings.max_upload_bytes
    g.upload_field = "file"  # what a 413 names (guard/http/errors.py)
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise bad_request(field_said("file", said("error.no_file_field")), "file")
        stream, source = upload.stream, upload.filename or "upload"
        problem = unstorable(source)
        if problem:
            raise bad_request(field_said("file", said("error.file_name_problem", problem=unstorable_said(problem))), "file")
        fmt = "jsonl" if source.endswith((".jsonl", ".ndjson")) else None
        named = [("encoding", query.encoding), ("encoding", request.form.get("encoding")),
                 ("charset", upload.mimetype_params.get("charset"))]
    elif request.mimetype in _LOG_TYPES:
        stream, source, fmt = request.stream, f"upload ({request.mimetype})", _LOG_TYPES[request.mimetype]
        named = [("encoding", query.encoding), ("charset", request.mimetype_params.get("charset"))]
    else:
        raise unsupported(said("error.upload_content_type", given=repr(request.mimetype or "missing")))
    timezone = None
    zone_name = query.timezone or (request.form.get("timezone") if request.mimetype == "multipart/form-data" else None)
    if zone_name:
        try:
            timezone = audits.resolve_timezone(zone_name)
        except audits.UnknownZone as exc:
            raise bad_request(field_said("timezone", exc.args[0]), "timezone") from None
    encoding = None
    field, name = next(((f, n) for f, n in named if n), (None, None))
    if field is not None:
        try:
            encoding = audits.resolve_encoding(name)
        except audits.UnknownEncoding as exc:
            raise bad_request(field_said(field, exc.args[0]), field) from None
    now = rt.clock()
    audit_id = audits.create(rt.store, "call_log", source[:300], request.content_length, now, principal.actor, query.basis,
                             rt.settings.max_background_jobs, rt.settings.audit_stale_after, rt.settings.data_dir)
    try:
        path, size = audits.save_upload(stream, rt.settings.data_dir / "audits", audit_id, rt.settings.max_upload_bytes)
    except BaseException as exc:
        # Refused while the log arrived (over a limit, the client gone): no audit will run; it must not wait as queued.
        too_large = isinstance(exc, (RequestEntityTooLarge, TooLarge))
        audits.fail(rt.store, audit_id, rt.clock,
                    str(said("error.upload_too_large", limit=rt.settings.max_upload_bytes) if too_large else said("error.body_stalled")))
        raise
    try:
        encoding = audits.check_header(path, fmt, encoding)
    except LogError as exc:
        path.unlink(missing_ok=True)
        audits.fail(rt.store, audit_id, rt.clock, str(exc))
        raise
    audits.start_in_background(rt.store, rt.packs(), audit_id, path, rt.clock, fmt, query.basis, encoding, timezone)
    response = answer({"audit_id": audit_id, "status": "queued"}, 202)
    response.headers["Location"] = f"/v1/audits/{audit_id}"
    return response


def _audit(audit_id: str) -> dict:
    return audits.view(runtime().store, audit_id)


@endpoint(bp, "GET", "/v1/audits", summary="The newest audits first (status, progress, summary)", roles=("auditor",),
          query=AuditListQuery, response=AuditListOut)
def list_audits(query: AuditListQuery, principal: Principal):
    found, following = audits.recent(runtime().store, query.limit, *older_page(query))
    return answer({"audits": found, "next": following})


@endpoint(bp, "GET", "/v1/audits/{audit_id}", summary="An audit's status, progress and summary", roles=("auditor",), response=AuditOut,
          extra_responses={404: "no such audit"})
def get_audit(audit_id: str, principal: Principal):
    return answer(_audit(audit_id))


_CSV_NOTE = "UTF-8 with a BOM; a cell beginning with = + - @, a tab or a carriage return has a leading ' (formula injection)"
_EXPORTS = {
    "text/csv": {"schema": {"type": "string", "description": "?format=csv: every violation; " + _CSV_NOTE}},
    XLSX_MIMETYPE: {"schema": {"type": "string", "format": "binary",
                               "description": "?format=xlsx: sheets `violations` and `rejected rows`, cells neutralised likewise"}},
}


def _attachment(body, mimetype: str, filename: str, length: int | None = None) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if length is not None:
        response.headers["Content-Length"] = str(length)
    return response


def _spooled_xlsx(audit_id: str) -> Response:
    """The .xlsx is built in a temporary file (XlsxWriter's constant-memory mode), then streamed."""
    directory = runtime().settings.data_dir / "audits"
    directory.mkdir(parents=True, exist_ok=True)
    handle = tempfile.TemporaryFile(dir=directory)
    try:
        audits.violations_xlsx(runtime().store, audit_id, handle)
        length = handle.tell()
        handle.seek(0)
    except BaseException:
        handle.close()
        raise

    def chunks():
        with handle:
            while block := handle.read(1 << 16):
                yield block

    return _attachment(chunks(), XLSX_MIMETYPE, f"audit-{audit_id}-violations.xlsx", length)


@endpoint(bp, "GET", "/v1/audits/{audit_id}/violations",
          summary="The violations, in pages (JSON) or all at once (?format=csv or ?format=xlsx)",
          description="Each violation has `called_at` (UTC), `called_at_local` (ISO 8601 with the offset, in the callee's zone) and "
                      "`zone`, and `policy` (`{pack, version}`: the pack version that judged the call; null on rows written "
                      "before violations named it). The CSV and the .xlsx add `message` (the code's Chinese and English name), "
                      "`policy` as `pack version`, `detail` as `key: value; …` text and `detail_json`.",
          roles=("auditor",), query=ViolationsQuery, response=ViolationsOut, response_content=_EXPORTS,
          extra_responses={404: "no such audit"})
def get_violations(audit_id: str, query: ViolationsQuery, principal: Principal):
    audit = _audit(audit_id)
    store = runtime().store
    if query.code is not None and query.code not in VIOLATION_CODES:
        raise bad_request(field_said("code", said("error.not_violation_code", code=repr(query.code))), "code", "not a violation code")
    if query.format in ("csv", "xlsx") and audit["status"] != "done":
        # an export of a failed or unfinished audit would read as a clean one: a header and no row
        raise ApiError(409, "AUDIT_NOT_DONE", said("error.audit_not_done_export", audit=audit_id, status=status_label(audit["status"])),
                       {"status": audit["status"], "progress": audit["progress"]})
    if query.format == "csv":
        return _attachment(audits.violations_csv(store, audit_id), "text/csv", f"audit-{audit_id}-violations.csv")
    if query.format == "xlsx":
        return _spooled_xlsx(audit_id)
    return answer(audits.violations_page(store, audit_id, query.after, query.limit, query.code))


@endpoint(bp, "GET", "/v1/audits/{audit_id}/rejects", summary="Every rejected row of a call log (line, reason) as CSV",
          roles=("auditor",), response_content={"text/csv": {"schema": {"type": "string", "description": _CSV_NOTE}}},
          extra_responses={404: "no such audit"})
def get_rejects(audit_id: str, principal: Principal):
    return _attachment(audits.rejects_csv(runtime().store, audit_id), "text/csv", f"audit-{audit_id}-rejected-rows.csv")


@endpoint(bp, "GET", "/v1/audits/{audit_id}/report", summary="A self-contained HTML report to file", roles=("auditor",),
          response_content={"text/html": {"schema": {"type": "string"}}}, extra_responses={404: "no such audit", 409: "not done yet"})
def get_report(audit_id: str, principal: Principal):
    audit = _audit(audit_id)
    if audit["status"] != "done":
        raise ApiError(409, "AUDIT_NOT_DONE", said("error.audit_not_done_report", audit=audit_id, status=status_label(audit["status"])),
                       {"status": audit["status"], "progress": audit["progress"]})
    chinese = preferred_chinese(audit_report.chinese_of_audit(audit, runtime().packs().timelines))
    html = audit_report.render(audit, audits.iter_violations(runtime().store, audit_id), chinese)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Language"] = f"{chinese}, en"
    response.vary.add("Accept-Language")
    response.headers["Content-Disposition"] = f'inline; filename="audit-{audit_id}.html"'
    # Self-contained: no script, nothing fetched; the call log's text in it must never become active content.
    response.headers["Content-Security-Policy"] = audit_report.REPORT_CSP
    return response


@endpoint(bp, "POST", "/v1/audits/{audit_id}/cancel", summary="Cancel an audit: a queued one at once (200), a running one at its next "
          "progress point (202, then `cancelled`)", roles=("auditor",), response=AuditOut, status=202, also=(200,),
          description="What a running audit has written stays readable, but it gets no summary and no report (409). Its upload is "
                      "deleted.", extra_responses={404: "no such audit", 409: "done, failed or cancelled already, or a cancel is pending"})
def cancel_audit(audit_id: str, principal: Principal):
    rt = runtime()
    audit, at_once = audits.cancel(rt.store, audit_id, rt.clock, rt.settings.data_dir)
    return answer(audit, 200 if at_once else 202)
