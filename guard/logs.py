"""Logging: text for people at a terminal, or one JSON object per line for a log pipeline.

`GUARD_LOG_FORMAT=json` writes `{"ts", "level", "logger", "msg", ...}` with the request's fields
when there are any (`request_id`, `method`, `route`, `status`, `ms`, `key_id`, `decision_id`, `allowed`). API
keys are never logged: a request is identified by its key's id, the public half of the key.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

FIELDS = ("request_id", "method", "route", "status", "ms", "key_id", "decision_id", "allowed", "reasons", "job")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                out[name] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def status_line(fmt: str, logger: str, level: int, text: str) -> str:
    """A line a command writes to stderr itself (a start banner, a one-line failure), as the logs are written: in the json
    format a JSON object like every log line, so that a service's output (`guard scheduler` under systemd) stays one
    object per line."""
    if fmt != "json":
        return text
    return JsonFormatter().format(logging.LogRecord(logger, level, __file__, 0, text, None, None))


def configure(level: str, fmt: str) -> None:
    """One handler of ours on the root logger (replacing the one a previous call added), in the format asked."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_guard", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler()
    handler._guard = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
