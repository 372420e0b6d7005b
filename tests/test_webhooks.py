"""Webhooks without a worker: the signature recipe, who may register what, and what the owner
sees of the attempts. Delivery itself (a real worker, a real receiver) is in
tests/test_webhooks_live.py."""

import json
import time

import pytest
from django.contrib.auth.models import Group, Permission, User
from rest_framework.test import APIClient

from bills.models import Bill
from policytracker.changes.models import ChangeEvent
from policytracker.webhooks import rules, services, signing
from policytracker.webhooks.models import WebhookSubscription
from tests.test_webhooks_guard import PUBLIC, fake_dns

SECRET = "whsec_test"


@pytest.fixture(autouse=True)
def _dns(monkeypatch):
    # Registration resolves the endpoint's host (rules.host_problem): answer without the network.
    fake_dns(monkeypatch, {"hooks.example.org": [PUBLIC]})


BODY = b'{"events":[{"id":7}]}'


def signed(body: bytes = BODY, *, secret: str = SECRET, at: float | None = None) -> dict:
    return signing.signed_headers(secret, "7-7", body, now=at)


def check(headers: dict, body: bytes = BODY, *, secret: str = SECRET, now=None) -> bool:
    return signing.verify(
        secret,
        body=body,
        timestamp=headers.get("Webhook-Timestamp"),
        signature_header=headers.get("Webhook-Signature"),
        now=now,
    )


class TestSignature:
    def test_a_genuine_delivery_verifies(self):
        headers = signed()
        assert headers["Webhook-Signature"].startswith("v1=")
        assert check(headers)

    def test_the_recipe_is_hmac_sha256_over_timestamp_dot_body(self):
        import hashlib
        import hmac

        headers = signed(at=1_700_000_000)
        expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
        assert headers["Webhook-Signature"] == f"v1={expected}"

    def test_a_changed_body_is_refused(self):
        assert not check(signed(), BODY.replace(b"7", b"8"))

    def test_a_signature_made_with_another_secret_is_refused(self):
        assert not check(signed(secret="whsec_forger"))

    def test_a_forged_signature_is_refused(self):
        headers = {**signed(), "Webhook-Signature": "v1=" + "0" * 64}
        assert not check(headers)

    def test_a_replay_outside_the_window_is_refused(self):
        old = time.time() - signing.REPLAY_WINDOW_SECONDS - 5
        assert not check(signed(at=old))
        assert check(signed(at=time.time() - signing.REPLAY_WINDOW_SECONDS + 5))

    def test_missing_or_malformed_headers_are_refused(self):
        assert not check({})
        assert not check({**signed(), "Webhook-Timestamp": "soon"})

    def test_a_rotation_may_send_two_signatures(self):
        headers = signed()
        other = signing.signature("whsec_old", headers["Webhook-Timestamp"], BODY)
        headers["Webhook-Signature"] = f"{other} {headers['Webhook-Signature']}"
        assert check(headers)


def test_backoff_doubles_up_to_the_cap(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    settings.WEBHOOK_RETRY_MAX_SECONDS = 3600
    delays = [rules.retry_delay_seconds(n) for n in range(1, 11)]
    assert delays[:4] == [10, 20, 40, 80]
    assert delays[-1] == 3600


def user_with(name: str, *, curator: bool = False, webhooks: bool = False) -> User:
    user = User.objects.create_user(name)
    if curator:
        user.groups.add(Group.objects.get(name="Curators"))
    if webhooks:
        user.user_permissions.add(Permission.objects.get(codename="add_webhooksubscription"))
    return user


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


HOOK = {"url": "https://hooks.example.org/policytracker", "record_types": ["bill"]}


@pytest.mark.django_db
class TestRegistering:
    def test_a_curator_registers_and_sees_the_secret_once(self):
        curator = client_for(user_with("curator", curator=True))
        created = curator.post("/api/v1/webhooks/", HOOK, format="json")
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["secret"].startswith("whsec_")
        assert body["record_types"] == ["bill"] and body["active"] is True
        shown = curator.get(f"/api/v1/webhooks/{body['id']}/").json()
        assert "secret" not in shown
        assert "secret" not in curator.get("/api/v1/webhooks/").json()["results"][0]

    def test_deliveries_start_after_the_registration(self):
        owner = user_with("curator", curator=True)
        ChangeEvent.objects.create(
            record_type="bill", record_id=1, event="created", version=1, public=False
        )
        subscription = services.subscription_create(
            owner=owner, url=HOOK["url"], record_types=[], bill_ids=[]
        )
        assert subscription.cursor == ChangeEvent.objects.latest("seq").seq

    def test_a_watchdog_token_user_with_only_the_permission_may_register(self):
        watchdog = client_for(user_with("watchdog", webhooks=True))
        assert watchdog.post("/api/v1/webhooks/", HOOK, format="json").status_code == 201

    @pytest.mark.parametrize("user", [None, "reader"])
    def test_others_may_not(self, user):
        client = client_for(user and user_with(user))
        response = client.post("/api/v1/webhooks/", HOOK, format="json")
        assert response.status_code in {401, 403}
        assert client.get("/api/v1/webhooks/").status_code in {401, 403}

    @pytest.mark.parametrize(
        "field, value",
        [
            ("url", "http://hooks.example.org/x"),
            ("url", "ftp://hooks.example.org/x"),
            ("url", "https://user:pw@hooks.example.org/x"),
            ("url", "not a url"),
            ("record_types", ["bill", "nonsense"]),
            ("bill_ids", [987654321]),
            ("bill_ids", ["one"]),
            ("colour", "red"),
        ],
    )
    def test_bad_input_is_a_400_naming_the_field(self, field, value):
        curator = client_for(user_with("curator", curator=True))
        response = curator.post("/api/v1/webhooks/", {**HOOK, field: value}, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()["errors"]

    def test_plain_http_on_loopback_only_when_the_setting_allows_it(self, settings):
        curator = client_for(user_with("curator", curator=True))
        url = {"url": "http://127.0.0.1:9/hook"}
        assert curator.post("/api/v1/webhooks/", url, format="json").status_code == 400
        settings.WEBHOOKS_ALLOW_INSECURE_LOOPBACK = True
        assert curator.post("/api/v1/webhooks/", url, format="json").status_code == 201
        other = {"url": "http://10.0.0.1/hook"}
        assert curator.post("/api/v1/webhooks/", other, format="json").status_code == 400

    def test_a_watchdog_cannot_filter_on_a_draft_bill(self):
        draft = Bill.objects.create(slug="draft", title="Draft bill", is_published=False)
        watchdog = client_for(user_with("watchdog", webhooks=True))
        response = watchdog.post(
            "/api/v1/webhooks/", {**HOOK, "bill_ids": [draft.pk]}, format="json"
        )
        assert response.status_code == 400
        curator = client_for(user_with("curator", curator=True))
        response = curator.post(
            "/api/v1/webhooks/", {**HOOK, "bill_ids": [draft.pk]}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["bill_ids"] == [draft.pk]


@pytest.mark.django_db
class TestOwnership:
    def test_another_users_subscription_is_404(self):
        mine = client_for(user_with("curator", curator=True))
        theirs = client_for(user_with("other", curator=True))
        hook_id = mine.post("/api/v1/webhooks/", HOOK, format="json").json()["id"]
        for path in (f"/api/v1/webhooks/{hook_id}/", f"/api/v1/webhooks/{hook_id}/deliveries/"):
            assert theirs.get(path).status_code == 404
        assert (
            theirs.patch(
                f"/api/v1/webhooks/{hook_id}/", {"active": False}, format="json"
            ).status_code
            == 404
        )
        assert theirs.delete(f"/api/v1/webhooks/{hook_id}/").status_code == 404
        assert theirs.post(f"/api/v1/webhooks/{hook_id}/rotate-secret/").status_code == 404
        assert theirs.get("/api/v1/webhooks/").json()["results"] == []
        assert mine.get(f"/api/v1/webhooks/{hook_id}/").status_code == 200

    def test_the_owner_pauses_rotates_and_deletes(self):
        owner = client_for(user_with("curator", curator=True))
        created = owner.post("/api/v1/webhooks/", HOOK, format="json").json()
        path = f"/api/v1/webhooks/{created['id']}/"
        paused = owner.patch(path, {"active": False, "record_types": []}, format="json").json()
        assert paused["active"] is False and paused["record_types"] == []
        assert paused["version"] == created["version"] + 1
        rotated = owner.post(path + "rotate-secret/").json()
        assert rotated["secret"] != created["secret"]
        assert owner.delete(path).status_code == 204
        assert not WebhookSubscription.objects.exists()

    def test_the_owner_sees_the_attempts(self):
        owner = user_with("curator", curator=True)
        subscription = services.subscription_create(
            owner=owner, url=HOOK["url"], record_types=[], bill_ids=[]
        )
        services.delivery_record(
            subscription=subscription,
            first_seq=1,
            last_seq=2,
            event_count=2,
            status_code=500,
            error="HTTP 500",
            duration_ms=12,
        )
        services.delivery_record(
            subscription=subscription,
            first_seq=1,
            last_seq=3,
            event_count=3,
            status_code=204,
            error="",
            duration_ms=8,
        )
        body = client_for(owner).get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()
        attempts = body["results"]
        assert [(a["attempt"], a["status_code"], a["succeeded"]) for a in attempts] == [
            (2, 204, True),
            (1, 500, False),
        ]
        assert attempts[1]["next_attempt_at"] is not None
        subscription.refresh_from_db()
        assert (subscription.cursor, subscription.failures) == (3, 0)


def test_the_payload_is_json_of_events():
    from policytracker.webhooks.tasks import event_payload

    event = ChangeEvent(
        seq=4,
        record_type="bill",
        record_id=2,
        slug="s",
        event="created",
        changed={"title": "T"},
        version=1,
        public=True,
        bill_ids=[2],
    )
    payload = json.loads(json.dumps(event_payload(event), default=str))
    assert payload["id"] == payload["seq"] == 4
    assert payload["changed"] == {"title": "T"}


@pytest.mark.django_db
def test_a_watchdog_gets_what_the_public_feed_shows():
    """An owner who may not see drafts gets no content in tombstones, links by name only and
    only public bills among `bill_ids`, like /api/v1/changes/ for the public."""
    from policytracker.webhooks.tasks import payloads
    from tests.bills.factories import BillFactory

    public, draft = BillFactory(), BillFactory(is_published=False)
    updated = ChangeEvent(
        seq=5,
        record_type="statement",
        record_id=9,
        slug="said",
        event="updated",
        changed={"text": "New text", "event": draft.pk},
        version=2,
        public=True,
        bill_ids=[public.pk, draft.pk],
    )
    gone = ChangeEvent(
        seq=6,
        record_type="statement",
        record_id=9,
        slug="said",
        old_slug="earlier",
        event="unpublished",
        changed={"is_published": False},
        version=3,
        public=True,
        bill_ids=[public.pk],
    )
    watchdog = User.objects.create_user("watchdog-payload")
    first, second = payloads([updated, gone], watchdog)
    assert first["changed"] == {"text": "New text"}
    assert first["changed_fields"] == ["event", "text"]
    assert first["bill_ids"] == [public.pk]
    assert (second["changed"], second["old_slug"], second["bill_ids"]) == ({}, "", [public.pk])
    curator = User.objects.create_user("curator-payload", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    assert payloads([updated], curator)[0]["bill_ids"] == [public.pk, draft.pk]
