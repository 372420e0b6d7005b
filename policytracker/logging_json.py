"""Log lines as one JSON object each, with the request id of the request that wrote them.

Standard library only: gunicorn's master loads the formatter (policytracker/gunicorn_conf.py)
before Django is set up.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

# Set by policytracker.request_id.RequestIdMiddleware for the duration of a request.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


def current_request_id() -> str | None:
    """The id of the request being served by this thread, or None outside a request."""
    return request_id_var.get()


# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record (`-` outside a request), for the plain
    format's `%(request_id)s`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """timestamp, level, logger, message, request_id, pid, the record's extra fields, and the
    traceback as `exception` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id if request_id not in (None, "-") else current_request_id(),
            # Which gunicorn worker (or the master) wrote it.
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an extra value json cannot encode is logged as its text, never dropped.
        return json.dumps(entry, ensure_ascii=False, default=str)
