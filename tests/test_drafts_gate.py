"""The one gate, end to end: no public response reveals a draft, in any way the models allow.

A draft of every publishable kind carries the marker `zqx` in its slug and text, and is linked
from published records in every way the models allow (references, sponsorships, posts, stances,
citations, other names, actions). Then every public endpoint is read as an anonymous caller and as
staff without the drafts permission, with every `include`, every filter (draft slugs and values
included), search and history: the marker appears in no body, a draft's slug or id answers exactly
like one that does not exist, and no filter matches through a hidden row. A curator sees it all.
"""

import datetime
import io
import re
import zipfile
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.urls import resolve
from rest_framework.test import APIClient

from bills.models import (
    ActionClassification,
    BillPackage,
    BillRelation,
    BillStatus,
    EventKind,
    OrganizationClassification,
    SponsorshipRole,
    Stance,
    StatementBill,
    StatementForm,
    TitleStatus,
)
from bills.services import bill_change_status
from policytracker.exports.snapshot import snapshot_write
from policytracker.visibility import citable_models
from sources.models import CitationRelation, SourceKind
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
D = datetime.date
MARKER = "zqx"
NO_SLUG = "no-such-slug"
NO_ID = "999999999"
SCRUBBED = "<value>"


def build_world() -> SimpleNamespace:
    """Published records, a draft of every publishable kind, and every link between them."""
    w = SimpleNamespace()
    w.source = SourceFactory(title="Official record")
    w.ministry = OrganizationFactory(slug="ministry", name="Ministry of Justice")
    w.committee = OrganizationFactory(slug="committee", name="Legal committee")
    w.speaker = PersonFactory(slug="speaker", name="Public Speaker")
    w.topic = TopicFactory(slug="security", name="Security")
    w.bill = BillFactory(slug="public-bill", title="On public order", short_title="Order")
    w.bill.summary = "Public order measures."
    w.event = EventFactory(slug="public-event", name="Public roundtable")

    # The drafts: each carries the marker in its slug and in every text it has.
    w.draft_source = SourceFactory(
        url="https://zqx.example.org/zqxsource",
        title="Zqxsource report",
        publisher="Zqxpublisher",
        author="Zqxauthor",
        notes="zqxsource",
        is_published=False,
    )
    w.draft_package = BillPackage.objects.create(
        slug="zqx-package", name="Zqxpackage of bills", description="zqxpackage"
    )
    w.draft_org = OrganizationFactory(
        slug="zqx-org",
        name="Zqxorg agency",
        abbreviation="ZQXO",
        other_names=["Zqxorg other"],
        description="zqxorg",
        is_published=False,
    )
    w.draft_person = PersonFactory(
        slug="zqx-person",
        name="Zqxperson Secret",
        given_name="Zqxperson",
        family_name="Zqxfamily",
        summary="zqxperson",
        is_published=False,
    )
    w.draft_bill = BillFactory(
        slug="zqx-bill",
        title="Zqxbill title",
        short_title="Zqxbill",
        summary="Zqxbill summary",
        law_number="ZQX-1",
        is_published=False,
    )
    w.draft_event = EventFactory(
        slug="zqx-event",
        name="Zqxevent meeting",
        place="Zqxplace",
        description="zqxevent",
        is_published=False,
    )
    w.draft_statement = StatementFactory(
        slug="zqx-statement",
        speaker_person=w.speaker,
        attribution="Zqxstatement speaker",
        speaker_role="Zqxstatement role",
        text="Zqxstatement words",
        is_published=False,
    )
    w.draft_membership = MembershipFactory(
        person=w.speaker, organization=w.committee, role="Zqxrole chairman", is_published=False
    )
    w.draft_sponsorship = SponsorshipFactory(
        bill=w.bill,
        person=w.speaker,
        organization=None,
        role=SponsorshipRole.COSPONSOR,
        capacity="Zqxcapacity",
        is_published=False,
    )

    # Published records pointing at drafts through every reference the models have.
    w.bill.package = w.draft_package
    w.bill.originating_chamber = w.draft_org
    w.bill.save()
    w.bill.topics.add(w.topic)
    w.draft_bill.topics.add(w.topic)
    w.bill.identifiers.create(scheme="adilet", identifier="Z160000001")
    w.draft_identifier = w.draft_bill.identifiers.create(scheme="adilet", identifier="ZQX0000001")
    BillRelation.objects.create(bill=w.bill, related_bill=w.draft_bill, kind="companion")
    bill_change_status(
        bill=w.bill, to_status="announced", occurred_on=D(2016, 9, 1), actor=w.draft_org
    )
    w.draft_action = bill_change_status(
        bill=w.draft_bill,
        to_status="announced",
        occurred_on=D(2016, 9, 1),
        actor=w.ministry,
        description="Zqxaction announced",
    )
    w.presenter = SponsorshipFactory(
        bill=w.bill, organization=w.ministry, role=SponsorshipRole.PRESENTER, chamber=w.draft_org
    )
    w.sponsorship_by_draft_person = SponsorshipFactory(
        bill=w.bill, person=w.draft_person, organization=None, role=SponsorshipRole.INITIATOR
    )
    w.sponsorship_by_draft_org = SponsorshipFactory(
        bill=w.bill, organization=w.draft_org, role=SponsorshipRole.DRAFTER
    )
    w.sponsorship_of_draft_bill = SponsorshipFactory(
        bill=w.draft_bill, organization=w.ministry, role=SponsorshipRole.INITIATOR
    )
    w.child_org = OrganizationFactory(slug="child-org", name="Child body", parent=w.draft_org)
    w.organized_event = EventFactory(
        slug="organized-event", name="Organized roundtable", organizer=w.draft_org
    )
    w.public_post = MembershipFactory(person=w.speaker, organization=w.ministry, role="Minister")
    w.post_in_draft_org = MembershipFactory(
        person=w.speaker, organization=w.draft_org, role="Adviser"
    )
    w.post_of_draft_person = MembershipFactory(
        person=w.draft_person, organization=w.ministry, role="Deputy minister"
    )
    w.draft_alias = w.draft_person.other_names.create(name="Zqxalias")
    w.speaker.other_names.create(name="P. Speaker")

    w.plain = StatementFactory(
        slug="plain",
        speaker_person=w.speaker,
        speaker_membership=w.public_post,
        attribution="The minister",
        text="The bill is needed.",
        event=w.event,
    )
    StatementBill.objects.create(statement=w.plain, bill=w.bill, stance=Stance.SUPPORT)
    w.plain.topics.add(w.topic)
    # A stance's excerpts and a disputed name's sources pass the gate like any citation.
    w.plain_stance = w.plain.bill_links.get()
    CitationFactory(record=w.plain_stance, source=w.source, excerpt="The minister backs it.")
    CitationFactory(record=w.plain_stance, source=w.draft_source, excerpt="Zqxstance excerpt.")
    w.disputed_name = w.speaker.other_names.create(name="Pavel Speaker", kind="conflicting")
    CitationFactory(record=w.disputed_name, source=w.draft_source, excerpt="Zqxname excerpt.")
    w.draft_person.other_names.create(name="Zqxconflicting name", kind="conflicting")
    w.with_draft_refs = StatementFactory(
        slug="with-draft-refs",
        speaker_person=w.draft_person,
        speaker_membership=w.post_in_draft_org,
        on_behalf_of=w.draft_org,
        event=w.draft_event,
        attribution="A deputy",
        text="We will see.",
    )
    StatementBill.objects.create(statement=w.with_draft_refs, bill=w.bill, stance=Stance.SUPPORT)
    StatementBill.objects.create(
        statement=w.with_draft_refs, bill=w.draft_bill, stance=Stance.OPPOSE
    )
    w.draft_org_speaks = StatementFactory(
        slug="draft-org-speaks",
        speaker_person=None,
        speaker_organization=w.draft_org,
        speaker_membership=w.draft_membership,
        attribution="The press office",
        text="A comment.",
    )
    w.draft_person_post = StatementFactory(
        slug="draft-person-post",
        speaker_person=w.speaker,
        speaker_membership=w.post_of_draft_person,
        attribution="The deputy minister",
        text="Another comment.",
    )
    StatementBill.objects.create(statement=w.draft_statement, bill=w.bill, stance=Stance.NEUTRAL)
    w.draft_statement.topics.add(w.topic)

    # Citations: public sources on public records, a draft source cited by public records, and
    # citations on every draft and on every record hidden with a draft.
    for record in [w.bill, w.plain, w.ministry, w.speaker, w.public_post, w.presenter, w.event]:
        CitationFactory(record=record, source=w.source, excerpt="A public excerpt.")
        CitationFactory(record=record, source=w.draft_source, excerpt="Zqxexcerpt of a draft.")
    w.hidden_citations = [
        CitationFactory(record=record, source=w.source, excerpt=f"Zqxcited {index}.")
        for index, record in enumerate(
            [
                w.draft_package,
                w.draft_bill,
                w.draft_sponsorship,
                w.draft_org,
                w.draft_person,
                w.draft_membership,
                w.draft_event,
                w.draft_statement,
                w.draft_action,
                w.draft_identifier,
                w.draft_alias,
                w.sponsorship_by_draft_person,
                w.sponsorship_by_draft_org,
                w.sponsorship_of_draft_bill,
                w.post_in_draft_org,
                w.post_of_draft_person,
            ]
        )
    ]
    w.hidden_citations += list(w.draft_source.citations.all())
    return w


def draft_slug(attr: str):
    """A draft's slug, and a slug naming nothing."""
    return lambda w: [(getattr(w, attr).slug, NO_SLUG)]


def plain(*values: str):
    """Values that also match published rows (checked for leaks, not compared)."""
    return lambda w: [(value, None) for value in values]


def hidden_value(value: str, counterpart: str):
    """A value that matches only hidden rows, and one that matches nothing at all."""
    return lambda w: [(value, counterpart)]


def combine(*makers):
    return lambda w: [pair for maker in makers for pair in maker(w)]


DATES = plain("2000-01-01", "2030-01-01")
SINCE = plain("2000-01-01T00:00:00Z")
DRAFT_ORG = draft_slug("draft_org")

# Every filter of every endpoint, with the values to try: (value, counterpart naming nothing).
FILTERS = {
    "bills": {
        "status": plain(*BillStatus.values),
        "topic": plain("security"),
        "chamber": combine(DRAFT_ORG, plain("ministry")),
        "package": draft_slug("draft_package"),
        "sponsor": combine(draft_slug("draft_person"), DRAFT_ORG, plain("speaker", "ministry")),
        "sponsor_role": plain(*SponsorshipRole.values),
        "title_status": plain(*TitleStatus.values),
        "law_number": hidden_value("ZQX-1", "NOPE-1"),
        "introduced_after": DATES,
        "introduced_before": DATES,
        "status_changed_since": DATES,
        "status_recorded_since": SINCE,
        "updated_since": SINCE,
    },
    "bill-actions": {
        "bill": combine(draft_slug("draft_bill"), plain("public-bill")),
        "classification": plain(*ActionClassification.values),
        "status": plain(*BillStatus.values),
        "actor": combine(DRAFT_ORG, plain("ministry")),
        "occurred_after": DATES,
        "occurred_before": DATES,
        "updated_since": SINCE,
    },
    "sponsorships": {
        "bill": combine(draft_slug("draft_bill"), plain("public-bill")),
        "person": combine(draft_slug("draft_person"), plain("speaker")),
        "organization": combine(DRAFT_ORG, plain("ministry")),
        "role": plain(*SponsorshipRole.values),
        "updated_since": SINCE,
    },
    "people": {
        "organization": combine(DRAFT_ORG, plain("committee", "ministry")),
        "role": combine(hidden_value("zqxrole", "nosuchrole"), plain("adviser")),
        "name": combine(
            hidden_value("zqxperson", "nosuchname"), hidden_value("zqxalias", "nosuchname")
        ),
        "updated_since": SINCE,
    },
    "organizations": {
        "classification": plain(*OrganizationClassification.values),
        "parent": DRAFT_ORG,
        "updated_since": SINCE,
    },
    "memberships": {
        "person": combine(draft_slug("draft_person"), plain("speaker")),
        "organization": combine(DRAFT_ORG, plain("committee", "ministry")),
        "role": combine(hidden_value("zqxrole", "nosuchrole"), plain("adviser", "deputy")),
        "updated_since": SINCE,
    },
    "events": {
        "kind": plain(*EventKind.values),
        "organizer": DRAFT_ORG,
        "starts_after": DATES,
        "starts_before": DATES,
        "updated_since": SINCE,
    },
    "statements": {
        "speaker": combine(draft_slug("draft_person"), plain("speaker")),
        "organization": combine(DRAFT_ORG, plain("committee", "ministry")),
        "bill": combine(draft_slug("draft_bill"), plain("public-bill")),
        "stance": plain(*Stance.values),
        "topic": plain("security"),
        "event": draft_slug("draft_event"),
        "form": plain(*StatementForm.values),
        "said_after": DATES,
        "said_before": DATES,
        "updated_since": SINCE,
    },
    "sources": {
        "kind": plain(*SourceKind.values),
        "language": plain("en"),
        "publisher": hidden_value("zqxpublisher", "nosuchpublisher"),
        "published_after": DATES,
        "published_before": DATES,
        "updated_since": SINCE,
    },
    "citations": {
        "source": lambda w: [(str(w.draft_source.pk), NO_ID), (str(w.source.pk), None)],
        "record_type": lambda w: [(m._meta.model_name, None) for m in citable_models()],
        "record_id": lambda w: [(str(c.object_id), None) for c in w.hidden_citations],
        "relation": plain(*CitationRelation.values),
        "updated_since": SINCE,
    },
    "topics": {"updated_since": SINCE},
    "statuses": {},
}

# Endpoint: how a record is addressed, its `include` options, search, and its sub-resources.
ENDPOINTS = {
    "bills": {
        "lookup": "slug",
        "includes": ["sponsors", "actions", "statements", "sponsors,actions,statements"],
        "search": True,
        "subpaths": ["", "history/", "actions/", "?include=sponsors,actions,statements"],
        "hidden": lambda w: [w.draft_bill],
    },
    "bill-actions": {"lookup": "pk", "hidden": lambda w: [w.draft_action]},
    "sponsorships": {
        "lookup": "pk",
        "hidden": lambda w: [
            w.draft_sponsorship,
            w.sponsorship_by_draft_person,
            w.sponsorship_by_draft_org,
            w.sponsorship_of_draft_bill,
        ],
    },
    "people": {
        "lookup": "slug",
        "search": True,
        "includes": ["memberships"],
        "subpaths": ["", "?include=memberships"],
        "hidden": lambda w: [w.draft_person],
    },
    "organizations": {"lookup": "slug", "search": True, "hidden": lambda w: [w.draft_org]},
    "memberships": {
        "lookup": "pk",
        "hidden": lambda w: [w.draft_membership, w.post_in_draft_org, w.post_of_draft_person],
    },
    "events": {"lookup": "slug", "hidden": lambda w: [w.draft_event]},
    "statements": {
        "lookup": "slug",
        "search": True,
        "subpaths": ["", "history/"],
        "hidden": lambda w: [w.draft_statement],
    },
    "topics": {"lookup": "slug"},
    "statuses": {"lookup": "code"},
    "sources": {"lookup": "pk", "hidden": lambda w: [w.draft_source]},
    "citations": {"lookup": "pk", "hidden": lambda w: w.hidden_citations},
}
# Words of the drafts' texts, for full-text search.
SEARCH_WORDS = [
    f"{MARKER}{word}"
    for word in ["source", "package", "org", "person", "bill", "event", "statement", "role"]
    + ["capacity", "excerpt", "action", "alias"]
]

# Filters that could reveal a draft by *which* records they match: (query, public slugs or ids,
# what a curator gets). The curator's answer proves each case really reaches a hidden row.
ORACLES = [
    ("people/?role=zqxrole", [], ["speaker"]),
    ("people/?organization=committee", [], ["speaker"]),
    ("people/?name=zqxalias", [], ["zqx-person"]),
    ("people/?include=memberships&organization=ministry", ["speaker"], ["speaker", "zqx-person"]),
    ("statements/?stance=oppose", [], ["with-draft-refs"]),
    ("statements/?stance=neutral", [], ["zqx-statement"]),
    ("statements/?organization=committee", [], ["draft-org-speaks"]),
    ("statements/?organization=ministry", ["plain"], ["draft-person-post", "plain"]),
    ("bills/?sponsor_role=cosponsor", [], ["public-bill"]),
    ("bills/?sponsor_role=initiator", [], ["public-bill", "zqx-bill"]),
    ("bills/?sponsor_role=drafter", [], ["public-bill"]),
    ("bills/?sponsor_role=presenter", ["public-bill"], ["public-bill"]),
    ("bills/?sponsor=speaker", [], ["public-bill"]),
    ("bills/?sponsor=ministry&sponsor_role=initiator", [], ["zqx-bill"]),
    ("bills/?status=announced", ["public-bill"], ["public-bill", "zqx-bill"]),
    ("bills/?topic=security", ["public-bill"], ["public-bill", "zqx-bill"]),
    ("memberships/?person=speaker", ["speaker"], ["speaker", "speaker", "speaker"]),
    (
        "organizations/?classification=agency",
        ["child-org", "committee", "ministry"],
        ["child-org", "committee", "ministry", "zqx-org"],
    ),
]


# -- callers and reading ---------------------------------------------------------------------


def make_client(kind: str) -> APIClient:
    client = APIClient()
    if kind == "staff":
        client.force_authenticate(User.objects.create_user("staff", is_staff=True))
    elif kind == "curator":
        user = User.objects.create_user("curator")
        user.groups.add(Group.objects.get(name="Curators"))
        client.force_authenticate(user)
    return client


def get(client, path: str):
    return client.get(f"/api/v1/{path}")


def scrub(response, *values: str | None) -> tuple[int, str]:
    """Status and body, with the requested values (echoed in errors and links) blanked."""
    body = response.content.decode()
    for value in values:
        if value:
            whole = rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])"
            body = re.sub(whole, SCRUBBED, body)
    return response.status_code, body


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def detail_paths(client, endpoint: str, list_path: str) -> list[str]:
    """The detail addresses (and their sub-resources) of every record a list shows."""
    body = get(client, list_path).json()
    results = body["results"] if isinstance(body, dict) else body
    key = ENDPOINTS[endpoint]["lookup"]
    subpaths = ENDPOINTS[endpoint].get("subpaths", [""])
    return [
        f"{endpoint}/{row[key if key != 'pk' else 'id']}/{sub}"
        for row in results
        for sub in subpaths
    ]


def list_paths(endpoint: str) -> list[str]:
    config = ENDPOINTS[endpoint]
    paths = [f"{endpoint}/"]
    paths += [f"{endpoint}/?include={option}" for option in config.get("includes", [])]
    return paths


def filter_cases(endpoint: str, w) -> list[tuple[str, str, str | None, str | None]]:
    """(path, value, path with the counterpart, counterpart) for every filter value."""
    cases = []
    for name, values in FILTERS[endpoint].items():
        for value, counterpart in values(w):
            other = f"{endpoint}/?{name}={counterpart}" if counterpart else None
            cases.append((f"{endpoint}/?{name}={value}", value, other, counterpart))
            for option in ENDPOINTS[endpoint].get("includes", [])[-1:]:
                path = f"{endpoint}/?include={option}&{name}={value}"
                other_path = f"{endpoint}/?include={option}&{name}={counterpart}"
                cases.append((path, value, other_path if counterpart else None, counterpart))
    if ENDPOINTS[endpoint].get("search"):
        for word in SEARCH_WORDS:
            cases.append((f"{endpoint}/?q={word}", word, f"{endpoint}/?q=nosuchword", "nosuchword"))
    return cases


def hidden_cases(endpoint: str, w) -> list[tuple[str, str, str, str]]:
    config = ENDPOINTS[endpoint]
    nothing = NO_ID if config["lookup"] == "pk" else NO_SLUG
    cases = []
    for record in config.get("hidden", lambda w: [])(w):
        value = str(getattr(record, config["lookup"]))
        for sub in config.get("subpaths", [""]):
            cases.append(
                (f"{endpoint}/{value}/{sub}", value, f"{endpoint}/{nothing}/{sub}", nothing)
            )
    return cases


def leaks(status_and_body: tuple[int, str]) -> bool:
    return MARKER in status_and_body[1].lower()


# -- the public never sees a draft -----------------------------------------------------------


@pytest.fixture
def world(settings):
    # Every record is read with every include and filter: more requests than the anonymous rate
    # allows in a minute, and a 429 would answer unlike its counterpart by chance, not by a leak.
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "user": "100000/minute"}
    return build_world()


def test_every_endpoint_of_the_api_root_is_covered(client):
    # exports: bulk files of the endpoints below (test_no_bulk_download_reveals_a_draft);
    # docs, redoc, schema and site: the reference and the site, no records.
    not_records = {"search", "exports", "docs", "redoc", "schema", "site"}
    listed = set(client.get("/api/v1/").json()) - not_records
    assert listed == set(ENDPOINTS)


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
def test_no_bulk_download_reveals_a_draft(world, caller, settings, tmp_path):
    """Every file of a snapshot (and the zip's members), served by /api/v1/exports/, and every
    list as CSV: no draft, whatever links to it."""
    settings.EXPORTS_ROOT = tmp_path
    snapshot = snapshot_write(base_url="http://testserver")
    client = make_client(caller)
    listing = get(client, "exports/")
    assert listing.status_code == 200
    [listed] = listing.json()["results"]
    names = [*snapshot.manifest["files"], "manifest.json", "SHA256SUMS"]
    problems = []
    for name in [*names, snapshot.manifest["zip"]["name"]]:
        response = get(client, f"exports/{listed['id']}/{name}")
        body = b"".join(response.streaming_content)
        contents = [body]
        if name.endswith(".zip"):
            archive = zipfile.ZipFile(io.BytesIO(body))
            contents = [archive.read(member) for member in archive.namelist()]
        if response.status_code != 200 or any(MARKER.encode() in c.lower() for c in contents):
            problems.append(f"exports/{name}: {response.status_code}")
    for endpoint in [*ENDPOINTS, "statuses"]:
        response = get(client, f"{endpoint}/?format=csv")
        body = b"".join(response.streaming_content)
        if response.status_code != 200 or MARKER.encode() in body.lower():
            problems.append(f"{endpoint}/?format=csv: {response.status_code}")
    assert snapshot.manifest["counts"]["bills"] > 0
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_every_filter_is_exercised(endpoint):
    filterset = getattr(resolve(f"/api/v1/{endpoint}/").func.cls, "filterset_class", None)
    names = set(filterset.base_filters) if filterset else set()
    assert names == set(FILTERS[endpoint])


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_no_public_response_reveals_a_draft(world, caller, endpoint):
    client = make_client(caller)
    problems = []
    paths = list_paths(endpoint)
    for path in list(paths):
        paths += detail_paths(client, endpoint, path)
    for path in dict.fromkeys(paths):
        response = get(client, path)
        if response.status_code != 200 or leaks(scrub(response)):
            problems.append(f"{path}: {response.status_code} {response.content[:300]!r}")
    cases = filter_cases(endpoint, world) + hidden_cases(endpoint, world)
    for path, value, other, counterpart in cases:
        answer = scrub(get(client, path), value)
        if leaks(answer):
            problems.append(f"{path}: reveals a draft: {answer}")
        if other and answer != scrub(get(client, other), counterpart):
            problems.append(f"{path}: answers unlike {other}: {answer}")
    assert problems == []


@pytest.mark.parametrize("caller", ["anonymous", "staff"])
def test_search_never_finds_a_draft(world, caller):
    client = make_client(caller)
    nothing = scrub(get(client, "search/?q=nosuchword"), "nosuchword")
    assert nothing[0] == 200
    for word in SEARCH_WORDS:
        assert scrub(get(client, f"search/?q={word}"), word) == nothing, word
    response = get(client, "search/?q=order OR needed OR zqxbill OR zqxstatement")
    hits = rows(response)
    assert MARKER not in str(hits).lower()
    assert {hit["slug"] for hit in hits} == {"public-bill", "plain"}


def listed(response) -> list:
    return [row["slug"] if "slug" in row else row["person"]["slug"] for row in rows(response)]


@pytest.mark.parametrize("caller", ["anonymous", "staff", "curator"])
@pytest.mark.parametrize(("query", "public", "curator"), ORACLES)
def test_filters_match_only_through_visible_rows(world, caller, query, public, curator):
    expected = curator if caller == "curator" else public
    response = get(make_client(caller), query)
    assert sorted(listed(response)) == sorted(expected)


class TestReferencesToDrafts:
    """Where a published record points at a draft, the public gets `null` or no list entry."""

    @pytest.fixture(params=["anonymous", "staff"])
    def public(self, request, world):
        return make_client(request.param)

    def test_bill_package_chamber_sponsors_actions_statements(self, public, world):
        row = get(public, "bills/public-bill/?include=sponsors,actions,statements").json()
        assert row["package"] is None
        assert row["originating_chamber"] is None
        assert [(s["role"], s["chamber"]) for s in row["sponsors"]] == [("presenter", None)]
        assert [a["actor"] for a in row["actions"]] == [None]
        statements = {s["slug"]: s for s in row["statements"]}
        assert set(statements) == {"plain", "with-draft-refs"}
        assert statements["with-draft-refs"]["speaker_person"] is None
        assert [s["excerpt"] for s in row["sources"]] == ["A public excerpt."]

    def test_statement_references(self, public, world):
        row = get(public, "statements/with-draft-refs/").json()
        for field in ["speaker_person", "speaker_organization_at_time", "on_behalf_of", "event"]:
            assert row[field] is None, field
        assert [(b["bill"]["slug"], b["stance"]) for b in row["bills"]] == [
            ("public-bill", "support")
        ]
        row = get(public, "statements/draft-org-speaks/").json()
        assert row["speaker_organization"] is None
        assert row["speaker_organization_at_time"] is None
        row = get(public, "statements/draft-person-post/").json()
        assert row["speaker_person"]["slug"] == "speaker"
        assert row["speaker_organization_at_time"] is None
        row = get(public, "statements/plain/").json()
        assert row["speaker_organization_at_time"]["slug"] == "ministry"

    def test_people_memberships_parent_organizer(self, public, world):
        (person,) = rows(get(public, "people/?include=memberships"))
        assert [m["organization"]["slug"] for m in person["memberships"]] == ["ministry"]
        assert [n["name"] for n in person["other_names"]] == ["P. Speaker", "Pavel Speaker"]
        # The disputed name shows; its only source is a draft, so without it.
        assert person["name_disputed"] is True
        assert person["disputed_names"] == [{"name": "Pavel Speaker", "sources": []}]
        (stance,) = get(public, "statements/plain/").json()["bills"]
        assert [c["excerpt"] for c in stance["sources"]] == ["The minister backs it."]
        assert get(public, "organizations/child-org/").json()["parent"] is None
        assert get(public, "events/organized-event/").json()["organizer"] is None


# -- curators see drafts -----------------------------------------------------------------------


def test_curator_sees_every_draft(world):
    curator = make_client("curator")
    bodies = ""
    for endpoint in ENDPOINTS:
        for path in list_paths(endpoint):
            response = get(curator, path)
            assert response.status_code == 200, path
            bodies += response.content.decode()
        for path, *_ in hidden_cases(endpoint, world):
            assert get(curator, path).status_code == 200, path
    found = set(re.findall(r"zqx[a-z]*", bodies.lower()))
    assert set(SEARCH_WORDS) - {"zqxpackage"} <= found  # packages have no endpoint of their own
    assert '"zqx-package"' in bodies
    row = get(curator, "statements/with-draft-refs/").json()
    assert row["speaker_person"]["slug"] == "zqx-person"
    assert row["speaker_organization_at_time"]["slug"] == "zqx-org"
    assert {b["bill"]["slug"] for b in row["bills"]} == {"public-bill", "zqx-bill"}
    bill = get(curator, "bills/public-bill/?include=sponsors").json()
    assert bill["package"] == "zqx-package"
    assert bill["originating_chamber"]["slug"] == "zqx-org"
    assert len(bill["sponsors"]) == 4
    hits = get(curator, "search/?q=zqxbill OR zqxstatement").json()["results"]
    assert {hit["slug"] for hit in hits} == {"zqx-bill", "zqx-statement"}


def test_staff_without_the_permission_are_the_public(world):
    anonymous, staff = make_client("anonymous"), make_client("staff")
    for endpoint in ENDPOINTS:
        for path in list_paths(endpoint):
            assert get(staff, path).content == get(anonymous, path).content, path


# -- unpublishing ------------------------------------------------------------------------------


def test_unpublished_person_is_no_longer_embedded_in_statements():
    person = PersonFactory(slug="yermekbayev", name="Yerzhan Yermekbayev")
    bill = BillFactory(slug="kz")
    statement = StatementFactory(
        slug="said", speaker_person=person, attribution="The minister", text="We agree."
    )
    StatementBill.objects.create(statement=statement, bill=bill, stance=Stance.SUPPORT)
    anonymous = make_client("anonymous")
    assert get(anonymous, "statements/said/").json()["speaker_person"]["slug"] == "yermekbayev"

    response = make_client("curator").post("/api/v1/people/yermekbayev/unpublish/")
    assert response.status_code == 200, response.content

    for path in ["statements/", "statements/said/", "bills/kz/?include=statements"]:
        body = get(anonymous, path).content.decode()
        assert "yermekbayev" not in body.lower(), path
    assert get(anonymous, "statements/said/").json()["speaker_person"] is None
    assert get(anonymous, "people/yermekbayev/").status_code == 404
