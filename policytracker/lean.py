"""The lean read path's building blocks: rows as dicts, not model instances.

A list page is read with `.values()` (the gate stays in SQL: every queryset starts from
`Model.objects.visible(...)`), related rows are fetched in one query per kind, and the JSON is
assembled from dicts with addresses made from a template (no `reverse()` per row). The output
equals the documented serializers' output (tests/test_lean.py compares them on every field,
null and include); the serializers stay for the schema, writes and single records.
"""

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from sources.selectors import citations_prefetch

# Stand-ins reversed in place of a slug or a numeric id, then split on.
PLACEHOLDER = "LEAN-PLACEHOLDER"
NUMERIC_PLACEHOLDER = "98765432109876543210"

SOURCE_FIELDS = (
    "id",
    "url",
    "title",
    "publisher",
    "published_on",
    "published_precision",
    "kind",
    "accessed_on",
    "archived_url",
)
CITATION_FIELDS = (
    "excerpt",
    "excerpt_kind",
    "locator",
    "field_name",
    "relation",
    "claimed_value",
    "resolution_note",
)


def date_text(value: datetime.date | None) -> str | None:
    """A date as DRF's DateField renders it."""
    return value.isoformat() if value is not None else None


def datetime_text(value: datetime.datetime | None) -> str | None:
    """A timestamp as DRF's DateTimeField renders it (UTC, `Z`); the database connection
    already answers in UTC (USE_TZ)."""
    if value is None:
        return None
    if value.utcoffset():
        value = value.astimezone(datetime.UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class Addresses:
    """Absolute addresses of records by route name, built from one `reverse()` per route."""

    def __init__(self, request):
        self.request = request
        self._templates: dict[tuple[str, str], tuple[str, str]] = {}

    def template(self, view_name: str, lookup: str = "slug") -> tuple[str, str]:
        """The address of a record of route `view_name` is `before + value + after`."""
        template = self._templates.get((view_name, lookup))
        if template is None:
            stand_in = PLACEHOLDER if lookup == "slug" else NUMERIC_PLACEHOLDER
            path = reverse(view_name, kwargs={lookup: stand_in})
            absolute = self.request.build_absolute_uri(path) if self.request else path
            template = tuple(absolute.split(stand_in, 1))
            self._templates[(view_name, lookup)] = template
        return template

    def __call__(self, view_name: str, value, lookup: str = "slug") -> str:
        before, after = self.template(view_name, lookup)
        return f"{before}{value}{after}"


def source_summary(row: dict, prefix: str = "") -> dict:
    """SourceSummarySerializer's output from a row holding `SOURCE_FIELDS` (after `prefix`)."""
    return {
        "id": row[f"{prefix}id"],
        "url": row[f"{prefix}url"],
        "title": row[f"{prefix}title"],
        "publisher": row[f"{prefix}publisher"],
        "published_on": date_text(row[f"{prefix}published_on"]),
        "published_precision": row[f"{prefix}published_precision"],
        "kind": row[f"{prefix}kind"],
        "accessed_on": date_text(row[f"{prefix}accessed_on"]),
        "archived_url": row[f"{prefix}archived_url"],
        "archived": bool(row[f"{prefix}archived_url"]),
    }


def citations_by_record(
    model: type[models.Model], ids, *, see_drafts: bool
) -> dict[int, list[dict]]:
    """The citations of records of `model` with ids `ids`, as CitationSerializer renders them
    (sources the caller may not see are left out), grouped by record id: one query."""
    if not ids:
        return {}
    content_type = ContentType.objects.get_for_model(model)
    rows = (
        citations_prefetch(see_drafts=see_drafts)
        .queryset.filter(content_type=content_type, object_id__in=ids)
        .values("object_id", *CITATION_FIELDS, *(f"source__{name}" for name in SOURCE_FIELDS))
    )
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["object_id"]].append(
            {
                "source": source_summary(row, "source__"),
                "excerpt": row["excerpt"],
                "excerpt_kind": row["excerpt_kind"],
                "locator": row["locator"],
                "field": row["field_name"],
                "relation": row["relation"],
                "claimed_value": row["claimed_value"],
                "resolution_note": row["resolution_note"],
            }
        )
    return grouped


def visible_rows(queryset: models.QuerySet, ids, fields) -> dict[int, dict]:
    """Rows of the gated `queryset` among `ids`, by id: a reference to a record missing here is
    one the caller may not see (served as null)."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return {row["id"]: row for row in queryset.filter(pk__in=wanted).values("id", *fields)}


def grouped_rows(queryset: models.QuerySet, key: str, ids, fields) -> dict[int, list[dict]]:
    """Rows of the gated, ordered `queryset` whose `key` is among `ids`, grouped by `key`."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    if ids:
        for row in queryset.filter(**{f"{key}__in": ids}).values(key, *fields):
            grouped[row[key]].append(row)
    return grouped
