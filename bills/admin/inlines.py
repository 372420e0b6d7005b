"""Inlines shown on the bill, person and statement change pages; their rows are written
through the services (policytracker.admin.ServiceInline)."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.html import format_html, format_html_join

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
from policytracker.admin import ChildInline, ConcurrencyGuardForm, ServiceInline, row_changes
from sources.models import Citation, Source

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


class SponsorshipInline(ChildInline, admin.StackedInline):
    """Who stands behind the bill; stacked, a few fields a row, so the page fits the window."""

    model = Sponsorship
    writes = SPONSORSHIP
    autocomplete_fields = ["person", "organization", "chamber"]
    fields = [
        ("person", "organization"),
        ("role", "chamber", "capacity"),
        ("started_on", "started_precision", "ended_on", "ended_precision"),
        "is_published",
    ]
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


class MembershipInline(ChildInline, admin.StackedInline):
    """Posts the person holds or held; stacked, so the page fits the window."""

    model = Membership
    writes = MEMBERSHIP
    autocomplete_fields = ["organization"]
    fields = [
        ("organization", "role"),
        ("start_on", "start_precision", "end_on", "end_precision"),
        "is_published",
    ]
    extra = 0


class StanceForm(ConcurrencyGuardForm):
    """A stance row, with room for the excerpt that shows it (a stance other than 'unclear'
    needs one: the service refuses it otherwise)."""

    stance_source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        label="Source of the stance",
        help_text="The document showing this stance (needed unless the stance is 'unclear').",
        # Sources are many: the autocomplete every citation's source uses.
        widget=AutocompleteSelect(Citation._meta.get_field("source"), admin.site),
    )
    stance_excerpt = forms.CharField(
        required=False,
        label="Excerpt",
        widget=forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"}),
        help_text="The words in the source that show the stance; added to its sources.",
    )

    class Meta:
        model = StatementBill
        fields = ["bill", "stance"]

    def clean(self):
        cleaned = super().clean()
        source, excerpt = cleaned.get("stance_source"), cleaned.get("stance_excerpt", "").strip()
        if source and not excerpt:
            self.add_error(
                "stance_excerpt", "Give the excerpt of the source that shows the stance."
            )
        if excerpt and not source:
            self.add_error("stance_source", "Name the source the excerpt comes from.")
        return cleaned

    def stance_citations(self) -> list[dict] | None:
        """The stance's citations after this row: the ones it has plus the one given (None:
        none given, the stance keeps its own)."""
        source = self.cleaned_data.get("stance_source")
        excerpt = self.cleaned_data.get("stance_excerpt", "").strip()
        if not (source and excerpt):
            return None
        kept = []
        if self.instance.pk is not None:
            kept = [
                {"source": c.source, "field_name": c.field_name, "excerpt": c.excerpt}
                for c in Citation.objects.for_object(self.instance).select_related("source")
            ]
        return [*kept, {"source": source, "excerpt": excerpt, "field_name": "stance"}]


class StatementBillInline(ServiceInline, admin.StackedInline):
    """The bills a statement concerns, with its stance on each and the excerpt that shows it:
    part of the statement, so they are written by statement_create/statement_update
    (`stances=`). Stacked: the stance's sources below it, so the page fits the window."""

    model = StatementBill
    form = StanceForm
    autocomplete_fields = ["bill"]
    fields = [("bill", "stance"), "cited_for_stance", "stance_source", "stance_excerpt"]
    readonly_fields = ["cited_for_stance"]
    extra = 0

    def get_queryset(self, request):
        # The sources each stance cites, for every row at once.
        return super().get_queryset(request).prefetch_related("citations__source")

    @admin.display(description="Sources of the stance")
    def cited_for_stance(self, link: StatementBill) -> str:
        cited = list(link.citations.all()) if link.pk else []
        if not cited:
            return "none yet"
        return format_html(
            '<ul class="stance-sources">{}</ul>',
            format_html_join(
                "", "<li>{} — “{}”</li>", ((c.source.title, c.excerpt) for c in cited)
            ),
        )

    def parent_arguments(self, formset, *, adding: bool) -> dict:
        if not adding and not formset.has_changed():
            return {}
        changes = row_changes(formset)
        kept = changes.kept + [form for form, _ in changes.changed]
        return {
            "stances": [
                (form.instance.bill, form.instance.stance, form.stance_citations())
                for form in kept + changes.added
            ]
        }

    def save_rows(self, request, formset, *, adding: bool) -> None:
        """Already written with the statement; recorded here for the change message."""
        changes = row_changes(formset)
        formset.new_objects = [form.instance for form in changes.added]
        formset.changed_objects = [(form.instance, names) for form, names in changes.changed]
        formset.deleted_objects = [form.instance for form in changes.deleted]
