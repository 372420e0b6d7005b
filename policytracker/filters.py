"""Shared django-filter pieces: the change-feed filter every list endpoint offers, and the gate
(policytracker.visibility) every choice and method filter starts from."""

import django_filters
from django import forms


def request_user(request):
    return getattr(request, "user", None)


def visible(model):
    """Queryset callable for choice filters: the rows the caller may see (the one gate), so a
    draft's slug is refused exactly like a slug that does not exist."""

    def queryset(request):
        return model.objects.visible_to(request_user(request))

    return queryset


class TimestampedFilterSet(django_filters.FilterSet):
    """Adds `updated_since`, so consumers can fetch only what changed since their last run.

    Method filters that look at other tables start from `self.visible_rows(Model)`: a filter matches
    only through rows the caller may see, so it cannot reveal a draft."""

    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only records created or changed at or after this ISO 8601 date-time "
        "(e.g. 2016-10-01T00:00:00Z).",
    )

    def visible_rows(self, model):
        return visible(model)(self.request)


class IntegerFilter(django_filters.NumberFilter):
    """A whole-number filter (NumberFilter alone accepts decimals such as 0.5)."""

    field_class = forms.IntegerField
