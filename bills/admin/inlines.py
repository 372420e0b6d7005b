"""Inlines shown on the bill, person and statement change pages; their rows are written
through the services (policytracker.admin.ServiceInline)."""

from django.contrib import admin

from bills.admin.writes import (
    BILL_IDENTIFIER,
    BILL_RELATION,
    MEMBERSHIP,
    PERSON_NAME,
    SPONSORSHIP,
)
from bills.models import (
    BillAction,
    BillIdentifier,
    BillRelation,
    Membership,
    PersonName,
    Sponsorship,
    StatementBill,
)
from policytracker.admin import ChildInline, ServiceInline, row_changes

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


class BillActionInline(StatusHistoryReadOnly, ServiceInline, admin.TabularInline):
    """The bill's status history, shown read-only."""

    model = BillAction
    fields = readonly_fields = BILL_ACTION_FIELDS
    show_change_link = True
    extra = 0

    def save_rows(self, request, formset, *, adding: bool) -> None:
        """Read-only rows: nothing to write."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class SponsorshipInline(ChildInline, admin.TabularInline):
    """Who stands behind the bill."""

    model = Sponsorship
    writes = SPONSORSHIP
    autocomplete_fields = ["person", "organization", "chamber"]
    extra = 0


class BillIdentifierInline(ChildInline, admin.TabularInline):
    """Other identifiers of the bill."""

    model = BillIdentifier
    writes = BILL_IDENTIFIER
    extra = 0


class BillRelationInline(ChildInline, admin.TabularInline):
    """Links from this bill to other bills."""

    model = BillRelation
    writes = BILL_RELATION
    fk_name = "bill"
    autocomplete_fields = ["related_bill"]
    extra = 0


class PersonNameInline(ChildInline, admin.TabularInline):
    """Other names and spellings of the person."""

    model = PersonName
    writes = PERSON_NAME
    extra = 0


class MembershipInline(ChildInline, admin.TabularInline):
    """Posts the person holds or held."""

    model = Membership
    writes = MEMBERSHIP
    autocomplete_fields = ["organization"]
    extra = 0


class StatementBillInline(ServiceInline, admin.TabularInline):
    """The bills a statement concerns, with its stance on each: part of the statement, so they
    are written by statement_create/statement_update (`stances=`)."""

    model = StatementBill
    autocomplete_fields = ["bill"]
    extra = 0

    def parent_arguments(self, formset, *, adding: bool) -> dict:
        if not adding and not formset.has_changed():
            return {}
        changes = row_changes(formset)
        kept = changes.kept + [form for form, _ in changes.changed]
        return {
            "stances": [(form.instance.bill, form.instance.stance) for form in kept + changes.added]
        }

    def save_rows(self, request, formset, *, adding: bool) -> None:
        """Already written with the statement; recorded here for the change message."""
        changes = row_changes(formset)
        formset.new_objects = [form.instance for form in changes.added]
        formset.changed_objects = [(form.instance, names) for form, names in changes.changed]
        formset.deleted_objects = [form.instance for form in changes.deleted]
