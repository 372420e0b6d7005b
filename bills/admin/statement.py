"""Admin for events and the statements made at them or about the bills."""

from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from bills.admin.bill_statements import StatementsAtEventInline
from bills.admin.inlines import StatementBillInline
from bills.admin.writes import EVENT, STATEMENT
from bills.models import Event, Stance, Statement, StatementBill
from bills.services import statement_remove_stance, statement_set_stance
from policytracker.admin import CuratedAdmin, PublishableAdmin
from policytracker.services import check_version, lock
from sources.admin import CitationInline

# The statement's words in its list: enough to recognise it, short enough for a row.
TEXT_WORDS = 30
EVENT_WORDS = 6


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    """Dated events: roundtables, sittings, addresses."""

    writes = EVENT
    list_display = ["name", "kind", "starts_on", "organizer", "is_published"]
    list_filter = ["kind", "is_published"]
    list_select_related = ["organizer"]
    search_fields = ["name", "slug", "place"]
    autocomplete_fields = ["organizer"]
    inlines = [StatementsAtEventInline, CitationInline]


@admin.register(Statement)
class StatementAdmin(PublishableAdmin):
    """Public statements, with the bills they concern and the stance taken on each."""

    writes = STATEMENT
    list_display = ["attribution", "said", "stances", "said_on", "at_event", "is_published"]
    list_filter = [
        ("speaker_person", admin.RelatedOnlyFieldListFilter),
        "bill_links__stance",
        ("event", admin.RelatedOnlyFieldListFilter),
        "bill_links__bill",
        "form",
        "is_published",
    ]
    list_select_related = ["speaker_person", "event"]
    search_fields = ["text", "attribution", "speaker_person__name"]
    date_hierarchy = "said_on"
    filter_horizontal = ["topics"]
    autocomplete_fields = [
        "speaker_person",
        "speaker_organization",
        "speaker_membership",
        "on_behalf_of",
        "event",
    ]
    inlines = [StatementBillInline, CitationInline]

    def get_queryset(self, request):
        # The stances column: every listed statement's bills, with how many sources back each
        # stance, in one query.
        links = (
            StatementBill.objects.select_related("bill")
            .annotate(source_count=Count("citations"))
            .order_by("bill__slug")
        )
        return super().get_queryset(request).prefetch_related(Prefetch("bill_links", links))

    @admin.display(description="Statement", ordering="text")
    def said(self, statement: Statement) -> str:
        return Truncator(statement.text).words(TEXT_WORDS)

    @admin.display(description="Event", ordering="event__name")
    def at_event(self, statement: Statement) -> str:
        return Truncator(statement.event.name).words(EVENT_WORDS) if statement.event else "—"

    @admin.display(description="Stance on bills")
    def stances(self, statement: Statement) -> str:
        links = statement.bill_links.all()
        if not links:
            return "no bill"
        return format_html(
            '<ul class="stances">{}</ul>',
            format_html_join(
                "",
                "<li>{}: {}{}</li>",
                ((link.get_stance_display(), link.bill, cited(link)) for link in links),
            ),
        )


def cited(link: StatementBill) -> str:
    """How many sources back a stance (an 'unclear' one needs none)."""
    count = link.source_count
    if count == 0:
        return "" if link.stance == Stance.UNCLEAR else " (no source)"
    return f" ({count} source{'s' if count != 1 else ''})"


@admin.register(StatementBill)
class StatementBillAdmin(CuratedAdmin):
    """Stances statements take on bills: each is part of its statement, so it is written by
    the statement's stance services (a changed stance is a changed statement)."""

    list_display = ["statement", "bill", "stance"]
    list_filter = ["stance"]
    list_select_related = ["statement", "bill"]
    search_fields = ["statement__text", "statement__attribution", "bill__slug"]
    autocomplete_fields = ["statement", "bill"]
    # A stance other than 'unclear' is created with the excerpt that shows it.
    inlines = [CitationInline]

    def add_record(self, request, form, *, values: dict, parts: dict) -> StatementBill:
        statement, bill = values["statement"], values["bill"]
        statement_set_stance(
            statement=statement,
            bill=bill,
            stance=values["stance"],
            citations=parts.get("citations"),
        )
        return StatementBill.objects.get(statement=statement, bill=bill)

    @transaction.atomic
    def change_record(self, request, form, record, *, values, parts, expected_version):
        link = _checked_link(record, expected_version)
        statement = values.get("statement", link.statement)
        bill = values.get("bill", link.bill)
        if (statement.pk, bill.pk) != (link.statement_id, link.bill_id):
            statement_remove_stance(statement=link.statement, bill=link.bill)
        statement_set_stance(
            statement=statement, bill=bill, stance=values.get("stance", link.stance)
        )
        return StatementBill.objects.get(statement=statement, bill=bill)

    @transaction.atomic
    def delete_record(self, request, record, *, expected_version=None) -> None:
        link = _checked_link(record, expected_version)
        statement_remove_stance(statement=link.statement, bill=link.bill)


def _checked_link(link: StatementBill, expected_version: int | None) -> StatementBill:
    # The stance services check the statement's version; the form carries the link's own.
    locked = lock(link)
    check_version(locked, expected_version)
    return locked
