"""Writes of the idempotency store: claim a (user, key) for a request, keep its outcome.

No HTTP here: `policytracker/idempotency/http.py` reads the header and replays responses.
"""

from datetime import datetime

from django.db import transaction

from policytracker.idempotency.models import IdempotencyRecord


class KeyReusedError(Exception):
    """The key was first used for a different request (method, path or body)."""


@transaction.atomic
def idempotency_claim(
    *, user, key: str, method: str, path: str, request_sha256: str
) -> IdempotencyRecord:
    """The locked record of (user, key), created for this request if new.

    Inserted first inside the caller's transaction, so a concurrent retry with the same key
    waits on the unique index and then sees the committed outcome.
    """
    record, created = IdempotencyRecord.objects.select_for_update().get_or_create(
        user=user,
        key=key,
        defaults={"method": method, "path": path, "request_sha256": request_sha256},
    )
    if not created and (record.method, record.path, record.request_sha256) != (
        method,
        path,
        request_sha256,
    ):
        raise KeyReusedError()
    return record


def idempotency_store_outcome(
    *, record: IdempotencyRecord, status: int, body, headers: dict[str, str]
) -> IdempotencyRecord:
    """Keep the first outcome of the request, to be replayed to every retry."""
    record.response_status = status
    record.response_body = body
    record.response_headers = headers
    record.save(update_fields=["response_status", "response_body", "response_headers"])
    return record


def idempotency_records_purge(*, older_than: datetime) -> int:
    """Delete the stored outcomes created before `older_than`; a retry after that is a new
    request. Returns how many were deleted."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=older_than).delete()
    return deleted
