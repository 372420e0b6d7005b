"""Abstract bases and shared field vocabularies used by every app."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, ExtractDay, ExtractMonth
from django.db.models.lookups import Exact
from simple_history.models import HistoricalRecords

from policytracker.visibility import VisibilityQuerySet


class TimeStampedModel(models.Model):
    """Adds created/updated timestamps and the version the services check for lost updates."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Starts at 1 and grows with every change; the API's ETag carries it.",
    )
    # Audit trail: every create/update/delete with who and when (the user comes from
    # HistoryRequestMiddleware); the search vector is derived, so not worth keeping.
    history = HistoricalRecords(inherit=True, excluded_fields=["search_vector"])

    objects = VisibilityQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        check_date_pairs(self)


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


DATE_WITHOUT_PRECISION = "A known date needs a precision: day, month or year."
PRECISION_WITHOUT_DATE = "Without a date the precision must be 'unknown'."


def date_pairs(model) -> list[tuple[str, str]]:
    """The (date, precision) field pairs of a model: `<stem>_on` with `<stem>_precision`."""
    names = {field.name for field in model._meta.fields}
    return [
        (f"{name[: -len('_precision')]}_on", name)
        for name in sorted(names)
        if name.endswith("_precision") and f"{name[: -len('_precision')]}_on" in names
    ]


def check_date_pairs(instance) -> None:
    """Keep each (date, precision) pair honest, with errors naming the field: a month- or
    year-precise date is stored as the first day of its span (snapped here, as the constraints
    below require), a date needs a known precision, and no date means 'unknown'."""
    errors = {}
    for date_name, precision_name in date_pairs(type(instance)):
        value: datetime.date | None = getattr(instance, date_name)
        precision = getattr(instance, precision_name)
        if value is None:
            if precision not in ("", DatePrecision.UNKNOWN):
                errors[precision_name] = PRECISION_WITHOUT_DATE
            else:
                setattr(instance, precision_name, DatePrecision.UNKNOWN)
        elif precision == DatePrecision.UNKNOWN:
            errors[precision_name] = DATE_WITHOUT_PRECISION
        elif precision == DatePrecision.MONTH:
            setattr(instance, date_name, value.replace(day=1))
        elif precision == DatePrecision.YEAR:
            setattr(instance, date_name, value.replace(month=1, day=1))
    if errors:
        raise ValidationError(errors)


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
            violation_error_message=f"{precision}: choose day, month, year or unknown.",
        ),
        models.CheckConstraint(
            condition=(date_is_null & Q(**{precision: DatePrecision.UNKNOWN}))
            | (~date_is_null & ~Q(**{precision: DatePrecision.UNKNOWN})),
            name=f"{prefix}_{precision}_unknown_iff_null",
            violation_error_message=f"{date_field}: a date needs a known precision, and no "
            "date means the precision is 'unknown'.",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.MONTH}) | Q(first_of_month),
            name=f"{prefix}_{precision}_month_first_day",
            violation_error_message=f"{date_field}: a month-precise date is the first of its "
            "month.",
        ),
        models.CheckConstraint(
            condition=~Q(**{precision: DatePrecision.YEAR}) | Q(first_of_month, first_of_year),
            name=f"{prefix}_{precision}_year_first_day",
            violation_error_message=f"{date_field}: a year-precise date is the first of January.",
        ),
    ]


def precision_field(date_label: str) -> models.CharField:
    return models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        help_text=f"How precisely the {date_label} is known (day, month, year or unknown).",
    )
