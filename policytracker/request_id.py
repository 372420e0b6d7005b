"""A request id for every request, carried into its log lines, and the one-line access log.

The id is the caller's `X-Request-ID` when it is a short token of safe characters (the proxy
sends nginx's `$request_id`), otherwise a new uuid4 hex; it is echoed on the response, so a
client, the proxy's log and the app's log name the same request.
"""

import logging
import re
import time
import uuid

from django.core.signals import request_finished

from policytracker.logging_json import request_id_var
from policytracker.throttling import client_address

HEADER = "X-Request-ID"
MAX_LENGTH = 128
# Letters, digits and a few separators: nothing that could split a log line or a header.
_VALID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:-]{{0,{MAX_LENGTH - 1}}}")

access_log = logging.getLogger("policytracker.access")


def accepted_request_id(value: str | None) -> str:
    """`value` if it is a valid request id, otherwise a fresh one."""
    if value and _VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _forget_request_id(**kwargs) -> None:
    request_id_var.set(None)


class RequestIdMiddleware:
    """Binds the request id for the request's log lines, returns it as `X-Request-ID` and writes
    one access log line per request (after the response, with its status and duration).

    The id stays bound until the response is closed (`request_finished`), not just until this
    middleware returns: Django logs 4xx/5xx answers ("Not Found: …") after every middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="policytracker.request_id")

    def __call__(self, request):
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id
        request_id_var.set(request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response[HEADER] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        access_log.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "client": client_address(request),
            },
        )
        return response
