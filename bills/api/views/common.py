"""What the bills API views share: search and include parameters, slug pattern, citations."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from sources.services import citations_add


def split_citations(data: dict) -> list[dict]:
    return data.pop("sources", [])


def update_then_cite(update, data: dict, expected_version: int | None, **record):
    """Call the entity's `update` service with `data`, then add the nested `sources` it carried
    (through the citation service), as one API update does."""
    citations = split_citations(data)
    updated = update(values=data, expected_version=expected_version, **record)
    citations_add(record=updated, citations=citations)
    return updated


SEARCH_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description='Full-text search in English and Russian (web-search syntax: "quoted phrase", '
    "-exclude, or). Words match their other forms (English and Russian stemming; a plural "
    "acronym and its singular, `NGOs` and `NGO`, alike). Results are ranked by relevance unless "
    "`ordering` is given.",
)
NAME_SEARCH_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description="Search the names, in Latin or Cyrillic script, with the same syntax and word "
    "forms as `q` on bills. Results are ranked by relevance unless `ordering` is given.",
)


COMPACT_CITATIONS_PARAMETER = OpenApiParameter(
    "citations",
    OpenApiTypes.STR,
    enum=["full", "compact"],
    description="`full` (default): every citation carries its source's summary (id, url, "
    "title, publisher, published_on, published_precision, kind). `compact`: a citation's "
    "`source` is `{id, url, title}` only, and the page carries each cited source once, in a "
    "top-level `sources` object keyed by source id (as text), with the same summary. A page "
    "citing the same sources many times shrinks most (the seed's bills with every include: "
    "4 %, as their excerpts are long); nothing is lost: every citation still names its source "
    "and keeps its excerpt, locator and relation.",
)


def include_parameter(options: frozenset[str]) -> OpenApiParameter:
    """Documented as a repeated parameter (`include=a&include=b`, what generated clients send
    for an array); the API reads `include=a,b` the same way."""
    names = ", ".join(f"`{name}`" for name in sorted(options))
    return OpenApiParameter(
        "include",
        {"type": "array", "items": {"type": "string", "enum": sorted(options)}},
        style="form",
        explode=True,
        description=f"Related records to embed ({names}), each shown in the response under its "
        "own name: repeat the parameter (`include=a&include=b`) or separate names with commas "
        "(`include=a,b`). An unknown name is refused (400 naming `include`).",
    )


SLUG_PATTERN = "[-a-zA-Z0-9_]+"


def link_feed(response, url: str | None):
    """Name the Atom feed of what a successful `response` shows (bills/feeds) in its Link
    header, so feed readers and clients find it from the API."""
    if response.status_code == 200 and url:
        response["Link"] = f'<{url}>; rel="alternate"; type="application/atom+xml"'
    return response


class FeedLinkMixin:
    """A record's detail response links its Atom feed (the `feed_url` it shows). A record whose
    JSON PostgreSQL wrote is not parsed for it: its feed's address is made from its slug."""

    feed_route: str | None = None  # the route of the record's feed, by slug

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        data = getattr(response, "data", None)
        if isinstance(data, dict):
            return link_feed(response, data.get("feed_url"))
        shown = getattr(self, "_shown_records", None)
        if self.feed_route and shown and response.status_code == 200:
            path = reverse(self.feed_route, kwargs={"slug": shown[0]["slug"]})
            return link_feed(response, request.build_absolute_uri(path))
        return response
