"""Shared django-filter pieces: the change-feed filter every list endpoint offers, the gate
(policytracker.visibility) every choice and method filter starts from, and the filters whose
OpenAPI schema states what they accept (ids, slugs)."""

from datetime import UTC, datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, Q
from django_filters.fields import ModelChoiceField
from drf_spectacular.drainage import set_override

from policytracker.aliases.selectors import alias_record_ids, record_for_alias

# Any record's slug has this shape (Django's validate_slug); a value of another shape names no
# record.
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
MAX_ID = 2**63 - 1  # ids are BigAutoField, from 1


def request_user(request):
    return getattr(request, "user", None)


def visible(model):
    """Queryset callable for choice filters: the rows the caller may see (the one gate), so a
    draft's slug is refused exactly like a slug that does not exist."""

    def queryset(request):
        return model.objects.visible_to(request_user(request))

    return queryset


def documented(filter_, schema: dict):
    """Give `filter_` this OpenAPI schema (drf-spectacular guesses from the model otherwise)."""
    set_override(filter_, "field", {**schema, "description": filter_.extra.get("help_text", "")})
    return filter_


class AliasModelChoiceField(ModelChoiceField):
    """A record chosen by slug that also accepts one of its old slugs (an alias): a renamed or
    merged record stays filterable by the address consumers stored. Only looked up after the
    current slug missed, within the same gated queryset."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if self.to_field_name != "slug" or not isinstance(value, str):
                raise
            record = record_for_alias(self.queryset.model, value, self.queryset)
            if record is None:
                raise
            return record


class AliasModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = AliasModelChoiceField


def slug_or_alias(queryset, slug: str):
    """The rows of `queryset` that `slug` names: the record holding it now, else the record it
    is an old slug of (current slugs first, as in every lookup)."""
    model = queryset.model
    # Any record holding the slug now, seen or not: an alias never outranks a current slug.
    held = Exists(model._base_manager.filter(slug=slug))
    return queryset.filter(Q(slug=slug) | (Q(pk__in=alias_record_ids(model, slug)) & ~held))


def slug_schema(filter_):
    """A filter that takes a record's slug: the schema says which shape a slug has."""
    return documented(filter_, {"type": "string", "pattern": SLUG_PATTERN})


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time compared in UTC. PostgreSQL refuses UTC offsets beyond ±15:59
    that RFC 3339 allows (e.g. -16:30), and an instant outside years 1–9999 in UTC has no
    Python datetime: it is before (or after) every record."""

    def filter(self, qs, value):
        return super().filter(qs, utc_instant(value) if value is not None else None)


def utc_instant(value: datetime) -> datetime:
    """`value` in UTC; past the ends of Python's datetime range, the first or last instant."""
    try:
        return value.astimezone(UTC)
    except OverflowError:
        ahead_of_utc = value.utcoffset().total_seconds() > 0
        return (datetime.min if ahead_of_utc else datetime.max).replace(tzinfo=UTC)


class TimestampedFilterSet(django_filters.FilterSet):
    """Adds `updated_since`, so consumers can fetch only what changed since their last run.

    Method filters that look at other tables start from `self.visible_rows(Model)`: a filter matches
    only through rows the caller may see, so it cannot reveal a draft."""

    updated_since = UTCDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records created or changed at or after this ISO 8601 date-time "
        "(e.g. 2016-10-01T00:00:00Z).",
    )

    def visible_rows(self, model):
        return visible(model)(self.request)


class IntegerFilter(django_filters.NumberFilter):
    """A record id: a whole number from 1 (NumberFilter alone accepts decimals such as 0.5, and
    a number past the id column's range would reach the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
        documented(self, {"type": "integer", "minimum": 1, "maximum": MAX_ID})
