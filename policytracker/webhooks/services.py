"""Every write of the webhooks app: the owner's subscription changes, and the worker's claim
on a subscription and record of each delivery attempt (which moves the cursor or the backoff)."""

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from policytracker.changes.models import ChangeEvent
from policytracker.errors import StaleVersion
from policytracker.webhooks import rules
from policytracker.webhooks.models import WebhookDelivery, WebhookSubscription

EDITABLE = ("url", "record_types", "bill_ids", "active")
ERROR_LENGTH = 500


def _new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def subscription_check(*, owner, values: dict) -> None:
    """Refuse what a subscription may not name (ValidationError keyed by field): the rules every
    write of a subscription applies, also run by the admin's form before it saves."""
    errors = {}
    if "url" in values and (problem := rules.url_problem(values["url"])):
        errors["url"] = [problem]
    if "record_types" in values and (problem := rules.record_types_problem(values["record_types"])):
        errors["record_types"] = [problem]
    if values.get("bill_ids") and (problem := rules.bills_problem(owner, values["bill_ids"])):
        errors["bill_ids"] = [problem]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def subscription_create(
    *, owner, url: str, record_types: list[str], bill_ids: list[int], active: bool = True
) -> WebhookSubscription:
    """Register an endpoint. It receives the changes recorded from now on (its cursor starts at
    the log's latest event), signed with a new secret returned on the instance."""
    values = {
        "url": url,
        "record_types": sorted(set(record_types)),
        "bill_ids": sorted(set(bill_ids)),
        "active": active,
    }
    subscription_check(owner=owner, values=values)
    latest = ChangeEvent.objects.aggregate(latest=Max("seq"))["latest"] or 0
    subscription = WebhookSubscription(owner=owner, secret=_new_secret(), cursor=latest, **values)
    subscription.full_clean()
    subscription.save()
    return subscription


@transaction.atomic
def subscription_update(
    *, subscription: WebhookSubscription, values: dict, expected_version: int | None = None
) -> WebhookSubscription:
    """Change the endpoint, the filters or pause it; the cursor and the secret stay. Resuming a
    paused subscription delivers what it missed, from its cursor."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(record=locked, expected=expected_version, current=locked.version)
    values = {name: value for name, value in values.items() if name in EDITABLE}
    for name in ("record_types", "bill_ids"):
        if name in values:
            values[name] = sorted(set(values[name]))
    subscription_check(owner=locked.owner, values=values)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    if "active" in changed and locked.active:
        # A resumed endpoint is tried at once, not after the backoff it had when paused.
        locked.failures, locked.next_attempt_at = 0, None
        changed += ["failures", "next_attempt_at"]
    locked.full_clean()
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    return locked


@transaction.atomic
def subscription_rotate_secret(*, subscription: WebhookSubscription) -> WebhookSubscription:
    """Replace the signing secret; the next delivery is signed with the new one."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    locked.secret = _new_secret()
    locked.version += 1
    locked.save(update_fields=["secret", "version", "updated_at"])
    return locked


@transaction.atomic
def subscription_delete(*, subscription: WebhookSubscription) -> None:
    """Remove the subscription and its delivery record; a queued delivery finds nothing."""
    WebhookSubscription.objects.filter(pk=subscription.pk).delete()


@transaction.atomic
def delivery_claim(*, subscription_id: int, lease_seconds: float) -> WebhookSubscription | None:
    """Take the subscription for one POST, or None: gone, paused, in its backoff, or held by
    another worker whose lease has not expired. The lease is committed before any HTTP, so
    the owner's edits never wait for a slow endpoint."""
    now = timezone.now()
    subscription = (
        WebhookSubscription.objects.select_for_update(skip_locked=True)
        .select_related("owner")
        .filter(pk=subscription_id, active=True)
        .first()
    )
    if subscription is None:
        return None
    if subscription.lease_until and subscription.lease_until > now:
        return None
    if subscription.next_attempt_at and subscription.next_attempt_at > now:
        return None
    subscription.lease_until = now + timedelta(seconds=lease_seconds)
    subscription.save(update_fields=["lease_until"])
    return subscription


@transaction.atomic
def delivery_release(*, subscription: WebhookSubscription) -> None:
    """Give the claim back without an attempt (nothing to deliver)."""
    WebhookSubscription.objects.filter(pk=subscription.pk).update(lease_until=None)


@transaction.atomic
def delivery_record(
    *,
    subscription: WebhookSubscription,
    first_seq: int,
    last_seq: int,
    event_count: int,
    status_code: int | None,
    error: str,
    duration_ms: int,
) -> WebhookDelivery:
    """Record one attempt. A 2xx moves the cursor past the batch and clears the backoff; any
    other outcome keeps the cursor (the batch is sent again) and sets the next attempt after
    an exponential backoff. Either way the claim ends."""
    locked = WebhookSubscription.objects.select_for_update().get(pk=subscription.pk)
    succeeded = status_code is not None and 200 <= status_code < 300
    now = timezone.now()
    fields = ["lease_until"]
    locked.lease_until = None
    attempt = locked.failures + 1
    if succeeded:
        # Only forward: an owner's edit meanwhile never rewinds what was acknowledged.
        locked.cursor = max(locked.cursor, last_seq)
        locked.failures, locked.next_attempt_at, locked.last_success_at = 0, None, now
        fields += ["cursor", "failures", "next_attempt_at", "last_success_at"]
    else:
        locked.failures = attempt
        locked.next_attempt_at = now + timedelta(seconds=rules.retry_delay_seconds(attempt))
        fields += ["failures", "next_attempt_at"]
    locked.save(update_fields=fields)
    return WebhookDelivery.objects.create(
        subscription=locked,
        first_seq=first_seq,
        last_seq=last_seq,
        event_count=event_count,
        attempt=attempt,
        status_code=status_code,
        succeeded=succeeded,
        error=error[:ERROR_LENGTH],
        duration_ms=duration_ms,
        next_attempt_at=None if succeeded else locked.next_attempt_at,
    )


@transaction.atomic
def deliveries_purge(*, older_than: datetime) -> int:
    """Delete the record of delivery attempts made before `older_than` (operational rows: the
    cursor, not this record, says what was delivered)."""
    _, deleted = WebhookDelivery.objects.filter(created_at__lt=older_than).delete()
    return deleted.get(WebhookDelivery._meta.label, 0)


@transaction.atomic
def task_results_purge(*, older_than: datetime) -> int:
    """Delete the task queue's rows for tasks that finished (succeeded or failed) before
    `older_than`; queued and running tasks stay."""
    finished = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=older_than,
    )
    _, deleted = finished.delete()
    return deleted.get(DBTaskResult._meta.label, 0)
