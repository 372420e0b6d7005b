"""Full-text search: the query (English and Russian, plural-tolerant), the filters that keep
matches and rank them from the stored, GIN-indexed vectors, and the cross-kind `/search/`."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    Case,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, Greatest

from bills.models import Bill, Organization, Person, PersonName, Statement
from bills.texts import text_sql

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


def search_everything(
    *, text: str, limit: int, see_drafts: bool = False, language: str = "en"
) -> list[dict]:
    """Top `limit` visible bills, statements, people and organizations matching `text`, merged
    by rank (one query per kind). Headlines are drawn for the returned rows only. A bill's
    title is its short title in `language` where recorded (bills/texts.py), else English."""
    query = search_query(text)
    kinds = [
        (
            "bill",
            # rewrite(False): the columns as named, whatever language is active.
            with_search(Bill.objects.rewrite(False).visible(see_drafts=see_drafts), text),
            text_sql("short_title", language),
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
