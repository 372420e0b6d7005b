"""Helpers for dates whose precision is a day, a month or a year."""

import calendar
import datetime

from policytracker.models import DatePrecision


def span_end(value: datetime.date, precision: str) -> datetime.date:
    """The last day a (date, precision) pair can denote: 2016-11-01/month → 2016-11-30."""
    if precision == DatePrecision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    if precision == DatePrecision.YEAR:
        return value.replace(month=12, day=31)
    return value


def span_start(value: datetime.date, precision: str) -> datetime.date:
    """Normalise a date to the first day of its span, as the precision constraints require."""
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value
