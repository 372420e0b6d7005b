"""Abstract bases and shared field vocabularies used by every app."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, ExtractDay, ExtractMonth
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps; `updated_at` drives change feeds and ETags."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Audit trail: every create/update/delete with who and when (the user comes from
    # HistoryRequestMiddleware); the search vector is derived, so not worth keeping.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_vector"])

    class Meta:
        abstract = True


class PublishableModel(TimeStampedModel):
    """A record curators create as a draft and publish when reviewed; drafts are never public."""

    is_published = models.BooleanField(
        default=False, db_index=True, help_text="Only published records are visible to the public."
    )

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    """How much of a date the sources know; the stored date is the first day of its span."""

    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    UNKNOWN = "unknown", "Unknown"


def date_precision_constraints(date_field: str, precision_field: str, prefix: str) -> list:
    """Constraints keeping a (date, precision) pair honest: no date means 'unknown', and a
    month- or year-precise date is stored as the first day of its span."""
    date_is_null = Q(**{f"{date_field}__isnull": True})
    precision = precision_field
    # The explicit cast keeps EXTRACT typed when Django validates an unsaved row with no date.
    typed_date = Cast(date_field, output_field=models.DateField())
    first_of_month = Exact(ExtractDay(typed_date), 1)
    first_of_year = Exact(ExtractMonth(typed_date), 1)
    return [
        models.CheckConstraint(
            condition=Q(**{f"{precision}__in": DatePrecision.values}),
            name=f"{prefix}_{precision}_valid",
        ),
        models.CheckConstraint(
            condition=(date_is_null & Q(**{precision: DatePrecision.UNKNOWN}))
            | (~date_is_null & ~Q(**{precision: DatePrecision.UNKNOWN})),
            name=f"{prefix}_{precision}_unknown_iff_null",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.MONTH}) | Q(first_of_month),
            name=f"{prefix}_{precision}_month_first_day",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.YEAR}) | Q(first_of_month, first_of_year),
            name=f"{prefix}_{precision}_year_first_day",
        ),
    ]


def precision_field(date_label: str) -> models.CharField:
    return models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text=f"How precisely the {date_label} is known (day, month, year or unknown).",
    )
