"""Replaying creates: the first response to an Idempotency-Key is stored and returned again."""

import hashlib
from collections.abc import Callable

from django.db import transaction
from rest_framework import exceptions
from rest_framework.response import Response

from policytracker.idempotency.models import IdempotencyRecord

MAX_KEY_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "ETag")


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was already used for a different request."
    default_code = "idempotency_key_reused"


def idempotent_create(*, request, create: Callable[[], Response]) -> Response:
    """Run `create` once per (user, Idempotency-Key); later calls get the stored response.

    The record is inserted first inside the same transaction, so a concurrent retry with the
    same key waits on the unique index and then replays the committed outcome.
    """
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return create()
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {"Idempotency-Key": [f"Must be 1 to {MAX_KEY_LENGTH} characters."]}
        )
    body_hash = hashlib.sha256(request.body or b"").hexdigest()
    with transaction.atomic():
        record, created = IdempotencyRecord.objects.select_for_update().get_or_create(
            user=request.user,
            key=key,
            defaults={"method": request.method, "path": request.path, "request_sha256": body_hash},
        )
        if not created:
            if (record.method, record.path, record.request_sha256) != (
                request.method,
                request.path,
                body_hash,
            ):
                raise KeyReused()
            if record.response_status is not None:
                response = Response(record.response_body, status=record.response_status)
                for name, value in record.response_headers.items():
                    response[name] = str(value)
                response[REPLAY_HEADER] = "true"
                return response
        response = create()
        if response.status_code < 500:
            record.response_status = response.status_code
            record.response_body = response.data
            # Plain str: a str subclass (DRF's Hyperlink) is not a valid WSGI header value.
            record.response_headers = {
                name: str(response[name]) for name in KEPT_HEADERS if name in response
            }
            record.save(update_fields=["response_status", "response_body", "response_headers"])
        return response
