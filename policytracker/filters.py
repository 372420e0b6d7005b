"""Shared django-filter pieces: the change-feed filter every list endpoint offers."""

import django_filters
from django import forms


class TimestampedFilterSet(django_filters.FilterSet):
    """Adds `updated_since`, so consumers can fetch only what changed since their last run."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records created or changed at or after this ISO 8601 date-time "
        "(e.g. 2016-10-01T00:00:00Z).",
    )


def visible(model):
    """Queryset callable for choice filters: drafts are valid choices for staff only."""

    def queryset(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_staff:
            return model.objects.all()
        return model.objects.filter(is_published=True)

    return queryset


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter (NumberFilter alone accepts decimals such as 0.5)."""

    field_class = forms.IntegerField
