"""Filters for source documents."""

import django_filters

from policytracker.filters import IntegerFilter, TimestampedFilterSet, documented
from sources.models import Citation, CitationRelation, Source, SourceKind
from sources.services import citable_kinds


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


class CitationFilter(TimestampedFilterSet):
    source = IntegerFilter(field_name="source_id", help_text="Source id.")
    record_type = documented(
        django_filters.ChoiceFilter(
            field_name="content_type__model",
            choices=[(kind, kind) for kind in sorted(citable_kinds())],
            help_text="Kind of the cited record (its model name), e.g. bill.",
        ),
        {"type": "string", "enum": sorted(citable_kinds())},
    )
    record_id = IntegerFilter(field_name="object_id", help_text="Cited record id.")
    relation = django_filters.ChoiceFilter(
        choices=CitationRelation.choices, help_text="supports or contradicts (conflicts)."
    )

    class Meta:
        model = Citation
        fields = []
