"""The lean read path (policytracker/lean.py, bills/api/lean.py) gives exactly what the documented
serializers give: for the seed data and for generated data with drafts, hidden references,
nulls and conflicting sources, for every `include=` combination, searched or not, anonymous and
as a curator. If a field is added to a serializer and not to the lean page, this fails."""

import datetime
import itertools
import json
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.management import call_command
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from bills import selectors
from bills.api import serializers
from bills.models import Bill, BillIdentifier, BillPackage, Statement, StatementBill
from policytracker.renderers import ORJSONRenderer
from policytracker.visibility import can_see_drafts
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

BILL_INCLUDES = ["sponsors", "actions", "statements"]
INCLUDE_SETS = [
    frozenset(combo)
    for size in range(len(BILL_INCLUDES) + 1)
    for combo in itertools.combinations(BILL_INCLUDES, size)
]


def generated_world() -> None:
    """Every field set and unset, every reference visible and hidden."""
    day = datetime.date(2016, 9, 22)
    draft_org = OrganizationFactory(slug="draft-org", is_published=False)
    chamber = OrganizationFactory(slug="mazhilis", abbreviation="MZ")
    draft_person = PersonFactory(slug="draft-person", is_published=False)
    speaker = PersonFactory(slug="speaker")
    draft_source = SourceFactory(is_published=False)
    source = SourceFactory(published_on=day, published_precision="day")
    topic, other_topic = TopicFactory(slug="security"), TopicFactory(slug="alpha")
    package = BillPackage.objects.create(slug="package", name="Package", is_published=True)
    draft_package = BillPackage.objects.create(
        slug="draft-package", name="Draft", is_published=False
    )

    full = BillFactory(
        slug="full",
        package=package,
        originating_chamber=chamber,
        introduced_on=datetime.date(2016, 9, 1),
        introduced_precision="month",
        signed_on=day,
        signed_precision="day",
        law_number="36-VI",
        summary="Counter-terrorism and NGO registration.",
    )
    full.topics.add(topic, other_topic)
    BillIdentifier.objects.create(bill=full, scheme="mazhilis", identifier="123-V")
    hidden_refs = BillFactory(
        slug="hidden-refs", package=draft_package, originating_chamber=draft_org
    )
    BillFactory(slug="draft-bill", is_published=False, summary="Secret NGO plans.")
    BillFactory(slug="bare", short_title="Bare", summary="")

    for bill in (full, hidden_refs):
        CitationFactory(record=bill, source=source, excerpt="supports it")
        CitationFactory(record=bill, source=draft_source, excerpt="hidden source")
        CitationFactory(
            record=bill, source=source, relation="contradicts", claimed_value="15 October"
        )
        SponsorshipFactory(bill=bill, organization=chamber, chamber=draft_org)
        SponsorshipFactory(bill=bill, person=speaker, organization=None, chamber=chamber)
        SponsorshipFactory(bill=bill, person=draft_person, organization=None)
        sponsorship = SponsorshipFactory(
            bill=bill, organization=chamber, started_on=day, started_precision="day"
        )
        CitationFactory(record=sponsorship, source=source)
    from bills.services import bill_change_status

    for status in ("announced", "drafted"):
        action = bill_change_status(bill=full, to_status=status, occurred_on=day, actor=chamber)
        CitationFactory(record=action, source=source)
    bill_change_status(bill=hidden_refs, to_status="announced", occurred_on=None, actor=draft_org)

    post = MembershipFactory(person=speaker, organization=chamber)
    hidden_post = MembershipFactory(person=speaker, organization=draft_org)
    event = EventFactory(
        slug="roundtable", organizer=chamber, starts_on=day, starts_precision="day"
    )
    draft_event = EventFactory(slug="draft-event", is_published=False)
    said = StatementFactory(
        slug="said",
        speaker_person=speaker,
        speaker_membership=post,
        on_behalf_of=chamber,
        event=event,
        said_on=day,
        said_precision="day",
        text="NGOs must register.",
    )
    said.topics.add(topic)
    CitationFactory(record=said, source=source)
    CitationFactory(record=said, source=draft_source)
    StatementBill.objects.create(statement=said, bill=full, stance="support")
    StatementBill.objects.create(statement=said, bill=hidden_refs, stance="oppose")
    hidden = StatementFactory(
        slug="hidden-refs-statement",
        speaker_person=draft_person,
        on_behalf_of=draft_org,
        event=draft_event,
    )
    CitationFactory(record=hidden, source=source)
    StatementBill.objects.create(statement=hidden, bill=full, stance="unclear")
    by_body = StatementFactory(
        slug="hidden-post-statement",
        speaker_person=None,
        speaker_organization=draft_org,
        attribution="A ministry",
    )
    CitationFactory(record=by_body, source=source)
    past_post = StatementFactory(
        slug="hidden-post", speaker_person=speaker, speaker_membership=hidden_post
    )
    CitationFactory(record=past_post, source=source)
    by_chamber = StatementFactory(
        slug="chamber-said",
        speaker_person=None,
        speaker_organization=chamber,
        attribution="The Mazhilis",
    )
    CitationFactory(record=by_chamber, source=source)
    StatementFactory(slug="draft-statement", is_published=False)


def curator() -> User:
    user = User.objects.create_user("lean-curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def serializer_output(path: str, user, serializer_class, queryset) -> list[dict]:
    """What the documented serializer gives for the same records, as JSON."""
    request = Request(APIRequestFactory().get(path))
    request.user = user
    # What policytracker/locale.py reads off `?lang=` before the view.
    request._request.content_language = request.query_params.get("lang", "en")
    include = frozenset(filter(None, request.query_params.get("include", "").split(",")))
    see_drafts = can_see_drafts(user)
    context = {"request": request, "see_drafts": see_drafts, "include": include}
    data = serializer_class(list(queryset), many=True, context=context).data
    return json.loads(ORJSONRenderer().render(data))


def lean_output(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def clients():
    anonymous = APIClient()
    signed_in = APIClient()
    user = curator()
    signed_in.force_authenticate(user)
    from django.contrib.auth.models import AnonymousUser

    return [(anonymous, AnonymousUser()), (signed_in, user)]


def compare_bills(q: str | None = None, lang: str | None = None) -> int:
    compared = 0
    for (client, user), include in itertools.product(clients_cache(), INCLUDE_SETS):
        see_drafts = can_see_drafts(user)
        path = "/api/v1/bills/?page_size=200" + (f"&lang={lang}" if lang else "")
        if include:
            path += "&include=" + ",".join(sorted(include))
        if q:
            path += f"&q={q}"
        queryset = selectors.bill_list(see_drafts=see_drafts, include=include, q=q)
        if q:
            queryset = queryset.order_by("-search_rank", "-pk")
        else:
            queryset = queryset.order_by("slug", "pk")
        expected = serializer_output(path, user, serializers.BillSerializer, queryset[:200])
        assert lean_output(client, path) == expected, (path, user)
        compared += len(expected)
    return compared


def compare_statements(q: str | None = None, lang: str | None = None) -> int:
    compared = 0
    for client, user in clients_cache():
        see_drafts = can_see_drafts(user)
        path = "/api/v1/statements/?page_size=200" + (f"&q={q}" if q else "")
        path += f"&lang={lang}" if lang else ""
        queryset = selectors.statement_list(see_drafts=see_drafts, q=q)
        if q:
            queryset = queryset.order_by("-search_rank", "-pk")
        else:
            queryset = queryset.order_by("slug", "pk")
        expected = serializer_output(path, user, serializers.StatementSerializer, queryset[:200])
        assert lean_output(client, path) == expected, (path, user)
        compared += len(expected)
    return compared


def compare_details() -> int:
    """Detail GETs of every visible bill and statement, with every include, against the
    serializers."""
    compared = 0
    for client, user in clients_cache():
        see_drafts = can_see_drafts(user)
        for include in INCLUDE_SETS:
            suffix = "?include=" + ",".join(sorted(include)) if include else ""
            for bill in selectors.bill_list(see_drafts=see_drafts, include=include):
                path = f"/api/v1/bills/{bill.slug}/{suffix}"
                (expected,) = serializer_output(path, user, serializers.BillSerializer, [bill])
                response = client.get(path)
                assert response.status_code == 200
                assert response.json() == expected, path
                assert response["ETag"].startswith(f'"{bill.version}-')
                compared += 1
        for statement in selectors.statement_list(see_drafts=see_drafts):
            path = f"/api/v1/statements/{statement.slug}/"
            (expected,) = serializer_output(
                path, user, serializers.StatementSerializer, [statement]
            )
            assert client.get(path).json() == expected, path
            compared += 1
    return compared


_CLIENTS: list = []


def clients_cache():
    if not _CLIENTS:
        _CLIENTS.extend(clients())
    return _CLIENTS


@pytest.fixture(autouse=True)
def _fresh_clients():
    _CLIENTS.clear()
    yield
    _CLIENTS.clear()


@pytest.fixture(autouse=True)
def lean_calls(monkeypatch):
    """Counts the lean pages built, so a comparison cannot pass by serializing both sides."""
    from bills.api import lean

    calls = {"bill_page": 0, "statement_page": 0}
    for name in calls:
        original = getattr(lean, name)

        def spy(*args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(lean, name, spy)
    return calls


def test_generated_data_every_field_null_and_include(lean_calls):
    generated_world()
    assert compare_bills() > 0
    assert compare_bills(q="NGO") > 0
    assert compare_statements() > 0
    assert compare_statements(q="register") > 0
    assert lean_calls == {"bill_page": 2 * 2 * len(INCLUDE_SETS), "statement_page": 2 * 2}
    assert compare_details() > 0
    assert lean_calls["bill_page"] > 2 * 2 * len(INCLUDE_SETS)


def test_the_seed_data():
    call_command("load_seed", stdout=StringIO())
    assert compare_bills() >= 7 * 2 * len(INCLUDE_SETS)
    assert compare_statements() > 0
    assert compare_statements(q="terrorism") > 0


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_seed_data_in_another_language(lang):
    """Titles, summaries and the status vocabulary in Russian or Kazakh (English where no
    translation is recorded): the lean pages give what the serializers give."""
    call_command("load_seed", stdout=StringIO())
    Bill.objects.filter(slug="kz-2016-counter-intelligence").update(
        summary_ru="Закон о контрразведывательной деятельности.", short_title_kk="Қарсы барлау"
    )
    assert compare_bills(lang=lang) >= 7 * 2 * len(INCLUDE_SETS)
    assert compare_bills(q="terrorism", lang=lang) > 0
    assert compare_statements(lang=lang) > 0


def test_the_lean_page_never_shows_a_draft():
    generated_world()
    anonymous = APIClient()
    body = anonymous.get("/api/v1/bills/?include=sponsors,actions,statements").content.decode()
    body += anonymous.get("/api/v1/statements/").content.decode()
    for hidden in (
        "draft-bill",
        "draft-org",
        "draft-person",
        "draft-package",
        "draft-event",
        "draft-statement",
        "hidden source",
    ):
        assert hidden not in body, hidden


def test_filters_that_join_and_other_orderings_keep_the_documents_right():
    """The compiled document is reused under any filter: joins (sponsor, topic) and orderings
    must not shift what its outer references point at."""
    generated_world()
    anonymous = APIClient()
    for query, slugs in (
        ("sponsor=speaker&include=sponsors,actions", ["full", "hidden-refs"]),
        ("topic=security&ordering=-short_title", None),
        ("sponsor=mazhilis&sponsor_role=initiator&include=statements", None),
    ):
        path = f"/api/v1/bills/?page_size=200&{query}"
        expected_slugs = [row["slug"] for row in lean_output(anonymous, path)]
        include = frozenset(part for part in ("sponsors", "actions", "statements") if part in query)
        queryset = selectors.bill_list(see_drafts=False, include=include)
        records = {bill.slug: bill for bill in queryset}
        ordered = [records[slug] for slug in expected_slugs]
        expected = serializer_output(path, AnonymousUser(), serializers.BillSerializer, ordered)
        assert lean_output(anonymous, path) == expected, path
        if slugs is not None:  # the filter narrowed the page (its join is in the query)
            assert expected_slugs == slugs


def test_timestamps_on_a_whole_second_are_written_as_drf_writes_them():
    generated_world()
    whole = datetime.datetime(2016, 9, 22, 10, 0, 0, tzinfo=datetime.UTC)
    Bill.objects.filter(slug="full").update(updated_at=whole)
    Statement.objects.update(created_at=whole + datetime.timedelta(microseconds=5))
    assert APIClient().get("/api/v1/bills/full/").json()["updated_at"] == "2016-09-22T10:00:00Z"
    statement = APIClient().get("/api/v1/statements/").json()["results"][0]
    assert statement["created_at"] == "2016-09-22T10:00:00.000005Z"
    assert compare_bills() > 0
    assert compare_statements() > 0


def test_an_indented_page_is_the_same_json():
    call_command("load_seed", stdout=StringIO())
    client = APIClient()
    for path in ("/api/v1/bills/?include=sponsors", "/api/v1/statements/"):
        compact = client.get(path)
        indented = client.get(path, HTTP_ACCEPT="application/json; indent=2")
        assert indented.status_code == 200
        assert b'\n  "results": [' in indented.content
        assert json.loads(indented.content) == compact.json()


def test_filtersets_are_built_only_when_a_filter_is_asked_for(monkeypatch):
    """The filter backend skips django-filter's form when no filter parameter is given (it would
    change nothing); with one, the filterset runs and still answers 400 for a bad value."""
    from bills.api.filters import BillFilter

    built = []
    original = BillFilter.__init__

    def spy(self, *args, **kwargs):
        built.append(kwargs.get("data"))
        original(self, *args, **kwargs)

    monkeypatch.setattr(BillFilter, "__init__", spy)
    call_command("load_seed", stdout=StringIO())
    client = APIClient()
    everything = client.get("/api/v1/bills/?include=sponsors&page_size=3&ordering=-slug")
    assert everything.status_code == 200 and not built
    signed = client.get("/api/v1/bills/?status=signed")
    assert len(built) == 1
    assert {bill["status"] for bill in signed.json()["results"]} == {"signed"}
    bad = client.get("/api/v1/bills/?status=nonsense")
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
