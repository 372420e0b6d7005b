"""The background worker (`manage.py run_worker`): each round deletes stored Idempotency-Key
outcomes past their retention and expired sessions, and keeps everything younger; it stops
cleanly on SIGTERM."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from policytracker.idempotency.models import IdempotencyRecord
from policytracker.idempotency.services import idempotency_claim

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
    assert "deleted 2 idempotency records; deleted 1 expired sessions." in out.getvalue()
    assert "Worker stopped." in out.getvalue()


@pytest.mark.django_db
def test_a_round_with_nothing_to_do_deletes_nothing(settings):
    user = User.objects.create_user("curator")
    idempotency_record(user, "fresh", timedelta(minutes=1))
    out = StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert IdempotencyRecord.objects.count() == 1
    assert "deleted 0 idempotency records; deleted 0 expired sessions." in out.getvalue()


# serialized_rollback: like every transactional test here, it leaves the migration-made rows
# (content types, the Curators group) as the next such test expects to restore them.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_loops_until_sigterm_and_then_exits_cleanly():
    user = User.objects.create_user("curator")
    idempotency_record(user, "old", timedelta(days=2))
    database = connection.settings_dict
    url = (
        f"postgres://{quote(database['USER'] or '')}@{quote(database['HOST'] or '', safe='')}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env["WORKER_INTERVAL_SECONDS"] = "3600"
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
