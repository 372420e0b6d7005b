"""Lean pages of sources and citations (policytracker/lean.py): field for field what
SourceSerializer and CitationRecordSerializer give (tests/test_lean_records.py)."""

from policytracker.lean import (
    SOURCE_FIELDS,
    Addresses,
    date_text,
    datetime_text,
    source_summary,
)
from sources.models import Citation, Source

SOURCE_COLUMNS = (
    "id",
    "url",
    "title",
    "publisher",
    "author",
    "published_on",
    "published_precision",
    "language",
    "kind",
    "archived_url",
    "accessed_on",
    "content_sha256",
    "notes",
    "created_at",
    "updated_at",
)


def source_rows(*, see_drafts: bool):
    """The gated sources a lean page is cut from (source_list)."""
    return Source.objects.visible(see_drafts=see_drafts).order_by("-created_at", "-pk")


def source_page(rows: list[dict], *, request, **_) -> list[dict]:
    """SourceSerializer's output for source rows (`SOURCE_COLUMNS`)."""
    addresses = Addresses(request)
    return [
        {
            "id": row["id"],
            "url": addresses("source-detail", row["id"], "pk"),
            "document_url": row["url"],
            "title": row["title"],
            "publisher": row["publisher"],
            "author": row["author"],
            "published_on": date_text(row["published_on"]),
            "published_precision": row["published_precision"],
            "language": row["language"],
            "kind": row["kind"],
            "archived_url": row["archived_url"],
            "archived": bool(row["archived_url"]),
            "accessed_on": date_text(row["accessed_on"]),
            "content_sha256": row["content_sha256"],
            "notes": row["notes"],
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]


# A citation is listed only when its source and the record it backs are visible (the gate
# requires both), so its source summary is always shown.
CITATION_COLUMNS = (
    "id",
    "content_type__model",
    "object_id",
    *(f"source__{name}" for name in SOURCE_FIELDS),
    "excerpt",
    "excerpt_kind",
    "locator",
    "field_name",
    "relation",
    "claimed_value",
    "resolution_note",
    "created_at",
    "updated_at",
)


def citation_rows(*, see_drafts: bool):
    """The gated citations a lean page is cut from (citation_list without its joins)."""
    return Citation.objects.visible(see_drafts=see_drafts).order_by("pk")


def citation_page(rows: list[dict], *, request, **_) -> list[dict]:
    """CitationRecordSerializer's output for citation rows (`CITATION_COLUMNS`)."""
    addresses = Addresses(request)
    return [
        {
            "id": row["id"],
            "url": addresses("citation-detail", row["id"], "pk"),
            "record_type": row["content_type__model"],
            "record_id": row["object_id"],
            "source": source_summary(row, "source__"),
            "excerpt": row["excerpt"],
            "excerpt_kind": row["excerpt_kind"],
            "locator": row["locator"],
            "field": row["field_name"],
            "relation": row["relation"],
            "claimed_value": row["claimed_value"],
            "resolution_note": row["resolution_note"],
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]
