"""Delivery runs in the task worker (`manage.py db_worker`), never in the API process.

The queue only wakes the worker: what is owed is always "the events after the subscription's
cursor", so a lost, duplicated or late task costs nothing. A task claims the subscription (a
short lease, committed), POSTs the next batch signed with its secret, and records the outcome:
a 2xx moves the cursor and wakes the worker again while more is owed; anything else keeps the
cursor and schedules a retry after an exponential backoff. Delivery is at least once and in
order; receivers dedupe by event id (`seq`). Each POST resolves the endpoint's host and connects
only to addresses `rules.deliverable` allows (the registration check, made again against DNS
rebinding); a refused address is a failed attempt like any other.
"""

import http.client
import json
import logging
import socket
import time
import urllib.error
import urllib.request
from datetime import datetime
from http.client import HTTPException

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from bills.models import Bill
from policytracker.changes.models import TOMBSTONES, ChangeEvent
from policytracker.changes.selectors import scalar_changes
from policytracker.visibility import can_see_drafts
from policytracker.webhooks import rules, selectors, services, signing
from policytracker.webhooks.models import WebhookSubscription

logger = logging.getLogger(__name__)

PERMISSION = "webhooks.add_webhooksubscription"
USER_AGENT = "policytracker-webhooks/1"


def event_payload(event: ChangeEvent, *, sees_drafts: bool = True, public_bills=None) -> dict:
    """One event as deliveries carry it; `id` (= `seq`) is what receivers dedupe on.

    An owner who may not see drafts (a watchdog) gets what the public feed shows: a tombstone
    without content, changed links by name only, and only the public bills among `bill_ids`."""
    payload = {
        "id": event.seq,
        "seq": event.seq,
        "recorded_at": event.recorded_at,
        "record_type": event.record_type,
        "record_id": event.record_id,
        "slug": event.slug,
        "old_slug": event.old_slug,
        "event": event.event,
        "changed": event.changed,
        "version": event.version,
        "bill_ids": event.bill_ids,
    }
    if sees_drafts:
        return payload
    payload["bill_ids"] = [pk for pk in event.bill_ids if pk in (public_bills or set())]
    if event.event in TOMBSTONES:
        payload.update(changed={}, old_slug="")
    else:
        payload.update(changed=scalar_changes(event), changed_fields=sorted(event.changed))
    return payload


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could point a signed delivery anywhere; the registered URL is the only target.
    def redirect_request(self, *args, **kwargs):
        return None


class AddressRefused(OSError):
    """The endpoint's host resolves to an address deliveries may not reach."""


def _connect_checked(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    """socket.create_connection, but resolving once, checking every address and connecting
    only to the checked ones: a name that now points inside (DNS rebinding) is never reached,
    and TLS still verifies the certificate against the registered host name."""
    host, port = address
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    if problem := rules.addresses_problem(host, rules.addresses_of(infos)):
        raise AddressRefused(problem)
    error = None
    for family, kind, proto, _, sockaddr in infos:
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as failed:
            error = failed
            sock.close()
    raise error or OSError(f"no address for {host}")


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _connect_checked


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_CheckedHTTPConnection, req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_CheckedHTTPSConnection, req, context=self._context)


# No proxies from the environment: the worker connects to the endpoint itself, so the address
# it checks is the address it reaches.
_opener = urllib.request.build_opener(
    urllib.request.ProxyHandler({}), _NoRedirects, _CheckedHTTPHandler, _CheckedHTTPSHandler
)


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str]:
    """POST and return (status, error); no exception escapes. The host is resolved and checked
    again here (rules.deliverable): a delivery to a now private address is not sent."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    request.add_header("User-Agent", USER_AGENT)
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, AddressRefused):
            return None, f"Not sent: {reason}"
        return None, f"{type(error).__name__}: {reason}"


def enqueue_delivery(subscription_id: int, *, run_after: datetime | None = None) -> None:
    """Wake the worker for a subscription (at `run_after`, for a retry)."""
    chosen = deliver_subscription
    if run_after is not None and run_after > timezone.now():
        chosen = chosen.using(run_after=run_after)
    chosen.enqueue(subscription_id)


def payloads(events: list[ChangeEvent], owner) -> list[dict]:
    sees_drafts = can_see_drafts(owner)
    public_bills = set()
    if not sees_drafts:
        named = {pk for event in events for pk in event.bill_ids}
        public_bills = set(
            Bill.objects.visible_to(owner).filter(pk__in=named).values_list("pk", flat=True)
        )
    return [
        event_payload(event, sees_drafts=sees_drafts, public_bills=public_bills) for event in events
    ]


@task()
def deliver_subscription(subscription_id: int) -> dict:
    """Send the next batch owed to one subscription and record the attempt."""
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))
    subscription = services.delivery_claim(
        subscription_id=subscription_id, lease_seconds=timeout + 30
    )
    if subscription is None:
        return {"sent": 0}
    batch_size = int(getattr(settings, "WEBHOOK_BATCH_SIZE", 100))
    owner = subscription.owner
    events = []
    if owner.is_active and owner.has_perm(PERMISSION):
        events = list(selectors.pending_events(subscription=subscription)[:batch_size])
    if not events:
        services.delivery_release(subscription=subscription)
        return {"sent": 0}

    first, last = events[0].seq, events[-1].seq
    body = json.dumps(
        {"events": payloads(events, owner)},
        cls=DjangoJSONEncoder,
        separators=(",", ":"),
    ).encode()
    headers = signing.signed_headers(subscription.secret, f"{first}-{last}", body)
    started = time.monotonic()
    status, error = post(subscription.url, body, headers, timeout)
    delivery = services.delivery_record(
        subscription=subscription,
        first_seq=first,
        last_seq=last,
        event_count=len(events),
        status_code=status,
        error=error,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    if delivery.succeeded:
        # Checked after the claim ended: an event that committed meanwhile and found the
        # subscription claimed is seen here.
        subscription.cursor = last
        if selectors.pending_events(subscription=subscription).exists():
            enqueue_delivery(subscription_id)
    else:
        logger.warning(
            "webhook delivery failed",
            extra={"subscription": subscription_id, "status": status, "error": error},
        )
        enqueue_delivery(subscription_id, run_after=delivery.next_attempt_at)
    return {"sent": len(events) if delivery.succeeded else 0, "status": status}


def due_subscriptions(*, record_type: str | None = None, bill_ids=None):
    """Active subscriptions not in a backoff or a claim (those wake themselves), optionally only
    those whose filters match an event."""
    now = timezone.now()
    subscriptions = WebhookSubscription.objects.filter(active=True).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(lease_until__isnull=True) | Q(lease_until__lte=now),
    )
    if record_type is not None:
        subscriptions = subscriptions.filter(
            Q(record_types=[]) | Q(record_types__contains=[record_type])
        )
    if bill_ids is not None:
        subscriptions = subscriptions.filter(Q(bill_ids=[]) | Q(bill_ids__overlap=bill_ids))
    return subscriptions


def queue_for_event(sender, seq: int, seqs: list[int] | None = None, **kwargs) -> None:
    """After a transaction's change events commit: wake the worker once for each subscription
    they may concern (two queries, however many events). A failure here loses nothing (the
    cursor still owes the events); it is only logged, so the request that made the change is
    never answered with an error after its commit."""
    try:
        events = list(
            ChangeEvent.objects.filter(seq__in=seqs or [seq]).values_list(
                "seq", "record_type", "bill_ids"
            )
        )
        if not events:
            return
        newest = max(event_seq for event_seq, _, _ in events)
        for subscription in due_subscriptions().filter(cursor__lt=newest):
            if any(
                event_seq > subscription.cursor
                and (not subscription.record_types or record_type in subscription.record_types)
                and (not subscription.bill_ids or set(subscription.bill_ids) & set(bill_ids or []))
                for event_seq, record_type, bill_ids in events
            ):
                enqueue_delivery(subscription.pk)
    except Exception:
        logger.exception("could not queue webhook deliveries", extra={"seq": seq})


def wake_due() -> int:
    """Queue a delivery for each subscription that is owed events and free to try now (backoff
    over, no live claim) but has no delivery waiting in the queue: a retry whose task was lost,
    pruned or never queued does not wait for the next change. Run every maintenance round
    (`manage.py run_worker`); a subscription whose retry is already queued is left alone."""
    waiting = selectors.queued_subscription_ids(task_path=deliver_subscription.module_path)
    due = (
        due_subscriptions()
        .filter(cursor__lt=selectors.latest_seq())
        .exclude(pk__in=waiting)
        .select_related("owner")
        .order_by("pk")
    )
    count = 0
    for subscription in due:
        owner = subscription.owner
        # What the task itself would send: nothing for an owner who may see nothing of it.
        if not (owner.is_active and owner.has_perm(PERMISSION)):
            continue
        if selectors.pending_events(subscription=subscription).exists():
            enqueue_delivery(subscription.pk)
            count += 1
    return count


def resume_all() -> int:
    """Wake the worker for every active subscription that is owed events (at the end of its
    backoff or claim): what `manage.py webhooks_resume` runs when the worker starts."""
    latest = selectors.latest_seq()
    count = 0
    for subscription in WebhookSubscription.objects.filter(active=True, cursor__lt=latest):
        wake = max(
            (t for t in (subscription.next_attempt_at, subscription.lease_until) if t),
            default=None,
        )
        enqueue_delivery(subscription.pk, run_after=wake)
        count += 1
    return count
