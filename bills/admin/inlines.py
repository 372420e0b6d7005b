"""Inlines shown on the bill, person and statement change pages."""

from django.contrib import admin

from bills.models import (
    BillAction,
    BillIdentifier,
    BillRelation,
    Membership,
    PersonName,
    Sponsorship,
    StatementBill,
)

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
