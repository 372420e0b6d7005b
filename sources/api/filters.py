"""Filters for source documents."""

import django_filters

from policytracker.filters import TimestampedFilterSet
from sources.models import Source, SourceKind


class SourceFilter(TimestampedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices, help_text="Kind.")
    language = django_filters.CharFilter(help_text="BCP 47 language code, e.g. en, ru, kk.")
    publisher = django_filters.CharFilter(lookup_expr="icontains", help_text="Words in the name.")
    published_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", help_text="Published on or after."
    )
    published_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", help_text="Published on or before."
    )

    class Meta:
        model = Source
        fields = []
