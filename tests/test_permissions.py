"""Permission matrix: who may read published records, read drafts, create, update, delete."""

import itertools

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _statement(**kwargs):
    statement = StatementFactory(**kwargs)
    CitationFactory(record=statement)
    return statement


def _source_payload():
    return {
        "document_url": "https://new.example.org/a",
        "title": "A new report",
        "kind": "ngo_report",
    }


# endpoint → (make record(**kwargs), lookup attribute, create payload(), update payload)
ENDPOINTS = {
    "bills": (
        BillFactory,
        "slug",
        lambda: {
            "slug": "new-bill",
            "title": "On roads",
            "title_status": "verified",
            "short_title": "Roads",
        },
        {"summary": "Updated summary."},
    ),
    "statements": (
        _statement,
        "slug",
        lambda: {
            "slug": "new-statement",
            "attribution": "A speaker",
            "text": "We support it.",
            "form": "direct_quote",
            "sources": [{"source": SourceFactory().pk, "excerpt": "We support it."}],
        },
        {"text": "We oppose it."},
    ),
    "people": (
        PersonFactory,
        "slug",
        lambda: {"slug": "new-person", "name": "New Person"},
        {"summary": "A deputy."},
    ),
    "organizations": (
        OrganizationFactory,
        "slug",
        lambda: {"slug": "new-org", "name": "New NGO", "classification": "ngo"},
        {"description": "An NGO."},
    ),
    "memberships": (
        MembershipFactory,
        "pk",
        lambda: {
            "person": PersonFactory().slug,
            "organization": OrganizationFactory().slug,
            "role": "Member",
        },
        {"role": "Chair"},
    ),
    "events": (
        EventFactory,
        "slug",
        lambda: {"slug": "new-event", "name": "Hearing", "kind": "hearing"},
        {"place": "Astana"},
    ),
    "sources": (SourceFactory, "pk", _source_payload, {"title": "Renamed"}),
}
ROLES = ["anonymous", "user", "curator", "superuser"]
EXPECTED = {
    # role: (read published, read draft, create, update, delete)
    "anonymous": (200, 404, 401, 401, 401),
    "user": (200, 404, 403, 403, 403),
    "curator": (200, 200, 201, 200, 204),
    "superuser": (200, 200, 201, 200, 204),
}


def client_for(role: str) -> APIClient:
    client = APIClient()
    if role == "anonymous":
        return client
    if role == "superuser":
        user = User.objects.create_superuser(role, password="pw")
    else:
        user = User.objects.create_user(role, password="pw", is_staff=role == "curator")
    if role == "curator":
        user.groups.add(Group.objects.get(name="Curators"))
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def url(endpoint: str, record, lookup: str) -> str:
    return f"/api/v1/{endpoint}/{getattr(record, lookup)}/"


@pytest.mark.parametrize(("endpoint", "role"), list(itertools.product(ENDPOINTS, ROLES)))
def test_permission_matrix(endpoint, role):
    make, lookup, create_payload, update_payload = ENDPOINTS[endpoint]
    client = client_for(role)
    editor = client_for("superuser") if role in {"anonymous", "user"} else client
    published, draft = make(is_published=True), make(is_published=False)

    read_published = client.get(url(endpoint, published, lookup)).status_code
    read_draft = client.get(url(endpoint, draft, lookup)).status_code
    created = client.post(f"/api/v1/{endpoint}/", create_payload(), format="json").status_code

    etag = editor.get(url(endpoint, published, lookup))["ETag"]
    updated = client.patch(
        url(endpoint, published, lookup), update_payload, format="json", HTTP_IF_MATCH=etag
    ).status_code
    etag = editor.get(url(endpoint, draft, lookup))["ETag"]
    deleted = client.delete(url(endpoint, draft, lookup), HTTP_IF_MATCH=etag).status_code

    assert (read_published, read_draft, created, updated, deleted) == EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_read_only_vocabularies_refuse_writes(role):
    client = client_for(role)
    for path in ["/api/v1/statuses/", "/api/v1/topics/", "/api/v1/bill-actions/"]:
        assert client.get(path).status_code == 200
        response = client.post(path, {}, format="json")
        assert response.status_code in {401, 403, 405}, (path, response.status_code)


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 401), ("user", 403)])
def test_publish_and_status_changes_need_change_permission(role, expected):
    bill = BillFactory(is_published=True)
    client = client_for(role)
    assert client.post(f"/api/v1/bills/{bill.slug}/unpublish/").status_code == expected
    response = client.post(
        f"/api/v1/bills/{bill.slug}/actions/", {"to_status": "announced"}, format="json"
    )
    assert response.status_code == expected
    bill.refresh_from_db()
    assert bill.is_published and bill.status is None
