"""The statements about a bill, listed read-only on its page with the stance each takes (they
are written on the statement's own page: a stance is part of its statement)."""

import datetime

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator

from bills.admin.inlines import StatusHistoryReadOnly
from bills.models import StatementBill
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


class StatementsAboutBillInline(StatusHistoryReadOnly, ServiceInline, admin.TabularInline):
    """Each statement about the bill: its words (linked to its page), speaker, date and stance."""

    model = StatementBill
    fk_name = "bill"
    fields = readonly_fields = ["statement_link", "speaker", "said_on", "stance"]
    verbose_name = "statement about this bill"
    verbose_name_plural = "statements about this bill"
    extra = 0

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("statement")
        return rows.order_by("statement__said_on", "statement_id")

    def save_rows(self, request, formset, *, adding: bool) -> None:
        """Read-only rows: nothing to write."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.display(description="Statement")
    def statement_link(self, link: StatementBill) -> str:
        statement = link.statement
        url = reverse("admin:bills_statement_change", args=[quote(statement.pk)])
        text = Truncator(statement.text).words(STATEMENT_WORDS)
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.display(description="Speaker")
    def speaker(self, link: StatementBill) -> str:
        return link.statement.attribution

    @admin.display(description="Said on")
    def said_on(self, link: StatementBill) -> str:
        return date_shown(link.statement.said_on, link.statement.said_precision)
