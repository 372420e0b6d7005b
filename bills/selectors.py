"""Reads for the public API: visibility, prefetching and deterministic order live here.

Every queryset here, and every prefetch inside it, starts from the one gate
(`Model.objects.visible(see_drafts=...)`, policytracker.visibility): a list embedded in a record
omits the rows the caller may not see. Single references to hidden records are nulled by the
serializers, which check the rows selected here (so each selector selects what `is_public` walks).

Every list selector returns a queryset whose related data is fetched in a fixed number of
queries, whatever the page size (`include` adds a fixed number more).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, IntegerField, Prefetch, QuerySet
from django.db.models.functions import Cast

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
from sources.selectors import citations_prefetch

# Ranks are floats; scaled integers make exact, repeatable cursor positions.
RANK_SCALE = 1_000_000


def search_query(text: str) -> SearchQuery:
    """Web-search syntax ("quoted phrases", -exclusions, or) in English and Russian."""
    return SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="russian", search_type="websearch"
    )


def with_search(queryset: QuerySet, text: str | None) -> QuerySet:
    """Keep matches of `text` and annotate `search_rank` (higher is more relevant); `queryset`
    is already gated."""
    if not text:
        return queryset
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(
        search_rank=Cast(SearchRank(F("search_vector"), query) * RANK_SCALE, IntegerField())
    )


def _topics(*, see_drafts: bool) -> Prefetch:
    topics = Topic.objects.visible(see_drafts=see_drafts).order_by("slug")
    return Prefetch("topics", queryset=topics)


def sponsorships_prefetch(*, see_drafts: bool, lookup: str = "sponsorships") -> Prefetch:
    """Visible sponsorships (of a visible bill, by a visible sponsor), with their chamber."""
    queryset = (
        Sponsorship.objects.visible(see_drafts=see_drafts)
        .select_related("person", "organization", "chamber")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
    )
    return Prefetch(lookup, queryset=queryset)


def actions_prefetch(*, see_drafts: bool) -> Prefetch:
    queryset = (
        BillAction.objects.visible(see_drafts=see_drafts)
        .select_related("actor")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
    )
    return Prefetch("actions", queryset=queryset.order_by("order"))


def statement_links_prefetch(*, see_drafts: bool) -> Prefetch:
    """Visible statements about a bill, each with its stance toward it."""
    queryset = (
        StatementBill.objects.visible(see_drafts=see_drafts)
        .select_related("statement__speaker_person")
        .prefetch_related(
            Prefetch(
                "statement__citations",
                queryset=citations_prefetch(see_drafts=see_drafts).queryset,
            )
        )
        .order_by("statement__said_on", "statement_id")
    )
    return Prefetch("statement_links", queryset=queryset)


def bill_list(
    *, see_drafts: bool = False, include: frozenset[str] = frozenset(), q: str | None = None
) -> QuerySet[Bill]:
    """Bills with chamber, package, topics, identifiers and citations; `include` adds
    sponsors, actions and statements."""
    queryset = Bill.objects.visible(see_drafts=see_drafts).select_related(
        "originating_chamber", "package"
    )
    prefetches: list = [
        _topics(see_drafts=see_drafts),
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
    *, see_drafts: bool = False, include: frozenset[str] = frozenset()
) -> QuerySet[Person]:
    """People with their other names; `include=memberships` adds their visible posts."""
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
    return queryset.order_by("slug")


def organization_list(*, see_drafts: bool = False) -> QuerySet[Organization]:
    return (
        Organization.objects.visible(see_drafts=see_drafts)
        .select_related("parent")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        .order_by("slug")
    )


def membership_list(*, see_drafts: bool = False) -> QuerySet[Membership]:
    """Visible posts (of a visible person in a visible organization)."""
    return (
        Membership.objects.visible(see_drafts=see_drafts)
        .select_related("person", "organization")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
        .order_by("person__slug", "pk")
    )


def event_list(*, see_drafts: bool = False) -> QuerySet[Event]:
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
        .order_by("bill__slug")
    )
    queryset = (
        Statement.objects.visible(see_drafts=see_drafts)
        .select_related(
            "speaker_person",
            "speaker_organization",
            "speaker_membership__person",
            "speaker_membership__organization",
            "on_behalf_of",
            "event",
        )
        .prefetch_related(
            _topics(see_drafts=see_drafts),
            Prefetch("bill_links", queryset=stances),
            citations_prefetch(see_drafts=see_drafts),
        )
    )
    return with_search(queryset, q).order_by("slug")


def topic_list(*, see_drafts: bool = False) -> QuerySet[Topic]:
    """Topics (they have no draft state today; the gate still decides)."""
    return Topic.objects.visible(see_drafts=see_drafts).order_by("slug")


def search_everything(*, text: str, limit: int, see_drafts: bool = False) -> list[dict]:
    """Top `limit` visible bills and statements matching `text`, merged by rank (two queries)."""
    from django.contrib.postgres.search import SearchHeadline

    query = search_query(text)
    bills = (
        with_search(Bill.objects.visible(see_drafts=see_drafts), text)
        .annotate(headline=SearchHeadline("summary", query, config="english", max_fragments=1))
        .order_by("-search_rank", "slug")
        .values("id", "slug", "short_title", "headline", "search_rank")[:limit]
    )
    statements = (
        with_search(Statement.objects.visible(see_drafts=see_drafts), text)
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
