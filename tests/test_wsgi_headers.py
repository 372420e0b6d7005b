"""Responses survive a real WSGI server: wsgiref (what runserver and `live_server` use) accepts
only plain `str` header values, which the test client never checks."""

import json
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token

from bills.models import Person
from tests.bills.factories import BillFactory, StatementFactory
from tests.sources.factories import SourceFactory

# Real transactions for the server thread; serialized_rollback restores the migration-created
# Curators group after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def send(url: str, *, data: dict | None = None, headers: dict | None = None):
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def curator_token() -> str:
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return Token.objects.create(user=user).key


def test_idempotent_create_and_its_replay_answer_201_over_wsgi(live_server):
    url = f"{live_server.url}/api/v1/people/"
    headers = {"Authorization": f"Token {curator_token()}", "Idempotency-Key": "wsgi-1"}
    person = {"slug": "aigul-example", "name": "Aigul Example"}

    first_status, first_headers, first_body = send(url, data=person, headers=headers)
    assert first_status == 201, first_body
    assert first_headers["Location"].endswith("/api/v1/people/aigul-example/")
    assert "Idempotent-Replayed" not in first_headers

    again_status, again_headers, again_body = send(url, data=person, headers=headers)
    assert again_status == 201, again_body
    assert again_headers["Idempotent-Replayed"] == "true"
    assert again_headers["Location"] == first_headers["Location"]
    assert json.loads(again_body) == json.loads(first_body)
    assert Person.objects.filter(slug="aigul-example").count() == 1


@pytest.mark.parametrize(
    "path",
    [
        "/healthz",
        "/api/v1/",
        "/api/v1/bills/",
        "/api/v1/bills/kz-wsgi/",
        "/api/v1/statements/",
        "/api/v1/people/",
        "/api/v1/sources/",
        "/api/v1/statuses/",
    ],
)
def test_reads_answer_200_over_wsgi(live_server, path):
    BillFactory(slug="kz-wsgi")
    StatementFactory()
    SourceFactory()
    status, _, body = send(f"{live_server.url}{path}")
    assert status == 200, body
