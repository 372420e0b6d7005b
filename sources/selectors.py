"""Reads for sources and citations, each starting from the one gate (policytracker.visibility)."""

from django.db.models import Prefetch, QuerySet

from sources.models import Citation, Source


def source_list(*, see_drafts: bool = False) -> QuerySet[Source]:
    """Sources visible to the caller, newest first."""
    return Source.objects.visible(see_drafts=see_drafts).order_by("-created_at", "-pk")


def citations_prefetch(
    lookup: str = "citations", *, see_drafts: bool = False, to_attr: str | None = None
) -> Prefetch:
    """Prefetch of a record's citations with their sources: one query per record type. The
    record embedding them already passed the gate, so only their source is left to check."""
    queryset = (
        Citation.objects.under_visible_record(see_drafts=see_drafts)
        .select_related("source")
        .order_by("pk")
    )
    return Prefetch(lookup, queryset=queryset, to_attr=to_attr)


def citation_list(*, see_drafts: bool = False) -> QuerySet[Citation]:
    """Citations the caller may see: the public sees those whose source and cited record are
    both visible (the cited record's own rule decides, e.g. a post of a draft person is hidden)."""
    return (
        Citation.objects.visible(see_drafts=see_drafts)
        .select_related("source", "content_type")
        .order_by("pk")
    )
