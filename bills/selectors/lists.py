"""List selectors behind the endpoints: the gate, the related rows the serializers read (in a
fixed number of queries whatever the page size) and a deterministic order."""

import datetime

from django.db.models import DateField, IntegerField, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from bills.selectors.prefetches import (
    actions_prefetch,
    sponsorships_prefetch,
    statement_links_prefetch,
    topics_prefetch,
)
from bills.selectors.search import with_person_search, with_search
from sources.selectors import citations_prefetch


def bill_list(
    *, see_drafts: bool = False, include: frozenset[str] = frozenset(), q: str | None = None
) -> QuerySet[Bill]:
    """Bills with chamber, package, topics, identifiers and citations; `include` adds
    sponsors, actions and statements."""
    queryset = Bill.objects.visible(see_drafts=see_drafts).select_related(
        "originating_chamber", "package"
    )
    prefetches: list = [
        topics_prefetch(see_drafts=see_drafts),
        Prefetch("identifiers", queryset=BillIdentifier.objects.visible(see_drafts=see_drafts)),
        citations_prefetch(see_drafts=see_drafts),
    ]
    if "sponsors" in include:
        prefetches.append(sponsorships_prefetch(see_drafts=see_drafts))
    if "actions" in include:
        prefetches.append(actions_prefetch(see_drafts=see_drafts))
    if "statements" in include:
        prefetches.append(statement_links_prefetch(see_drafts=see_drafts))
    return with_search(queryset.prefetch_related(*prefetches), q).order_by("slug")


def bill_action_list(*, see_drafts: bool = False) -> QuerySet[BillAction]:
    """Status-history rows of visible bills, oldest first within each bill."""
    return (
        BillAction.objects.visible(see_drafts=see_drafts)
        .select_related("bill", "actor")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        .order_by("bill__slug", "order")
    )


def sponsorship_list(*, see_drafts: bool = False) -> QuerySet[Sponsorship]:
    """Visible sponsorships, by bill."""
    queryset = sponsorships_prefetch(see_drafts=see_drafts).queryset
    return queryset.select_related("bill").order_by("bill__slug", "role", "pk")


def person_list(
    *, see_drafts: bool = False, include: frozenset[str] = frozenset(), q: str | None = None
) -> QuerySet[Person]:
    """People with their other names; `include=memberships` adds their visible posts; `q`
    keeps those whose names match (with_person_search)."""
    other_names = PersonName.objects.visible(see_drafts=see_drafts).prefetch_related(
        citations_prefetch(see_drafts=see_drafts)
    )
    queryset = Person.objects.visible(see_drafts=see_drafts).prefetch_related(
        Prefetch("other_names", queryset=other_names),
        citations_prefetch(see_drafts=see_drafts),
    )
    if "memberships" in include:
        memberships = (
            Membership.objects.visible(see_drafts=see_drafts)
            .select_related("organization")
            .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        )
        queryset = queryset.prefetch_related(Prefetch("memberships", queryset=memberships))
    return with_person_search(queryset, q, see_drafts=see_drafts).order_by("slug")


def organization_list(*, see_drafts: bool = False, q: str | None = None) -> QuerySet[Organization]:
    """Organizations with their parent; `q` keeps those whose name or abbreviation match."""
    queryset = (
        Organization.objects.visible(see_drafts=see_drafts)
        .select_related("parent")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
    )
    return with_search(queryset, q).order_by("slug")


def membership_list(*, see_drafts: bool = False) -> QuerySet[Membership]:
    """Visible posts (of a visible person in a visible organization)."""
    return (
        Membership.objects.visible(see_drafts=see_drafts)
        .select_related("person", "organization")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        .order_by("person__slug", "pk")
    )


def event_list(*, see_drafts: bool = False) -> QuerySet[Event]:
    """Visible events with their organizer, by slug."""
    return (
        Event.objects.visible(see_drafts=see_drafts)
        .select_related("organizer")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        .order_by("slug")
    )


def statement_list(
    *, see_drafts: bool = False, include: frozenset[str] = frozenset(), q: str | None = None
) -> QuerySet[Statement]:
    """Statements with speaker, event, topics, the visible bills they concern (with stance) and
    citations. The speaker's post is selected with its person and organization, which decide
    whether the post (and so `speaker_organization_at_time`) may be shown."""
    stances = (
        StatementBill.objects.visible(see_drafts=see_drafts)
        .select_related("bill")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        .order_by("bill__slug")
    )
    queryset = (
        with_order_keys(Statement.objects.visible(see_drafts=see_drafts))
        .select_related(
            "speaker_person",
            "speaker_organization",
            "speaker_membership__person",
            "speaker_membership__organization",
            "on_behalf_of",
            "event",
        )
        .prefetch_related(
            topics_prefetch(see_drafts=see_drafts),
            Prefetch("bill_links", queryset=stances),
            citations_prefetch(see_drafts=see_drafts),
        )
    )
    return with_search(queryset, q).order_by("slug")


def topic_list(*, see_drafts: bool = False) -> QuerySet[Topic]:
    """Topics (they have no draft state today; the gate still decides)."""
    return Topic.objects.visible(see_drafts=see_drafts).order_by("slug")


# The latest date PostgreSQL and Python share, and a position no event reaches.
LAST_DATE = datetime.date(9999, 12, 31)
LAST_POSITION = 2**31 - 1


def with_order_keys(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    """Sort keys that are never null, for `?ordering=said_on` / `sequence`: an unknown date or
    position sorts last (a cursor position must be a value, not a missing one)."""
    return statements.annotate(
        said_on_key=Coalesce("said_on", Value(LAST_DATE), output_field=DateField()),
        sequence_key=Coalesce("sequence", Value(LAST_POSITION), output_field=IntegerField()),
    )


def event_statements(event: Event, *, see_drafts: bool = False) -> QuerySet[Statement]:
    """The statements made at `event` that the caller may see, in the order spoken (those
    whose position is unknown last)."""
    statements = Statement.objects.visible(see_drafts=see_drafts).filter(event=event)
    return with_order_keys(statements).order_by("sequence_key", "said_on_key", "pk")
