"""Shared pieces of write-input serializers: they check shape only; services hold the rules."""

from rest_framework import serializers

from policytracker.dates import span_start
from policytracker.models import DatePrecision


class StrictInputMixin:
    """Refuse fields the input does not know (a typo must not be silently dropped), and read-only
    ones such as `status`, which only the transition service may set."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Unknown or read-only field."] for name in unknown}
                )
            # DRF's CharField takes 7673 for "7673"; the schema says string, and a number where
            # text is due is a client's mistake to name, not to store.
            not_text = sorted(
                name
                for name, value in data.items()
                if isinstance(self.fields[name], serializers.CharField)
                and value is not None
                and not isinstance(value, str)
            )
            if not_text:
                raise serializers.ValidationError(
                    {name: ["Must be a string."] for name in not_text}
                )
        return super().to_internal_value(data)


class DatedInputMixin(StrictInputMixin):
    """Normalises each (date, precision) pair named in `Meta.date_pairs`.

    A date without a precision is taken as exact to the day; no date means 'unknown'; a month-
    or year-precise date is stored as the first day of its span. Mismatches are errors naming
    the precision field.
    """

    def validate(self, attrs):
        attrs = super().validate(attrs)
        for date_field, precision_field in getattr(self.Meta, "date_pairs", ()):
            if date_field not in attrs and precision_field not in attrs:
                continue
            date = attrs.get(date_field, getattr(self.instance, date_field, None))
            precision = attrs.get(precision_field)
            if date is None:
                if precision not in (None, DatePrecision.UNKNOWN):
                    raise serializers.ValidationError(
                        {precision_field: "Without a date the precision must be 'unknown'."}
                    )
                attrs[precision_field] = DatePrecision.UNKNOWN
                continue
            if precision is None:
                current = getattr(self.instance, precision_field, None)
                precision = current if current not in (None, DatePrecision.UNKNOWN) else "day"
            if precision == DatePrecision.UNKNOWN:
                raise serializers.ValidationError(
                    {precision_field: "A known date needs a precision: day, month or year."}
                )
            attrs[date_field] = span_start(date, precision)
            attrs[precision_field] = precision
        return attrs


def slug_field(queryset, **kwargs) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="slug", queryset=queryset, **kwargs)


NO_UNIQUE_VALIDATORS = {"validators": []}  # uniqueness is checked by the service (409)
