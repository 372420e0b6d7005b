"""Reads for sources and citations."""

from django.db.models import Prefetch, QuerySet

from sources.models import Citation, Source


def source_list(*, include_drafts: bool = False) -> QuerySet[Source]:
    """Sources visible to the caller, newest publication first."""
    queryset = Source.objects.all()
    if not include_drafts:
        queryset = queryset.filter(is_published=True)
    return queryset.order_by("-created_at", "-pk")


def citations_prefetch(
    lookup: str = "citations", *, include_drafts: bool = False, to_attr: str | None = None
) -> Prefetch:
    """Prefetch of a record's citations with their sources: one query per record type."""
    queryset = Citation.objects.select_related("source").order_by("pk")
    if not include_drafts:
        queryset = queryset.filter(source__is_published=True)
    return Prefetch(lookup, queryset=queryset, to_attr=to_attr)
