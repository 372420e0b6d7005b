"""How deliveries are signed, and how a receiver checks them (the README shows the same recipe).

    Webhook-Id:        <first seq>-<last seq> of the batch (the same on every retry of it)
    Webhook-Timestamp: Unix seconds when this attempt was sent
    Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>

A receiver recomputes the HMAC over the exact bytes it received, compares in constant time, and
refuses a timestamp more than REPLAY_WINDOW_SECONDS away from its clock: a captured delivery
cannot be replayed later, and a retry is signed anew with a fresh timestamp.
"""

import hashlib
import hmac
import time

REPLAY_WINDOW_SECONDS = 300
SCHEME = "v1"


def signature(secret: str, timestamp: int | str, body: bytes) -> str:
    """The `Webhook-Signature` value for `body` sent at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(secret: str, delivery_id: str, body: bytes, *, now: float | None = None) -> dict:
    timestamp = int(time.time() if now is None else now)
    return {
        "Content-Type": "application/json",
        "Webhook-Id": delivery_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    *,
    body: bytes,
    timestamp: str | None,
    signature_header: str | None,
    now: float | None = None,
    tolerance: int = REPLAY_WINDOW_SECONDS,
) -> bool:
    """True when the headers sign `body` with `secret` and the timestamp is within the window."""
    if not timestamp or not signature_header or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    # The header may carry several signatures (e.g. during a secret rotation), space-separated.
    return any(hmac.compare_digest(expected, given) for given in signature_header.split())
