"""Admin for bills, people and statements. Status and its history (actions) are read-only here."""

from django.contrib import admin

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from sources.admin import CitationInline

BILL_ACTION_FIELDS = [
    "order",
    "occurred_on",
    "occurred_precision",
    "actor",
    "classification",
    "resulting_status",
    "skips_unrecorded_steps",
    "description",
]


class StatusHistoryReadOnly:
    """No adding, changing or deleting: only bills.services.bill_change_status writes history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Inlines -------------------------------------------------------------------------------------


class BillActionInline(StatusHistoryReadOnly, admin.TabularInline):
    """The bill's status history, shown read-only."""

    model = BillAction
    fields = readonly_fields = BILL_ACTION_FIELDS
    show_change_link = True
    extra = 0


class SponsorshipInline(admin.TabularInline):
    """Who stands behind the bill."""

    model = Sponsorship
    autocomplete_fields = ["person", "organization", "chamber"]
    extra = 0


class BillIdentifierInline(admin.TabularInline):
    """Other identifiers of the bill."""

    model = BillIdentifier
    extra = 0


class BillRelationInline(admin.TabularInline):
    """Links from this bill to other bills."""

    model = BillRelation
    fk_name = "bill"
    autocomplete_fields = ["related_bill"]
    extra = 0


class PersonNameInline(admin.TabularInline):
    """Other names and spellings of the person."""

    model = PersonName
    extra = 0


class MembershipInline(admin.TabularInline):
    """Posts the person holds or held."""

    model = Membership
    autocomplete_fields = ["organization"]
    extra = 0


class StatementBillInline(admin.TabularInline):
    """The bills a statement concerns, with its stance on each."""

    model = StatementBill
    autocomplete_fields = ["bill"]
    extra = 0


# Bills ---------------------------------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """Controlled-vocabulary topics."""

    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(BillPackage)
class BillPackageAdmin(admin.ModelAdmin):
    """Packages of bills handled together."""

    list_display = ["name", "slug", "announced_on", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "slug"]
    inlines = [CitationInline]


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    """Bills; status changes only through bills.services.bill_change_status."""

    list_display = [
        "slug",
        "short_title",
        "status",
        "title_status",
        "law_number",
        "is_published",
        "updated_at",
    ]
    list_filter = [
        "status",
        "topics",
        ("originating_chamber", admin.RelatedOnlyFieldListFilter),
        "title_status",
        "is_published",
    ]
    search_fields = ["slug", "title", "title_ru", "short_title", "law_number"]
    readonly_fields = ["status", "status_changed_on"]
    filter_horizontal = ["topics"]
    autocomplete_fields = ["package", "originating_chamber"]
    inlines = [
        BillActionInline,
        SponsorshipInline,
        BillIdentifierInline,
        BillRelationInline,
        CitationInline,
    ]


@admin.register(BillIdentifier)
class BillIdentifierAdmin(admin.ModelAdmin):
    """Identifiers of bills and laws in other systems."""

    list_display = ["identifier", "scheme", "bill"]
    list_filter = ["scheme"]
    list_select_related = ["bill"]
    search_fields = ["identifier", "bill__slug", "bill__short_title"]
    autocomplete_fields = ["bill"]
    inlines = [CitationInline]


@admin.register(BillRelation)
class BillRelationAdmin(admin.ModelAdmin):
    """Directed links between bills."""

    list_display = ["bill", "kind", "related_bill"]
    list_filter = ["kind"]
    list_select_related = ["bill", "related_bill"]
    search_fields = ["bill__slug", "bill__short_title", "related_bill__slug"]
    autocomplete_fields = ["bill", "related_bill"]
    inlines = [CitationInline]


@admin.register(BillAction)
class BillActionAdmin(StatusHistoryReadOnly, admin.ModelAdmin):
    """Status history, read-only: written only by bills.services.bill_change_status."""

    list_display = ["bill", "order", "occurred_on", "classification", "resulting_status", "actor"]
    list_filter = ["resulting_status", "classification"]
    list_select_related = ["bill", "actor"]
    search_fields = ["bill__slug", "bill__short_title", "description"]
    date_hierarchy = "occurred_on"
    inlines = [CitationInline]


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    """Sponsors of bills and their roles."""

    list_display = ["bill", "role", "person", "organization", "chamber", "is_published"]
    list_filter = ["role", "is_published"]
    list_select_related = ["bill", "person", "organization", "chamber"]
    search_fields = ["bill__slug", "person__name", "organization__name", "capacity"]
    autocomplete_fields = ["bill", "person", "organization", "chamber"]
    inlines = [CitationInline]


# People and organizations --------------------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Bodies that act in the process or speak about it."""

    list_display = ["name", "abbreviation", "classification", "parent", "is_published"]
    list_filter = ["classification", "is_published"]
    list_select_related = ["parent"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]
    inlines = [CitationInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Public figures, with their other names and posts."""

    list_display = ["name", "family_name", "given_name", "slug", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "given_name", "family_name", "other_names__name"]
    inlines = [PersonNameInline, MembershipInline, CitationInline]


@admin.register(PersonName)
class PersonNameAdmin(admin.ModelAdmin):
    """Other names and spellings of people."""

    list_display = ["name", "person", "kind", "language"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]
    inlines = [CitationInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Posts people hold in organizations."""

    list_display = ["person", "role", "organization", "start_on", "end_on", "is_published"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter), "is_published"]
    list_select_related = ["person", "organization"]
    search_fields = ["role", "person__name", "organization__name", "organization__abbreviation"]
    autocomplete_fields = ["person", "organization"]
    inlines = [CitationInline]


# Events and statements -----------------------------------------------------------------------


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Dated events: roundtables, sittings, addresses."""

    list_display = ["name", "kind", "starts_on", "organizer", "is_published"]
    list_filter = ["kind", "is_published"]
    list_select_related = ["organizer"]
    search_fields = ["name", "slug", "place"]
    autocomplete_fields = ["organizer"]
    inlines = [CitationInline]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
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
class StatementBillAdmin(admin.ModelAdmin):
    """Stances statements take on bills."""

    list_display = ["statement", "bill", "stance"]
    list_filter = ["stance"]
    list_select_related = ["statement", "bill"]
    search_fields = ["statement__text", "statement__attribution", "bill__slug"]
    autocomplete_fields = ["statement", "bill"]
