"""The background worker (`manage.py run_worker`): each round deletes stored Idempotency-Key
outcomes past their retention, expired sessions, old webhook delivery attempts and finished task
rows, keeps everything younger, and wakes webhook subscriptions whose backoff has ended; it
stops cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from policytracker import maintenance
from policytracker.changes.models import ChangeEvent
from policytracker.exports import storage
from policytracker.idempotency.models import IdempotencyRecord
from policytracker.idempotency.services import idempotency_claim
from policytracker.webhooks import services, tasks
from policytracker.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.test_webhooks_guard import PUBLIC, fake_dns

ROOT = Path(__file__).resolve().parent.parent


def idempotency_record(user, key: str, age: timedelta) -> IdempotencyRecord:
    record = idempotency_claim(user=user, key=key, method="POST", path="/x/", request_sha256="0")
    IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=timezone.now() - age)
    return record


def session(key: str, expires_in: timedelta) -> Session:
    return Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + expires_in
    )


@pytest.mark.django_db
def test_once_deletes_what_is_past_retention_and_keeps_the_rest(settings):
    settings.IDEMPOTENCY_KEY_RETENTION_HOURS = 24
    user = User.objects.create_user("curator")
    idempotency_record(user, "old-1", timedelta(hours=25))
    idempotency_record(user, "old-2", timedelta(days=30))
    young = idempotency_record(user, "young", timedelta(hours=23))
    session("expired-session", timedelta(seconds=-1))
    live = session("live-session", timedelta(days=1))

    out = StringIO()
    call_command("run_worker", "--once", stdout=out)

    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [young.pk]
    assert list(Session.objects.values_list("pk", flat=True)) == [live.pk]
    assert "deleted 2 idempotency records; deleted 1 expired sessions;" in out.getvalue()
    assert "Worker stopped." in out.getvalue()


@pytest.mark.django_db
def test_a_round_with_nothing_to_do_deletes_nothing(settings):
    user = User.objects.create_user("curator")
    idempotency_record(user, "fresh", timedelta(minutes=1))
    out = StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert IdempotencyRecord.objects.count() == 1
    assert out.getvalue().startswith(
        "Maintenance round: deleted 0 idempotency records; deleted 0 expired sessions; "
        "deleted 0 webhook delivery attempts; deleted 0 finished task results; "
        "queued 0 due webhook subscriptions; wrote 1 bulk data snapshots.\n"
    )
    assert len(storage.snapshot_ids()) == 1  # the first round writes the first snapshot


# serialized_rollback: like every transactional test here, it leaves the migration-made rows
# (content types, the Curators group) as the next such test expects to restore them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_loops_until_sigterm_and_then_exits_cleanly(settings):
    user = User.objects.create_user("curator")
    idempotency_record(user, "old", timedelta(days=2))
    database = connection.settings_dict
    url = (
        f"postgres://{quote(database['USER'] or '')}@{quote(database['HOST'] or '', safe='')}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env["WORKER_INTERVAL_SECONDS"] = "3600"
    env["EXPORTS_ROOT"] = str(settings.EXPORTS_ROOT)  # its snapshot, not in the checkout
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first = worker.stdout.readline()
        assert "deleted 1 idempotency records" in first
        assert worker.poll() is None  # waiting for the next round
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0
        rest = worker.stdout.read()
        assert "Received SIGTERM; stopping." in rest
        assert "Worker stopped." in rest
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert IdempotencyRecord.objects.count() == 0


# -- webhooks: old attempts and finished task rows go; a subscription whose backoff ended wakes


def subscription(owner, **state) -> WebhookSubscription:
    created = services.subscription_create(
        owner=owner, url="https://hooks.example.org/hook", record_types=[], bill_ids=[]
    )
    WebhookSubscription.objects.filter(pk=created.pk).update(**state)
    created.refresh_from_db()
    return created


def attempt(hook: WebhookSubscription, age: timedelta) -> WebhookDelivery:
    made = services.delivery_record(
        subscription=hook,
        first_seq=1,
        last_seq=1,
        event_count=1,
        status_code=500,
        error="HTTP 500",
        duration_ms=3,
    )
    WebhookDelivery.objects.filter(pk=made.pk).update(created_at=timezone.now() - age)
    return made


def task_row(subscription_id: int, status: str, finished_age: timedelta | None) -> str:
    result = tasks.deliver_subscription.enqueue(subscription_id)
    finished_at = None if finished_age is None else timezone.now() - finished_age
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status,
        enqueued_at=timezone.now() - timedelta(days=90),
        finished_at=finished_at,
    )
    return str(result.id)


@pytest.fixture
def curator(monkeypatch):
    fake_dns(monkeypatch, {"hooks.example.org": [PUBLIC]})
    user = User.objects.create_user("curator")
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("retention, old, young", [(None, 31, 29), (7, 8, 6)])
def test_a_round_deletes_webhook_rows_past_their_retention(
    settings, curator, retention, old, young
):
    if retention is not None:
        settings.WEBHOOK_ATTEMPT_RETENTION_DAYS = retention
    elif hasattr(settings, "WEBHOOK_ATTEMPT_RETENTION_DAYS"):
        del settings.WEBHOOK_ATTEMPT_RETENTION_DAYS  # the default: 30 days
    hook = subscription(curator)
    attempt(hook, timedelta(days=old))
    kept_attempt = attempt(hook, timedelta(days=young))
    task_row(hook.pk, "SUCCESSFUL", timedelta(days=old))
    task_row(hook.pk, "FAILED", timedelta(days=old))
    kept_tasks = {
        task_row(hook.pk, "SUCCESSFUL", timedelta(days=young)),
        task_row(hook.pk, "FAILED", timedelta(days=young)),
        task_row(hook.pk, "READY", None),  # queued long ago: still to run
        task_row(hook.pk, "RUNNING", None),
    }

    out = StringIO()
    call_command("run_worker", "--once", stdout=out)

    assert "deleted 1 webhook delivery attempts; deleted 2 finished task results;" in (
        out.getvalue()
    )
    assert list(WebhookDelivery.objects.values_list("pk", flat=True)) == [kept_attempt.pk]
    assert {str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)} == kept_tasks
    assert WebhookSubscription.objects.filter(pk=hook.pk).exists()


def queued_for(hook: WebhookSubscription) -> list[DBTaskResult]:
    return [
        row
        for row in DBTaskResult.objects.filter(status="READY")
        if row.args_kwargs["args"] == [hook.pk]
    ]


@pytest.mark.django_db
def test_a_round_wakes_subscriptions_whose_backoff_ended(monkeypatch, curator):
    now = timezone.now()
    ended = subscription(curator, failures=3, next_attempt_at=now - timedelta(seconds=1))
    waiting = subscription(curator, failures=3, next_attempt_at=now + timedelta(minutes=5))
    paused = subscription(curator, active=False, next_attempt_at=now - timedelta(minutes=5))
    claimed = subscription(curator, lease_until=now + timedelta(minutes=1))
    queued = subscription(curator, failures=1, next_attempt_at=now - timedelta(minutes=5))
    task_row(queued.pk, "READY", None)  # its retry is already in the queue
    ChangeEvent.objects.create(
        record_type="bill", record_id=1, event="created", version=1, public=False
    )
    caught_up = subscription(curator, failures=2, next_attempt_at=now - timedelta(minutes=5))

    out = StringIO()
    call_command("run_worker", "--once", stdout=out)

    assert "queued 1 due webhook subscriptions;" in out.getvalue()
    [row] = queued_for(ended)
    assert row.task_path == tasks.deliver_subscription.module_path
    assert row.run_after <= timezone.now() or row.run_after.year == 9999  # runs at once
    for hook in (waiting, paused, claimed, caught_up):
        assert queued_for(hook) == [], hook
    assert len(queued_for(queued)) == 1  # not twice

    # The queued task delivers what the subscription is owed, without any new change.
    sent = []
    monkeypatch.setattr(tasks, "post", lambda url, body, *rest: sent.append(url) or (204, ""))
    assert row.task.call(*row.args_kwargs["args"])["sent"] == 1
    ended.refresh_from_db()
    assert (ended.cursor, ended.failures) == (ChangeEvent.objects.latest("seq").seq, 0)
    assert sent == [ended.url]

    # The next round finds its retry queued and queues no other.
    out = StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert "queued 0 due webhook subscriptions;" in out.getvalue()
    assert len(queued_for(ended)) == 1


@pytest.mark.django_db
def test_a_subscription_whose_owner_sees_nothing_owed_is_not_woken(curator):
    watchdog = User.objects.create_user("watchdog")
    watchdog.user_permissions.add(Permission.objects.get(codename="add_webhooksubscription"))
    hook = subscription(watchdog, failures=1, next_attempt_at=timezone.now())
    ChangeEvent.objects.create(  # a draft change: not for a watchdog
        record_type="bill", record_id=1, event="created", version=1, public=False
    )
    assert maintenance.wake_due_webhooks() == 0
    assert queued_for(hook) == []
