"""Admin for bills, their packages, topics, identifiers, relations, actions and sponsors."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from bills.admin.bill_statements import StatementsAboutBillInline
from bills.admin.inlines import (
    BillActionInline,
    BillIdentifierInline,
    BillRelationInline,
    SponsorshipInline,
    StatusHistoryReadOnly,
)
from bills.admin.status_change import RecordStatusChangeMixin
from bills.admin.writes import BILL, BILL_IDENTIFIER, BILL_RELATION, PACKAGE, SPONSORSHIP, TOPIC
from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Sponsorship,
    Topic,
)
from policytracker.admin import CuratedAdmin, DraftsDashboardMixin, PublishableAdmin
from sources.admin import CitationInline


@admin.register(Topic)
class TopicAdmin(CuratedAdmin):
    """Controlled-vocabulary topics."""

    writes = TOPIC
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(BillPackage)
class BillPackageAdmin(PublishableAdmin):
    """Packages of bills handled together."""

    writes = PACKAGE
    list_display = ["name", "slug", "announced_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug"]
    inlines = [CitationInline]


@admin.register(Bill)
# TranslationAdmin after ours: its get_readonly_fields and get_fieldsets do not call super(), so
# ours (read-only publishing flag, version marker) come first and call it.
class BillAdmin(RecordStatusChangeMixin, DraftsDashboardMixin, PublishableAdmin, TranslationAdmin):
    """Bills; status changes only through bills.services.bill_change_status. Titles and the
    summary are edited per language (modeltranslation: title [en], title [ru], title [kk]);
    the English one is the original the API and the site fall back to."""

    writes = BILL
    list_display = [
        "slug",
        "short_title",
        "status",
        "title_status",
        "law_number",
        "last_verified_on",
        "is_published",
    ]
    list_filter = [
        "status",
        "topics",
        ("originating_chamber", admin.RelatedOnlyFieldListFilter),
        "title_status",
        "is_published",
    ]
    search_fields = ["slug", "title_en", "title_ru", "title_kk", "short_title_en", "law_number"]
    readonly_fields = ["status", "status_changed_on", "status_changed_precision"]
    filter_horizontal = ["topics"]
    autocomplete_fields = ["package", "originating_chamber"]
    inlines = [
        BillActionInline,
        SponsorshipInline,
        BillIdentifierInline,
        BillRelationInline,
        StatementsAboutBillInline,
        CitationInline,
    ]


@admin.register(BillIdentifier)
class BillIdentifierAdmin(CuratedAdmin):
    """Identifiers of bills and laws in other systems."""

    writes = BILL_IDENTIFIER
    list_display = ["identifier", "scheme", "bill"]
    list_filter = ["scheme"]
    list_select_related = ["bill"]
    search_fields = ["identifier", "bill__slug", "bill__short_title"]
    autocomplete_fields = ["bill"]
    inlines = [CitationInline]


@admin.register(BillRelation)
class BillRelationAdmin(CuratedAdmin):
    """Directed links between bills."""

    writes = BILL_RELATION
    list_display = ["bill", "kind", "related_bill"]
    list_filter = ["kind"]
    list_select_related = ["bill", "related_bill"]
    search_fields = ["bill__slug", "bill__short_title", "related_bill__slug"]
    autocomplete_fields = ["bill", "related_bill"]
    inlines = [CitationInline]


@admin.register(BillAction)
class BillActionAdmin(StatusHistoryReadOnly, CuratedAdmin):
    """Status history, read-only: written only by bills.services.bill_change_status."""

    list_display = ["bill", "order", "occurred_on", "classification", "resulting_status", "actor"]
    list_filter = ["resulting_status", "classification"]
    list_select_related = ["bill", "actor"]
    search_fields = ["bill__slug", "bill__short_title", "description"]
    date_hierarchy = "occurred_on"
    inlines = [CitationInline]


@admin.register(Sponsorship)
class SponsorshipAdmin(PublishableAdmin):
    """Sponsors of bills and their roles."""

    writes = SPONSORSHIP
    list_display = ["bill", "role", "person", "organization", "chamber", "is_published"]
    list_filter = ["role", "is_published"]
    list_select_related = ["bill", "person", "organization", "chamber"]
    search_fields = ["bill__slug", "person__name", "organization__name", "capacity"]
    autocomplete_fields = ["bill", "person", "organization", "chamber"]
    inlines = [CitationInline]
