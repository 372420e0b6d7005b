"""Reads for the public API: visibility, prefetching and deterministic order live here.

Every queryset here, and every prefetch inside it, starts from the one gate
(`Model.objects.visible(see_drafts=...)`, policytracker.visibility): a list embedded in a record
omits the rows the caller may not see. Single references to hidden records are nulled by the
serializers, which check the rows selected here (so each selector selects what `is_public` walks).

Every list selector returns a queryset whose related data is fetched in a fixed number of
queries, whatever the page size (`include` adds a fixed number more).
"""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Greatest

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

# The English stemmer leaves a plural "s" after a vowel or on a vowel-less word ("NGOs" stays
# `ngos`, "MPs" `mps`), so a plural acronym and its singular never meet. Each such lexeme of the
# parsed query (its text form quotes every lexeme) becomes "either form": `ngo` and `ngos` both
# read `( 'ngo' | 'ngos' )`. Done on the query only, so the stored vectors need no change.
PLURAL_LEXEME = r"'([a-z0-9]*[aeiouy]|[b-df-hj-np-tv-xz0-9]*[b-df-hj-np-rtv-xz0-9])s?'"
EITHER_FORM = r"( '\1' | '\1s' )"


class PluralTolerantQuery(SearchQuery):
    """A web-search query whose lexemes also match their plural or singular (PLURAL_LEXEME)."""

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = super().as_sql(compiler, connection, function, template)
        return (
            f"regexp_replace(({sql})::text, %s, %s, 'g')::tsquery",
            (*params, PLURAL_LEXEME, EITHER_FORM),
        )


def search_query(text: str) -> SearchQuery:
    """Web-search syntax ("quoted phrases", -exclusions, or) in English and Russian, singular
    and plural alike."""
    return PluralTolerantQuery(
        text, config="english", search_type="websearch"
    ) | PluralTolerantQuery(text, config="russian", search_type="websearch")


def _scaled(rank) -> Cast:
    return Cast(rank * RANK_SCALE, IntegerField())


def with_search(queryset: QuerySet, text: str | None) -> QuerySet:
    """Keep matches of `text` and annotate `search_rank` (higher is more relevant), both from
    the stored, GIN-indexed `search_vector`; `queryset` is already gated."""
    if not text:
        return queryset
    query = search_query(text)
    return queryset.filter(search_vector=query).annotate(
        search_rank=_scaled(SearchRank(F("search_vector"), query))
    )


def with_person_search(queryset: QuerySet, text: str | None, *, see_drafts: bool) -> QuerySet:
    """Keep people whose own names or other names (PersonName rows) match `text`, ranked by
    the better of the two; each side is one GIN index scan of its own stored vector, joined as
    a union of ids (an OR across the two tables would scan every person)."""
    if not text:
        return queryset
    query = search_query(text)
    own = Person.objects.visible(see_drafts=see_drafts).filter(search_vector=query)
    names = PersonName.objects.visible(see_drafts=see_drafts).filter(search_vector=query)
    best_other_name = (
        names.filter(person=OuterRef("pk"))
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank")
        .values("rank")[:1]
    )
    rank = Greatest(
        SearchRank(F("search_vector"), query),
        Coalesce(Subquery(best_other_name, output_field=FloatField()), Value(0.0)),
    )
    matches = own.order_by().values("pk").union(names.order_by().values("person_id"))
    return queryset.filter(pk__in=matches).annotate(search_rank=_scaled(rank))


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


def _person_names(*, see_drafts: bool):
    """A person's name followed by their visible other names: "Name (other, other)"."""
    text = TextField()
    others = (
        PersonName.objects.visible(see_drafts=see_drafts)
        .filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(
            names=Concat(
                Value(" ("), StringAgg("name", ", ", order_by="name"), Value(")"), output_field=text
            )
        )
        .values("names")
    )
    return Concat(
        F("name"), Coalesce(Subquery(others), Value(""), output_field=text), output_field=text
    )


def _organization_names():
    """An organization's name followed by its abbreviation: "Name (ABBR)"."""
    text = TextField()
    abbreviation = Case(
        When(abbreviation="", then=Value("")),
        default=Concat(Value(" ("), F("abbreviation"), Value(")"), output_field=text),
        output_field=text,
    )
    return Concat(F("name"), abbreviation, output_field=text)


def search_everything(*, text: str, limit: int, see_drafts: bool = False) -> list[dict]:
    """Top `limit` visible bills, statements, people and organizations matching `text`, merged
    by rank (one query per kind). Headlines are drawn for the returned rows only."""
    query = search_query(text)
    kinds = [
        (
            "bill",
            with_search(Bill.objects.visible(see_drafts=see_drafts), text),
            F("short_title"),
            SearchHeadline("summary", query, config="english", max_fragments=1),
        ),
        (
            "statement",
            with_search(Statement.objects.visible(see_drafts=see_drafts), text),
            F("attribution"),
            SearchHeadline("text", query, config="english", max_fragments=1),
        ),
        (
            "person",
            with_person_search(
                Person.objects.visible(see_drafts=see_drafts), text, see_drafts=see_drafts
            ),
            F("name"),
            SearchHeadline(_person_names(see_drafts=see_drafts), query, config="russian"),
        ),
        (
            "organization",
            with_search(Organization.objects.visible(see_drafts=see_drafts), text),
            F("name"),
            SearchHeadline(_organization_names(), query, config="russian"),
        ),
    ]
    hits = []
    for kind, queryset, title, headline in kinds:
        rows = (
            queryset.annotate(hit_title=title, headline=headline)
            .order_by("-search_rank", "slug")
            .values("id", "slug", "hit_title", "headline", "search_rank")[:limit]
        )
        hits += [
            {
                "type": kind,
                "id": row["id"],
                "slug": row["slug"],
                "title": row["hit_title"],
                "headline": row["headline"],
                "rank": row["search_rank"],
            }
            for row in rows
        ]
    hits.sort(key=lambda hit: (-hit["rank"], hit["type"], hit["slug"]))
    return hits[:limit]
