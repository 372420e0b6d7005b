"""Replaying creates: the first response to an Idempotency-Key is stored and returned again."""

import hashlib
from collections.abc import Callable

from django.db import transaction
from rest_framework import exceptions
from rest_framework.response import Response

from policytracker.idempotency.services import (
    KeyReusedError,
    idempotency_claim,
    idempotency_store_outcome,
)

MAX_KEY_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "ETag")


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = "This Idempotency-Key was already used for a different request."
    default_code = "idempotency_key_reused"


def idempotent_create(*, request, create: Callable[[], Response]) -> Response:
    """Run `create` once per (user, Idempotency-Key); later calls get the stored response."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return create()
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError(
            {"Idempotency-Key": [f"Must be 1 to {MAX_KEY_LENGTH} characters."]}
        )
    with transaction.atomic():
        try:
            record = idempotency_claim(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path,
                request_sha256=hashlib.sha256(request.body or b"").hexdigest(),
            )
        except KeyReusedError as error:
            raise KeyReused() from error
        if record.response_status is not None:
            response = Response(record.response_body, status=record.response_status)
            for name, value in record.response_headers.items():
                response[name] = str(value)
            response[REPLAY_HEADER] = "true"
            return response
        response = create()
        if response.status_code < 500:
            idempotency_store_outcome(
                record=record,
                status=response.status_code,
                body=response.data,
                # Plain str: a str subclass (DRF's Hyperlink) is not a valid WSGI header value.
                headers={name: str(response[name]) for name in KEPT_HEADERS if name in response},
            )
        return response
