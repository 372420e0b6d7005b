"""Reads for the public API: visibility, prefetching and deterministic order live here.

Every list selector returns a queryset whose related data is fetched in a fixed number of
queries, whatever the page size (`include` adds a fixed number more).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, IntegerField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast

from bills.models import (
    Bill,
    BillAction,
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
from sources.selectors import citations_prefetch

# Ranks are floats; scaled integers make exact, repeatable cursor positions.
RANK_SCALE = 1_000_000


def _visible(queryset: QuerySet, include_drafts: bool) -> QuerySet:
    return queryset if include_drafts else queryset.filter(is_published=True)


def search_query(text: str) -> SearchQuery:
    """Web-search syntax ("quoted phrases", -exclusions, or) in English and Russian."""
    return SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="russian", search_type="websearch"
    )


def with_search(queryset: QuerySet, text: str | None) -> QuerySet:
    """Keep matches of `text` and annotate `search_rank` (higher is more relevant)."""
    if not text:
        return queryset
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(
        search_rank=Cast(SearchRank(F("search_vector"), query) * RANK_SCALE, IntegerField())
    )


def sponsorships_prefetch(*, include_drafts: bool, lookup: str = "sponsorships") -> Prefetch:
    queryset = _visible(
        Sponsorship.objects.select_related("person", "organization", "chamber"), include_drafts
    )
    if not include_drafts:
        queryset = queryset.filter(
            Q(person__isnull=True) | Q(person__is_published=True),
            Q(organization__isnull=True) | Q(organization__is_published=True),
        )
    return Prefetch(
        lookup,
        queryset=queryset.prefetch_related(citations_prefetch(include_drafts=include_drafts)),
    )


def actions_prefetch(*, include_drafts: bool) -> Prefetch:
    queryset = BillAction.objects.select_related("actor").prefetch_related(
        citations_prefetch(include_drafts=include_drafts)
    )
    return Prefetch("actions", queryset=queryset.order_by("order"))


def statement_links_prefetch(*, include_drafts: bool) -> Prefetch:
    statements = _visible(Statement.objects.all(), include_drafts)
    queryset = (
        StatementBill.objects.filter(statement__in=statements)
        .select_related("statement__speaker_person", "statement__speaker_organization")
        .prefetch_related(
            Prefetch(
                "statement__citations",
                queryset=citations_prefetch(include_drafts=include_drafts).queryset,
            )
        )
        .order_by("statement__said_on", "statement_id")
    )
    return Prefetch("statement_links", queryset=queryset)


def bill_list(
    *, include_drafts: bool = False, include: frozenset[str] = frozenset(), q: str | None = None
) -> QuerySet[Bill]:
    """Bills with chamber, package, topics, identifiers and citations; `include` adds
    sponsors, actions and statements."""
    queryset = _visible(Bill.objects.all(), include_drafts).select_related(
        "originating_chamber", "package"
    )
    prefetches: list = [
        Prefetch("topics", queryset=Topic.objects.order_by("slug")),
        "identifiers",
        citations_prefetch(include_drafts=include_drafts),
    ]
    if "sponsors" in include:
        prefetches.append(sponsorships_prefetch(include_drafts=include_drafts))
    if "actions" in include:
        prefetches.append(actions_prefetch(include_drafts=include_drafts))
    if "statements" in include:
        prefetches.append(statement_links_prefetch(include_drafts=include_drafts))
    return with_search(queryset.prefetch_related(*prefetches), q).order_by("slug")


def bill_action_list(*, include_drafts: bool = False) -> QuerySet[BillAction]:
    """Status-history rows of visible bills, oldest first within each bill."""
    bills = _visible(Bill.objects.all(), include_drafts)
    return (
        BillAction.objects.filter(bill__in=bills)
        .select_related("bill", "actor")
        .prefetch_related(citations_prefetch(include_drafts=include_drafts))
        .order_by("bill__slug", "order")
    )


def sponsorship_list(*, include_drafts: bool = False) -> QuerySet[Sponsorship]:
    bills = _visible(Bill.objects.all(), include_drafts)
    prefetch = sponsorships_prefetch(include_drafts=include_drafts)
    return (
        prefetch.queryset.filter(bill__in=bills)
        .select_related("bill")
        .order_by("bill__slug", "role", "pk")
    )


def person_list(*, include_drafts: bool = False, include: frozenset[str] = frozenset()):
    other_names = PersonName.objects.prefetch_related(
        citations_prefetch(include_drafts=include_drafts)
    )
    queryset = _visible(Person.objects.all(), include_drafts).prefetch_related(
        Prefetch("other_names", queryset=other_names),
        citations_prefetch(include_drafts=include_drafts),
    )
    if "memberships" in include:
        queryset = queryset.prefetch_related(
            Prefetch(
                "memberships",
                queryset=_visible(
                    Membership.objects.select_related("organization"), include_drafts
                ).prefetch_related(citations_prefetch(include_drafts=include_drafts)),
            )
        )
    return queryset.order_by("slug")


def organization_list(*, include_drafts: bool = False) -> QuerySet[Organization]:
    return (
        _visible(Organization.objects.all(), include_drafts)
        .select_related("parent")
        .prefetch_related(citations_prefetch(include_drafts=include_drafts))
        .order_by("slug")
    )


def membership_list(*, include_drafts: bool = False) -> QuerySet[Membership]:
    queryset = _visible(Membership.objects.all(), include_drafts)
    if not include_drafts:
        queryset = queryset.filter(person__is_published=True, organization__is_published=True)
    return (
        queryset.select_related("person", "organization")
        .prefetch_related(citations_prefetch(include_drafts=include_drafts))
        .order_by("person__slug", "pk")
    )


def event_list(*, include_drafts: bool = False) -> QuerySet[Event]:
    return (
        _visible(Event.objects.all(), include_drafts)
        .select_related("organizer")
        .prefetch_related(citations_prefetch(include_drafts=include_drafts))
        .order_by("slug")
    )


def statement_list(
    *, include_drafts: bool = False, include: frozenset[str] = frozenset(), q: str | None = None
) -> QuerySet[Statement]:
    """Statements with speaker, event, topics, the bills they concern (with stance), citations."""
    bills = _visible(Bill.objects.all(), include_drafts)
    queryset = (
        _visible(Statement.objects.all(), include_drafts)
        .select_related(
            "speaker_person",
            "speaker_organization",
            "speaker_membership__organization",
            "on_behalf_of",
            "event",
        )
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("slug")),
            Prefetch(
                "bill_links",
                queryset=StatementBill.objects.filter(bill__in=bills)
                .select_related("bill")
                .order_by("bill__slug"),
            ),
            citations_prefetch(include_drafts=include_drafts),
        )
    )
    return with_search(queryset, q).order_by("slug")


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.order_by("slug")


def search_everything(*, text: str, limit: int, include_drafts: bool = False) -> list[dict]:
    """Top `limit` bills and statements matching `text`, merged by rank (two queries)."""
    from django.contrib.postgres.search import SearchHeadline

    query = search_query(text)
    bills = (
        with_search(_visible(Bill.objects.all(), include_drafts), text)
        .annotate(headline=SearchHeadline("summary", query, config="english", max_fragments=1))
        .order_by("-search_rank", "slug")
        .values("id", "slug", "short_title", "headline", "search_rank")[:limit]
    )
    statements = (
        with_search(_visible(Statement.objects.all(), include_drafts), text)
        .annotate(headline=SearchHeadline("text", query, config="english", max_fragments=1))
        .order_by("-search_rank", "slug")
        .values("id", "slug", "attribution", "headline", "search_rank")[:limit]
    )
    hits = [
        {
            "type": "bill",
            "id": row["id"],
            "slug": row["slug"],
            "title": row["short_title"],
            "headline": row["headline"],
            "rank": row["search_rank"],
        }
        for row in bills
    ] + [
        {
            "type": "statement",
            "id": row["id"],
            "slug": row["slug"],
            "title": row["attribution"],
            "headline": row["headline"],
            "rank": row["search_rank"],
        }
        for row in statements
    ]
    hits.sort(key=lambda hit: (-hit["rank"], hit["type"], hit["slug"]))
    return hits[:limit]
