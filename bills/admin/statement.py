"""Admin for events and the statements made at them or about the bills."""

from django.contrib import admin

from bills.admin.inlines import StatementBillInline
from bills.models import Event, Statement, StatementBill
from policytracker.admin import CuratedAdmin, PublishableAdmin
from sources.admin import CitationInline


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    """Dated events: roundtables, sittings, addresses."""

    list_display = ["name", "kind", "starts_on", "organizer", "is_published"]
    list_filter = ["kind", "is_published"]
    list_select_related = ["organizer"]
    search_fields = ["name", "slug", "place"]
    autocomplete_fields = ["organizer"]
    inlines = [CitationInline]


@admin.register(Statement)
class StatementAdmin(PublishableAdmin):
    """Public statements, with the bills they concern and the stance taken on each."""

    list_display = ["attribution", "said_on", "speaker_person", "event", "form", "is_published"]
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


@admin.register(StatementBill)
class StatementBillAdmin(CuratedAdmin):
    """Stances statements take on bills."""

    list_display = ["statement", "bill", "stance"]
    list_filter = ["stance"]
    list_select_related = ["statement", "bill"]
    search_fields = ["statement__text", "statement__attribution", "bill__slug"]
    autocomplete_fields = ["statement", "bill"]
