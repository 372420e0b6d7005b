"""The lean read path of people, organizations, memberships, events, topics, bill actions,
sponsorships, sources and citations gives exactly what their documented serializers give: for
the seed data and for generated data with drafts, hidden references, nulls and contradicting
sources, every page of every list (people with and without `include=memberships`, searched or
not) and every detail, anonymous and as a curator. A spy proves each response was built by the
lean page, and no draft ever shows to the public."""

import datetime
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.management import call_command
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from bills import selectors
from bills.api import lean_people, lean_records, serializers
from bills.models import BillAction
from bills.services import bill_change_status
from policytracker.renderers import ORJSONRenderer
from policytracker.visibility import can_see_drafts
from sources import selectors as source_selectors
from sources.api import lean as source_lean
from sources.api.serializers import CitationRecordSerializer, SourceSerializer
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@dataclass(frozen=True)
class Endpoint:
    path: str
    serializer: type
    records: Callable  # (see_drafts, include, q) -> the selector's queryset
    ordering: str  # the viewset's default ordering
    lean: tuple  # (module, name) of the lean page function
    lookup: str = "pk"
    includes: tuple = (frozenset(),)
    searchable: bool = False


ENDPOINTS = [
    Endpoint(
        "people",
        serializers.PersonSerializer,
        lambda see_drafts, include, q: selectors.person_list(
            see_drafts=see_drafts, include=include, q=q
        ),
        "slug",
        (lean_people, "person_page"),
        lookup="slug",
        includes=(frozenset(), frozenset({"memberships"})),
        searchable=True,
    ),
    Endpoint(
        "organizations",
        serializers.OrganizationSerializer,
        lambda see_drafts, include, q: selectors.organization_list(see_drafts=see_drafts, q=q),
        "slug",
        (lean_people, "organization_page"),
        lookup="slug",
        searchable=True,
    ),
    Endpoint(
        "memberships",
        serializers.MembershipSerializer,
        lambda see_drafts, include, q: selectors.membership_list(see_drafts=see_drafts),
        "created_at",
        (lean_people, "membership_page"),
    ),
    Endpoint(
        "events",
        serializers.EventSerializer,
        lambda see_drafts, include, q: selectors.event_list(see_drafts=see_drafts),
        "slug",
        (lean_records, "event_page"),
        lookup="slug",
    ),
    Endpoint(
        "topics",
        serializers.TopicSerializer,
        lambda see_drafts, include, q: selectors.topic_list(see_drafts=see_drafts),
        "slug",
        (lean_records, "topic_page"),
        lookup="slug",
    ),
    Endpoint(
        "bill-actions",
        serializers.BillActionSerializer,
        lambda see_drafts, include, q: selectors.bill_action_list(see_drafts=see_drafts),
        "created_at",
        (lean_records, "action_page"),
    ),
    Endpoint(
        "sponsorships",
        serializers.SponsorshipSerializer,
        lambda see_drafts, include, q: selectors.sponsorship_list(see_drafts=see_drafts),
        "created_at",
        (lean_records, "sponsorship_page"),
    ),
    Endpoint(
        "sources",
        SourceSerializer,
        lambda see_drafts, include, q: source_selectors.source_list(see_drafts=see_drafts),
        "created_at",
        (source_lean, "source_page"),
    ),
    Endpoint(
        "citations",
        CitationRecordSerializer,
        lambda see_drafts, include, q: source_selectors.citation_list(see_drafts=see_drafts),
        "created_at",
        (source_lean, "citation_page"),
    ),
]
SEARCHES = {"people": "Nurgali", "organizations": "MZ"}
# Texts of the generated drafts and of what only they link to: none may reach the public.
HIDDEN = (
    "draft-org",
    "Draft body",
    "draft-person",
    "Draft Person",
    "Hidden alias",
    "draft-event",
    "draft-bill",
    "Draft source",
    "hidden.example.org",
    "Hidden post",
    "Post of a draft person",
    "Secret draft post",
    "hidden sponsorship",
    "hidden excerpt",
)


def generated_world() -> dict:
    """Every field set and unset, every reference visible and hidden, every kind of draft."""
    day = D(2016, 9, 22)
    source = SourceFactory(
        title="Official record",
        author="Ministry of Justice",
        published_on=day,
        published_precision="day",
        language="ru",
        kind="official_record",
        archived_url="https://archive.example.org/1",
        accessed_on=D(2020, 1, 2),
        content_sha256="ab" * 32,
        notes="Reliable.",
    )
    SourceFactory(publisher="", language="", kind="other")
    draft_source = SourceFactory(
        url="https://hidden.example.org/1", title="Draft source", is_published=False
    )

    chamber = OrganizationFactory(
        slug="mazhilis",
        name="Mazhilis",
        abbreviation="MZ",
        classification="chamber",
        other_names=["Majilis", "Мажилис"],
        description="Lower house.",
    )
    committee = OrganizationFactory(slug="committee", parent=chamber)
    draft_org = OrganizationFactory(slug="draft-org", name="Draft body", is_published=False)
    OrganizationFactory(slug="under-draft", parent=draft_org)
    ngo = OrganizationFactory(slug="ngo", classification="ngo", abbreviation="")

    speaker = PersonFactory(slug="speaker", summary="Chairman.")
    bare = PersonFactory(slug="bare", given_name="", family_name="", name="Bare Name")
    draft_person = PersonFactory(slug="draft-person", name="Draft Person", is_published=False)
    alias = speaker.other_names.create(
        name="Nurgali Speaker", kind="transliteration", language="ru", note="As in the decree."
    )
    conflicting = speaker.other_names.create(name="Nurgaly", kind="conflicting")
    draft_person.other_names.create(name="Hidden alias")
    CitationFactory(record=alias, source=source)
    CitationFactory(record=conflicting, source=draft_source, excerpt="hidden excerpt")
    CitationFactory(
        record=conflicting,
        source=source,
        relation="contradicts",
        claimed_value="Nurgaly",
        resolution_note="A typo in the source.",
        field_name="name",
        locator="p. 2",
    )

    post = MembershipFactory(
        person=speaker,
        organization=chamber,
        role="Chairman",
        start_on=D(2016, 1, 1),
        start_precision="year",
        end_on=day,
        end_precision="day",
    )
    MembershipFactory(person=speaker, organization=committee, role="Member")
    MembershipFactory(person=speaker, organization=draft_org, role="Hidden post")
    MembershipFactory(person=draft_person, organization=chamber, role="Post of a draft person")
    draft_post = MembershipFactory(
        person=bare, organization=ngo, role="Secret draft post", is_published=False
    )

    EventFactory(
        slug="roundtable",
        organizer=chamber,
        starts_on=day,
        starts_precision="day",
        place="Astana",
        description="On NGOs.",
    )
    hidden_organizer = EventFactory(slug="hidden-organizer", organizer=draft_org)
    EventFactory(slug="bare-event")
    draft_event = EventFactory(slug="draft-event", is_published=False)
    TopicFactory(slug="security", name="Security", description="Information security.")
    TopicFactory(slug="bare-topic")

    full = BillFactory(slug="full")
    draft_bill = BillFactory(slug="draft-bill", is_published=False)
    announced = bill_change_status(bill=full, to_status="announced", occurred_on=day, actor=chamber)
    bill_change_status(
        bill=full, to_status="drafted", occurred_on=None, actor=draft_org, description="Drafted."
    )
    bill_change_status(bill=full, to_status="submitted", occurred_on=None)
    hidden_action = bill_change_status(
        bill=draft_bill, to_status="announced", occurred_on=day, actor=chamber
    )

    sponsorships = [
        SponsorshipFactory(
            bill=full,
            organization=chamber,
            chamber=draft_org,
            capacity="Lead agency",
            started_on=day,
            started_precision="day",
            ended_on=D(2017, 1, 1),
            ended_precision="month",
        ),
        SponsorshipFactory(bill=full, person=speaker, organization=None, chamber=chamber),
        SponsorshipFactory(bill=full, organization=ngo, role="cosponsor"),
    ]
    hidden_sponsorships = [
        SponsorshipFactory(bill=full, person=draft_person, organization=None),
        SponsorshipFactory(bill=full, organization=draft_org, role="drafter"),
        SponsorshipFactory(bill=draft_bill, organization=chamber),
        SponsorshipFactory(
            bill=full, organization=chamber, role="presenter", capacity="hidden sponsorship"
        ),
    ]
    hidden_sponsorships[-1].is_published = False
    hidden_sponsorships[-1].save(update_fields=["is_published"])

    for record in (speaker, chamber, post, hidden_organizer, announced, *sponsorships):
        CitationFactory(record=record, source=source, excerpt=f"supports {record.pk}")
        CitationFactory(record=record, source=draft_source, excerpt="hidden excerpt")
        CitationFactory(
            record=record, source=source, relation="contradicts", claimed_value="15 October"
        )
    for record in (draft_person, draft_post, hidden_action, *hidden_sponsorships):
        CitationFactory(record=record, source=source, excerpt="hidden excerpt")
    return {
        "people": draft_person.slug,
        "organizations": draft_org.slug,
        "memberships": draft_post.pk,
        "events": draft_event.slug,
        "bill-actions": hidden_action.pk,
        "sponsorships": hidden_sponsorships[0].pk,
        "sources": draft_source.pk,
        "citations": draft_source.citations.first().pk,
    }


def curator() -> User:
    user = User.objects.create_user("lean-records-curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def callers() -> list[tuple[APIClient, object]]:
    signed_in, user = APIClient(), curator()
    signed_in.force_authenticate(user)
    return [(APIClient(), AnonymousUser()), (signed_in, user)]


def serializer_output(path: str, user, serializer_class, records) -> list[dict]:
    """What the documented serializer gives for the same records, as JSON."""
    request = Request(APIRequestFactory().get(path))
    request.user = user
    include = frozenset(filter(None, request.query_params.get("include", "").split(",")))
    context = {"request": request, "see_drafts": can_see_drafts(user), "include": include}
    data = serializer_class(list(records), many=True, context=context).data
    return json.loads(ORJSONRenderer().render(data))


class Calls:
    """Responses the test asked for, by endpoint, to match against the spies' counts."""

    def __init__(self):
        self.made = {endpoint.path: 0 for endpoint in ENDPOINTS}

    def get(self, client, endpoint: Endpoint, path: str):
        response = client.get(path)
        assert response.status_code == 200, (path, response.content)
        self.made[endpoint.path] += 1
        return response


def every_page(calls: Calls, client, endpoint: Endpoint, path: str) -> list[dict]:
    """The whole list, following `next` links (small pages, so the cursor is exercised)."""
    results = []
    while path:
        body = calls.get(client, endpoint, path).json()
        results += body["results"]
        path = body["next"]
    return results


def compare_lists(calls: Calls) -> int:
    compared = 0
    for (client, user), endpoint in itertools.product(callers_cache(), ENDPOINTS):
        searches = [None, SEARCHES.get(endpoint.path)] if endpoint.searchable else [None]
        for include, q in itertools.product(endpoint.includes, searches):
            path = f"/api/v1/{endpoint.path}/?page_size=3"
            path += "&include=memberships" if include else ""
            path += f"&q={q}" if q else ""
            records = endpoint.records(can_see_drafts(user), include, q)
            order = ("-search_rank", "-pk") if q else (endpoint.ordering, "pk")
            expected = serializer_output(path, user, endpoint.serializer, records.order_by(*order))
            assert every_page(calls, client, endpoint, path) == expected, (path, user)
            compared += len(expected)
    return compared


def compare_details(calls: Calls) -> int:
    compared = 0
    for (client, user), endpoint in itertools.product(callers_cache(), ENDPOINTS):
        for include, record in itertools.product(
            endpoint.includes, endpoint.records(can_see_drafts(user), frozenset(), None)
        ):
            key = record.slug if endpoint.lookup == "slug" else record.pk
            path = f"/api/v1/{endpoint.path}/{key}/"
            path += "?include=memberships" if include else ""
            records = endpoint.records(can_see_drafts(user), include, None).filter(pk=record.pk)
            (expected,) = serializer_output(path, user, endpoint.serializer, records)
            response = calls.get(client, endpoint, path)
            assert response.json() == expected, (path, user)
            assert response["ETag"].startswith(f'"{record.version}-'), path
            if "feed_url" in expected:  # people and topics link their Atom feed
                link = f'<{expected["feed_url"]}>; rel="alternate"; type="application/atom+xml"'
                assert response["Link"] == link, path
            compared += 1
    return compared


_CALLERS: list = []


def callers_cache() -> list:
    if not _CALLERS:
        _CALLERS.extend(callers())
    return _CALLERS


@pytest.fixture(autouse=True)
def _fresh_callers():
    _CALLERS.clear()
    yield
    _CALLERS.clear()


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    # Every page and detail of the seed is read, twice: far past the anonymous rate.
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "user": "100000/minute"}


@pytest.fixture(autouse=True)
def lean_calls(monkeypatch) -> dict[str, int]:
    """Counts the lean pages built, by endpoint: a comparison cannot pass by serializing both
    sides."""
    counted = {endpoint.path: 0 for endpoint in ENDPOINTS}
    for endpoint in ENDPOINTS:
        module, name = endpoint.lean
        original = getattr(module, name)

        def spy(*args, _original=original, _path=endpoint.path, **kwargs):
            counted[_path] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return counted


def test_generated_data_every_field_null_and_include(lean_calls):
    generated_world()
    calls = Calls()
    assert compare_lists(calls) > 0
    assert compare_details(calls) > 0
    assert all(calls.made.values())
    assert lean_calls == calls.made


def test_the_seed_data(lean_calls):
    call_command("load_seed", stdout=StringIO())
    calls = Calls()
    assert compare_lists(calls) > 0
    assert compare_details(calls) > 0
    assert lean_calls == calls.made


def test_a_draft_never_shows_to_the_public():
    drafts = generated_world()
    anonymous = APIClient()
    body = ""
    for endpoint in ENDPOINTS:
        for include in endpoint.includes:
            path = f"/api/v1/{endpoint.path}/?page_size=200"
            path += "&include=memberships" if include else ""
            response = anonymous.get(path)
            assert response.status_code == 200
            body += response.content.decode()
            for item in response.json()["results"]:
                key = item["slug"] if endpoint.lookup == "slug" else item["id"]
                detail = f"/api/v1/{endpoint.path}/{key}/"
                body += anonymous.get(detail + ("?include=memberships" if include else "")).text
    for hidden in HIDDEN:
        assert hidden not in body, hidden

    signed_in = APIClient()
    signed_in.force_authenticate(curator())
    for kind, key in drafts.items():
        path = f"/api/v1/{kind}/{key}/"
        assert anonymous.get(path).status_code == 404, path
        assert signed_in.get(path).status_code == 200, path


def test_a_hidden_reference_is_null_and_a_hidden_part_is_left_out():
    generated_world()
    anonymous = APIClient()
    organization = anonymous.get("/api/v1/organizations/under-draft/").json()
    assert organization["parent"] is None
    event = anonymous.get("/api/v1/events/hidden-organizer/").json()
    assert event["organizer"] is None
    assert event["sources"] and all("hidden" not in s["excerpt"] for s in event["sources"])
    actions = anonymous.get("/api/v1/bill-actions/?bill=full&ordering=order").json()["results"]
    assert [action["actor"] and action["actor"]["slug"] for action in actions] == [
        "mazhilis",
        None,
        None,
    ]
    assert "feeds/status-changes.atom" in anonymous.get("/api/v1/bill-actions/")["Link"]
    speaker = anonymous.get("/api/v1/people/speaker/?include=memberships").json()
    assert [post["role"] for post in speaker["memberships"]] == ["Chairman", "Member"]
    assert BillAction.objects.filter(bill__slug="full", actor__isnull=True).count() == 1
