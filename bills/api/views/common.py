"""What the bills API views share: search and include parameters, slug pattern, citation split."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


def split_citations(data: dict) -> list[dict]:
    return data.pop("sources", [])


SEARCH_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description='Full-text search in English and Russian (web-search syntax: "quoted phrase", '
    "-exclude, or). Results are ranked by relevance unless `ordering` is given.",
)


def include_parameter(options: frozenset[str]) -> OpenApiParameter:
    return OpenApiParameter(
        "include",
        {"type": "array", "items": {"type": "string", "enum": sorted(options)}},
        style="form",
        explode=False,
        description="Related records to embed, comma-separated: " + ", ".join(sorted(options)),
    )


SLUG_PATTERN = "[-a-zA-Z0-9_]+"
