"""Webhook delivery end to end: a real task worker (`manage.py db_worker`) against the test
database, a real HTTP receiver that checks signatures and dedupes by event id, and curators
changing records through the API. The receiver gets every event exactly once, in order, across
its own outage and a restart of the worker; a forged signature is refused."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from rest_framework.test import APIClient

from policytracker.changes.models import ChangeEvent
from policytracker.webhooks import signing
from policytracker.webhooks.models import WebhookDelivery, WebhookSubscription

ROOT = Path(__file__).resolve().parent.parent


class Receiver(ThreadingHTTPServer):
    """A subscriber: verifies each delivery, keeps each event id once, can be taken down."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.secret = ""
        self.up = True
        self.lock = threading.Lock()
        self.seen: list[int] = []  # deduped, in arrival order
        self.received: list[int] = []  # every id of every accepted POST
        self.refused = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        server: Receiver = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if not server.up:
            return self.answer(500)
        genuine = signing.verify(
            server.secret,
            body=body,
            timestamp=self.headers.get("Webhook-Timestamp"),
            signature_header=self.headers.get("Webhook-Signature"),
        )
        if not genuine:
            with server.lock:
                server.refused += 1
            return self.answer(401)
        with server.lock:
            for event in json.loads(body)["events"]:
                server.received.append(event["id"])
                if event["id"] not in server.seen:
                    server.seen.append(event["id"])
        self.answer(204)

    def answer(self, status: int):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def worker_env() -> dict:
    database = connection.settings_dict
    url = (
        f"postgres://{quote(database['USER'] or '')}@{quote(database['HOST'] or '', safe='')}"
        f":{database['PORT'] or 5432}/{database['NAME']}"
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "PYTHONUNBUFFERED": "1",
        "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
        "WEBHOOK_RETRY_MAX_SECONDS": "2",
        "WEBHOOK_TIMEOUT_SECONDS": "2",
        # The receiver is on loopback: every delivery checks the address it connects to.
        "WEBHOOKS_ALLOW_INSECURE_LOOPBACK": "1",
    }


def start_worker() -> subprocess.Popen:
    """As docker-compose.yml's `tasks` service does: queue what is owed, then work."""
    subprocess.run(
        [sys.executable, "manage.py", "webhooks_resume"],
        cwd=ROOT,
        env=worker_env(),
        check=True,
        capture_output=True,
    )
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--interval",
            "0.2",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=worker_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_for(condition, what: str, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def bill(curator: APIClient, n: int) -> str:
    slug = f"kz-hooks-{n}"
    body = {
        "slug": slug,
        "title": f"On hooks {n}",
        "title_status": "verified",
        "short_title": f"Hooks {n}",
    }
    response = curator.post("/api/v1/bills/", body, format="json")
    assert response.status_code == 201, response.content
    return slug


def publish(curator: APIClient, slug: str) -> None:
    response = curator.post(f"/api/v1/bills/{slug}/publish/", HTTP_IF_MATCH="*")
    assert response.status_code == 200, response.content


def pairs(items: list) -> list[tuple]:
    return list(zip(items, items[1:], strict=False))


def owed(after: int) -> list[int]:
    return list(ChangeEvent.objects.filter(seq__gt=after).values_list("seq", flat=True))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_event_once_in_order_across_an_outage_and_a_worker_restart(receiver, settings):
    settings.WEBHOOKS_ALLOW_INSECURE_LOOPBACK = True
    user = User.objects.create_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    curator = APIClient()
    curator.force_authenticate(user)
    bill(curator, 0)  # before the registration: never delivered

    created = curator.post("/api/v1/webhooks/", {"url": receiver.url}, format="json")
    assert created.status_code == 201, created.content
    hook = created.json()
    receiver.secret = hook["secret"]
    start = hook["cursor"]
    assert start > 0

    worker = start_worker()
    try:
        # Up: every change arrives, in order, shortly after it commits.
        slugs = [bill(curator, n) for n in range(1, 4)]
        publish(curator, slugs[0])
        expected = owed(start)
        assert len(expected) >= 4
        wait_for(lambda: receiver.seen == expected, "the first deliveries")

        # Down: the changes wait, the attempts are recorded with a growing backoff.
        receiver.up = False
        publish(curator, slugs[1])
        bill(curator, 4)
        failed = WebhookDelivery.objects.filter(succeeded=False)
        wait_for(lambda: failed.count() >= 3, "three failed attempts")
        attempts = list(failed.order_by("created_at"))
        planned = [(a.next_attempt_at - a.created_at).total_seconds() for a in attempts[:3]]
        assert planned == pytest.approx([0.5, 1, 2], abs=0.1)  # doubling, from the settings
        waited = [(b.created_at - a.created_at).total_seconds() for a, b in pairs(attempts[:3])]
        assert all(wait >= plan - 0.05 for wait, plan in zip(waited, planned, strict=False))
        assert all(a.status_code == 500 for a in attempts)
        assert WebhookSubscription.objects.get().cursor == expected[-1]  # nothing skipped

        # The owner sees them.
        shown = curator.get(f"/api/v1/webhooks/{hook['id']}/deliveries/").json()["results"]
        assert shown[0]["status_code"] == 500 and shown[0]["next_attempt_at"]

        # The worker restarts while the receiver is still down; more changes meanwhile.
        stop_worker(worker)
        publish(curator, slugs[2])
        worker = start_worker()
        wait_for(lambda: failed.count() >= len(attempts) + 1, "a failed attempt after restart")

        # Back up: what it missed arrives, in order, nothing lost, nothing twice after dedupe.
        receiver.up = True
        everything = owed(start)
        assert len(everything) > len(expected)
        wait_for(lambda: receiver.seen == everything, "the missed deliveries")
        assert set(receiver.received) == set(everything)  # duplicates only from retries
        # The receiver counts an event before it answers; the worker records the answer after.
        subscription = WebhookSubscription.objects.all()
        wait_for(lambda: subscription.get().cursor == everything[-1], "the cursor")
        assert subscription.get().failures == 0
        assert receiver.refused == 0
    finally:
        stop_worker(worker)

    # A forged delivery (right shape, wrong key) is refused by the receiver's check.
    body = json.dumps({"events": [{"id": everything[-1] + 1}]}).encode()
    forged = urllib.request.Request(
        receiver.url,
        data=body,
        method="POST",
        headers=signing.signed_headers("whsec_forger", "1-1", body),
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=5)
    assert refused.value.code == 401
    assert receiver.refused == 1
    assert everything[-1] + 1 not in receiver.seen


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_paused_subscription_catches_up_when_resumed(receiver, settings):
    settings.WEBHOOKS_ALLOW_INSECURE_LOOPBACK = True
    user = User.objects.create_user("curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    curator = APIClient()
    curator.force_authenticate(user)
    hook = curator.post(
        "/api/v1/webhooks/", {"url": receiver.url, "active": False}, format="json"
    ).json()
    receiver.secret = hook["secret"]
    bill(curator, 1)
    worker = start_worker()
    try:
        time.sleep(1.5)
        assert receiver.seen == []  # paused: nothing sent, nothing skipped
        resumed = curator.patch(f"/api/v1/webhooks/{hook['id']}/", {"active": True}, format="json")
        assert resumed.status_code == 200
        bill(curator, 2)  # the next change wakes the worker; it delivers from the cursor
        wait_for(lambda: receiver.seen == owed(hook["cursor"]), "the catch-up")
    finally:
        stop_worker(worker)
