"""Reads for sources and citations."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet

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


def citation_list(*, include_drafts: bool = False) -> QuerySet[Citation]:
    """Citations; the public sees those whose source and cited record are both visible.

    A cited model is public when it is published itself, or (for parts of a record such as a
    bill's actions) when the record it belongs to, named in `visibility_parent`, is published.
    """
    queryset = Citation.objects.select_related("source", "content_type")
    if include_drafts:
        return queryset.order_by("pk")
    visible = Q(pk__in=[])
    for content_type in ContentType.objects.filter(
        pk__in=Citation.objects.values("content_type").distinct()
    ):
        model = content_type.model_class()
        if model is None:
            continue
        if any(field.name == "is_published" for field in model._meta.fields):
            records = model.objects.filter(is_published=True)
        elif parent := getattr(model, "visibility_parent", None):
            records = model.objects.filter(**{f"{parent}__is_published": True})
        else:
            records = model.objects.all()
        visible |= Q(content_type=content_type, object_id__in=records.values("pk"))
    return queryset.filter(visible, source__is_published=True).order_by("pk")
