"""Statements listed read-only on other records' pages: those about a bill, with the stance each
takes, and those made at an event, in the order spoken. They are written on the statement's own
page (a stance is part of its statement)."""

import datetime

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db.models import F
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from bills.admin.inlines import StatusHistoryReadOnly
from bills.models import Statement, StatementBill
from policytracker.admin import ServiceInline
from policytracker.models import DatePrecision

STATEMENT_WORDS = 25


def date_shown(value: datetime.date | None, precision: str) -> str:
    """A date as precisely as it is known: "22 Sep 2016", "September 2016", "2016"."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return str(value.year)
    return date_format(value, "F Y" if precision == DatePrecision.MONTH else "j M Y")


def statement_link(statement: Statement) -> str:
    url = reverse("admin:bills_statement_change", args=[quote(statement.pk)])
    return format_html('<a href="{}">{}</a>', url, Truncator(statement.text).words(STATEMENT_WORDS))


class ReadOnlyRows(StatusHistoryReadOnly, ServiceInline):
    extra = 0

    def save_rows(self, request, formset, *, adding: bool) -> None:
        """Read-only rows: nothing to write."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class StatementsAtEventInline(ReadOnlyRows, admin.TabularInline):
    """The statements made at the event, in the order spoken (unnumbered ones last)."""

    model = Statement
    fk_name = "event"
    fields = readonly_fields = ["sequence", "attribution", "words", "is_published"]
    verbose_name_plural = "statements at this event, in the order spoken"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .order_by(F("sequence").asc(nulls_last=True), "said_on", "pk")
        )

    @admin.display(description="Statement")
    def words(self, statement: Statement) -> str:
        return statement_link(statement)


class StatementsAboutBillInline(ReadOnlyRows, admin.TabularInline):
    """Each statement about the bill: its words (linked to its page), speaker, date and stance."""

    model = StatementBill
    fk_name = "bill"
    fields = readonly_fields = ["statement_link", "speaker", "said_on", "stance"]
    verbose_name = "statement about this bill"
    verbose_name_plural = "statements about this bill"

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("statement")
        return rows.order_by("statement__said_on", "statement_id")

    @admin.display(description="Statement")
    def statement_link(self, link: StatementBill) -> str:
        return statement_link(link.statement)

    @admin.display(description="Speaker")
    def speaker(self, link: StatementBill) -> str:
        return link.statement.attribution

    @admin.display(description="Said on")
    def said_on(self, link: StatementBill) -> str:
        return date_shown(link.statement.said_on, link.statement.said_precision)
