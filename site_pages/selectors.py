"""Reads behind the public pages, all through the visibility gate as an anonymous reader: the
site never shows a draft, whoever is signed in. Each page is a fixed number of queries (the
related rows with their references selected, then every citation of the page in one query)."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from bills.models import (
    Bill,
    BillAction,
    Event,
    Membership,
    Person,
    PersonName,
    PersonNameKind,
    Sponsorship,
    Statement,
    StatementBill,
)
from bills.selectors import search_everything
from policytracker import visibility
from site_pages import evidence
from sources.models import Citation, CitationRelation

READER = AnonymousUser()
SEARCH_LIMIT = 50


def gated(model: type[Model]) -> QuerySet:
    """What an anonymous reader may see of `model`: the one gate every page read starts from."""
    return model.objects.visible_to(READER)


def shown(obj: Model | None) -> Model | None:
    """A reference as the reader may see it: the record when it is public, else None (a link to
    a draft is shown as no link at all)."""
    return obj if obj is not None and visibility.is_public(obj) else None


# Statements at an event in the order spoken: the recorded position (none last), then the date.
EVENT_ORDER = ("sequence", "said_on", "pk")
# Statements across events (a bill's, a person's): by date, then each event's order spoken.
SPOKEN_ORDER = ("said_on", "event_id", "sequence", "pk")


# The fields a source may contradict that make a person's name disputed.
NAME_FIELDS = ("name", "given_name", "family_name")


def name_disputed(person_field: str) -> ExpressionWrapper:
    """Whether the person named by `person_field` has a disputed name, computed inside the
    page's query: a public conflicting name is recorded, or a public source contradicts one of
    the name fields. Every place showing the name flags it."""
    conflicting = gated(PersonName).filter(
        person=OuterRef(person_field), kind=PersonNameKind.CONFLICTING
    )
    contradicted = Citation.objects.under_visible_record(see_drafts=False).filter(
        content_type__app_label="bills",
        content_type__model="person",
        object_id=OuterRef(person_field),
        relation=CitationRelation.CONTRADICTS,
        field_name__in=NAME_FIELDS,
    )
    return ExpressionWrapper(
        Q(Exists(conflicting)) | Q(Exists(contradicted)), output_field=BooleanField()
    )


def home_bills() -> list[Bill]:
    """Every public bill with its package, by package and slug."""
    return list(gated(Bill).select_related("package").order_by("package__name", "slug"))


@dataclass
class BillPage:
    bill: Bill
    actions: list[BillAction]
    sponsorships: list[Sponsorship]
    stances: list[StatementBill]
    package: Model | None = None
    chamber: Model | None = None


def bill_page(slug: str) -> BillPage | None:
    """A public bill with its recorded steps, sponsors and the statements about it."""
    bill = gated(Bill).select_related("package", "originating_chamber").filter(slug=slug).first()
    if bill is None:
        return None
    actions = list(gated(BillAction).filter(bill=bill).select_related("actor").order_by("order"))
    sponsorships = list(
        gated(Sponsorship)
        .filter(bill=bill)
        .select_related("person", "organization", "chamber")
        .annotate(name_disputed=name_disputed("person"))
        .order_by("role", "pk")
    )
    stances = list(
        gated(StatementBill)
        .filter(bill=bill)
        .select_related("statement__speaker_person", "statement__event")
        .annotate(speaker_name_disputed=name_disputed("statement__speaker_person"))
        .order_by(*(f"statement__{name}" for name in SPOKEN_ORDER))
    )
    statements = [stance.statement for stance in stances]
    for stance in stances:
        stance.statement.speaker_name_disputed = stance.speaker_name_disputed
    evidence.attach([bill, *actions, *sponsorships, *stances, *statements])
    return BillPage(
        bill=bill,
        actions=actions,
        sponsorships=sponsorships,
        stances=stances,
        package=shown(bill.package),
        chamber=shown(bill.originating_chamber),
    )


@dataclass
class PersonPage:
    person: Person
    other_names: list[PersonName]
    memberships: list[Membership]
    sponsorships: list[Sponsorship]
    statements: list[Statement]
    name_disputed: bool = False


def person_page(slug: str) -> PersonPage | None:
    """A public person with other names, posts, bills sponsored and statements."""
    person = gated(Person).filter(slug=slug).first()
    if person is None:
        return None
    other_names = list(gated(PersonName).filter(person=person).order_by("name", "pk"))
    memberships = list(
        gated(Membership)
        .filter(person=person)
        .select_related("organization")
        .order_by("start_on", "pk")
    )
    sponsorships = list(
        gated(Sponsorship).filter(person=person).select_related("bill").order_by("bill__slug")
    )
    statements = list(
        gated(Statement)
        .filter(speaker_person=person)
        .select_related("speaker_person", "event")
        .annotate(speaker_name_disputed=name_disputed("speaker_person"))
        .prefetch_related(_stances_prefetch())
        .order_by(*SPOKEN_ORDER)
    )
    stances = [link for statement in statements for link in statement.public_stances]
    evidence.attach([person, *other_names, *memberships, *sponsorships, *statements, *stances])
    page = PersonPage(person, other_names, memberships, sponsorships, statements)
    page.name_disputed = any(
        name.kind == PersonNameKind.CONFLICTING for name in other_names
    ) or any(conflict.citation.field_name in NAME_FIELDS for conflict in person.evidence.conflicts)
    return page


@dataclass
class EventPage:
    event: Event
    statements: list[Statement]
    organizer: Model | None = None


def _stances_prefetch() -> Prefetch:
    """A statement's public stances, each with its bill."""
    stances = gated(StatementBill).select_related("bill").order_by("bill__slug")
    return Prefetch("bill_links", queryset=stances, to_attr="public_stances")


def event_page(slug: str) -> EventPage | None:
    """A public event with its statements in the order they were spoken."""
    event = gated(Event).select_related("organizer").filter(slug=slug).first()
    if event is None:
        return None
    statements = list(
        gated(Statement)
        .filter(event=event)
        .select_related("speaker_person", "speaker_organization")
        .annotate(speaker_name_disputed=name_disputed("speaker_person"))
        .prefetch_related(_stances_prefetch())
        .order_by(*EVENT_ORDER)
    )
    stances = [link for statement in statements for link in statement.public_stances]
    evidence.attach([event, *statements, *stances])
    return EventPage(event, statements, organizer=shown(event.organizer))


@dataclass
class SearchHit:
    kind: str
    slug: str
    title: str
    headline: str
    url_name: str | None = None
    anchor: str = ""
    target_slug: str = ""
    bill: Bill | None = None


# Search hits whose records are read again to be shown: bills (their titles by language) and
# statements (the page they are on).
KINDS_READ = ("bill", "statement")


def search(text: str) -> list[SearchHit]:
    """Public bills, statements, people and organizations matching `text`, best first; a bill
    is titled in the page's language; a statement links to its event's page, else its
    speaker's."""
    hits = search_everything(text=text, limit=SEARCH_LIMIT, see_drafts=False)
    ids = {kind: [hit["id"] for hit in hits if hit["type"] == kind] for kind in KINDS_READ}
    bills = gated(Bill).in_bulk(ids["bill"]) if ids["bill"] else {}
    statements = (
        gated(Statement).select_related("event", "speaker_person").in_bulk(ids["statement"])
        if ids["statement"]
        else {}
    )
    results = []
    for hit in hits:
        result = SearchHit(hit["type"], hit["slug"], hit["title"], hit["headline"] or "")
        if hit["type"] == "bill":
            result.url_name, result.target_slug = "site:bill", hit["slug"]
            result.bill = bills.get(hit["id"])
        elif hit["type"] == "person":
            result.url_name, result.target_slug = "site:person", hit["slug"]
        elif hit["type"] == "statement" and hit["id"] in statements:
            statement = statements[hit["id"]]
            event, person = shown(statement.event), shown(statement.speaker_person)
            result.anchor = f"statement-{statement.slug}"
            if event is not None:
                result.url_name, result.target_slug = "site:event", event.slug
            elif person is not None:
                result.url_name, result.target_slug = "site:person", person.slug
        results.append(result)
    return results
