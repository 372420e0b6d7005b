"""Reads of the webhooks app: an owner's subscriptions and attempts, and what an endpoint is
owed (the change events after its cursor that its owner may see and its filters match)."""

from django.db.models import Max, QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from policytracker.changes.models import ChangeEvent
from policytracker.webhooks.models import WebhookDelivery, WebhookSubscription


def subscription_list(*, owner) -> QuerySet[WebhookSubscription]:
    return WebhookSubscription.objects.filter(owner=owner).order_by("-created_at", "-pk")


def delivery_list(*, subscription: WebhookSubscription) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(subscription=subscription).order_by("-created_at", "-pk")


def pending_events(*, subscription: WebhookSubscription) -> QuerySet[ChangeEvent]:
    """Through the read gate as the owner: a watchdog's endpoint never receives draft changes."""
    events = ChangeEvent.objects.visible_to(subscription.owner).filter(seq__gt=subscription.cursor)
    if subscription.record_types:
        events = events.filter(record_type__in=subscription.record_types)
    if subscription.bill_ids:
        events = events.filter(bill_ids__overlap=subscription.bill_ids)
    return events.order_by("seq")


def latest_seq() -> int:
    return ChangeEvent.objects.aggregate(latest=Max("seq"))["latest"] or 0


def queued_subscription_ids(*, task_path: str) -> set[int]:
    """Subscriptions with a delivery task (`task_path`) queued or running in the task table."""
    waiting = DBTaskResult.objects.filter(
        task_path=task_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    )
    return {
        int(pk) for pk in waiting.values_list("args_kwargs__args__0", flat=True) if pk is not None
    }
