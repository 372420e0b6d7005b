"""Reads of slug aliases: which record an old slug leads to."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from policytracker.aliases.models import SlugAlias


def alias_record_ids(model: type[models.Model], slug: str) -> models.QuerySet:
    """The ids (0 or 1) of the record of `model` that `slug` is an alias of, as a subquery."""
    content_type = ContentType.objects.get_for_model(model)
    return SlugAlias.objects.filter(content_type=content_type, slug=slug).values("record_id")


def record_for_alias(
    model: type[models.Model], slug: str, queryset: models.QuerySet | None = None
) -> models.Model | None:
    """The record `slug` is an old address of, taken from `queryset` (pass the caller's gated
    queryset: an alias of a record the caller may not see finds nothing), or None.

    Current slugs come first: when a record of `model` holds `slug` now, it is not an alias."""
    rows = model._default_manager.all() if queryset is None else queryset
    if model._base_manager.filter(slug=slug).exists():
        return None
    return rows.filter(pk__in=alias_record_ids(model, slug)).first()
