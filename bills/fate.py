"""A bill's fate as a reader should read it: when the last recorded step is not an end of the
procedure and nothing later is recorded, the record says so ("fate unknown after …"), with the
step's date only as precisely as it is known, instead of presenting that step as the present.

Two spellings of one rule: `fate_note` for a loaded bill (BillSerializer) and `fate_sql` for
the document PostgreSQL writes (bills/api/documents.py); tests/test_lean.py holds them equal.
"""

import datetime

from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.functions import Concat

from bills.procedure import PROCEDURES, BillStatus
from policytracker.models import DatePrecision

NO_STEP = "No step of this bill is recorded; its fate is unknown."
FATE_UNKNOWN = "Fate unknown after the last recorded step: {label} ({when})."
DATE_UNKNOWN = "date unknown"
CHECKED = " Sources last checked on {date}."
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_words(value: datetime.date | None, precision: str) -> str | None:
    """A date as far as it is known: '1 September 2016', 'November 2016', '2016' or None."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def is_terminal(procedure: str, status: str | None) -> bool:
    known = PROCEDURES.get(procedure)
    return known is not None and status in known.terminal_statuses()


def fate_note(bill) -> str | None:
    """The plain note for `bill` (None when its last recorded step ends the procedure)."""
    if bill.status is None:
        note = NO_STEP
    elif is_terminal(bill.procedure, bill.status):
        return None
    else:
        label = dict(BillStatus.choices).get(bill.status, bill.status)
        when = date_words(bill.status_changed_on, bill.status_changed_precision)
        note = FATE_UNKNOWN.format(label=label, when=when or DATE_UNKNOWN)
    if bill.last_verified_on is not None:
        note += CHECKED.format(date=date_words(bill.last_verified_on, DatePrecision.DAY))
    return note


# -- the same in SQL ---------------------------------------------------------------------------


def _to_char(name: str, pattern: str) -> Func:
    # `FM` drops the padding; without `TM` the month names are English whatever the locale.
    return Func(F(name), Value(pattern), function="to_char", output_field=TextField())


def _date_words_sql(name: str, precision: str | None = None) -> Case:
    if precision is None:
        return _to_char(name, "FMDD FMMonth YYYY")
    return Case(
        When(**{f"{name}__isnull": True}, then=Value(None)),
        When(**{precision: DatePrecision.DAY}, then=_to_char(name, "FMDD FMMonth YYYY")),
        When(**{precision: DatePrecision.MONTH}, then=_to_char(name, "FMMonth YYYY")),
        When(**{precision: DatePrecision.YEAR}, then=_to_char(name, "YYYY")),
        default=Value(None),
        output_field=TextField(),
    )


def fate_sql() -> Case:
    """`fate_note` as an expression over a bill row."""
    terminal = Q(pk__in=[])
    for code, procedure in PROCEDURES.items():
        terminal |= Q(procedure=code, status__in=procedure.terminal_statuses())
    label = Case(
        *(When(status=code, then=Value(text)) for code, text in BillStatus.choices),
        default=F("status"),
        output_field=TextField(),
    )
    when = Func(
        _date_words_sql("status_changed_on", "status_changed_precision"),
        Value(DATE_UNKNOWN),
        function="COALESCE",
        output_field=TextField(),
    )
    before, between = FATE_UNKNOWN.split("{label}")
    middle, after = between.split("{when}")
    checked = Case(
        When(last_verified_on__isnull=True, then=Value("")),
        default=Concat(
            Value(CHECKED.split("{date}")[0]),
            _date_words_sql("last_verified_on"),
            Value(CHECKED.split("{date}")[1]),
            output_field=TextField(),
        ),
        output_field=TextField(),
    )
    return Case(
        When(status__isnull=True, then=Concat(Value(NO_STEP), checked, output_field=TextField())),
        When(terminal, then=Value(None)),
        default=Concat(
            Value(before),
            label,
            Value(middle),
            when,
            Value(after),
            checked,
            output_field=TextField(),
        ),
        output_field=TextField(),
    )
