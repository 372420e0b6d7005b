"""The citation inline every cited model's page reuses (bills/admin adds it). Its rows are
written through sources.services, which keep a source on every record that must cite one."""

from django import forms
from django.contrib.contenttypes.admin import GenericStackedInline
from django.db import models
from django.utils.text import capfirst

from policytracker.admin import (
    ServiceInline,
    expected_version,
    model_values,
    refusal_shown_on,
    row_changes,
)
from sources.models import CITATION_REQUIRED, Citation
from sources.services import (
    UNCITABLE_FIELDS,
    citation_add,
    citation_update,
    citations_remove,
)

# A citation on a record's page: the source and how it backs the record on one row, the
# excerpt below, the rest of a conflict after it (stacked: a table of these was 3,500 px wide).
CITATION_ROWS = [
    "source",
    ("relation", "excerpt_kind"),
    "excerpt",
    ("locator", "field_name"),
    ("claimed_value", "resolution_note"),
]
SHORT_TEXT = {"widget": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})}


class CitationInline(ServiceInline, GenericStackedInline):
    """Citations of the record being edited; bills/admin adds it to every cited model."""

    model = Citation
    autocomplete_fields = ["source"]
    fields = CITATION_ROWS
    formfield_overrides = {models.TextField: SHORT_TEXT}
    extra = 0
    # Django's stacked inline, then the record's fields offered for `field_name` (one list).
    template = "admin/edit_inline/citation_stacked.html"

    def __init__(self, parent_model, admin_site):
        super().__init__(parent_model, admin_site)
        # Where a source is part of the record (a statement) its citations stay open; elsewhere
        # they fold under their heading (a bill has dozens) and open by themselves on an error.
        if parent_model not in CITATION_REQUIRED:
            self.classes = ["collapse"]
        self.cited_fields_id = f"cited-fields-{parent_model._meta.label_lower.replace('.', '-')}"

    @property
    def cited_fields(self) -> list[tuple[str, str]]:
        """The fields of the record a citation may back (as citation_target accepts them)."""
        return [
            (field.name, capfirst(field.verbose_name))
            for field in self.parent_model._meta.concrete_fields
            if field.name not in UNCITABLE_FIELDS and not field.generated
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "field_name":
            # Free text, so a name kept from before still shows; the record's fields suggested.
            kwargs["widget"] = forms.TextInput(
                attrs={"list": self.cited_fields_id, "autocomplete": "off"}
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def created_with_record(self, *, adding: bool) -> bool:
        # A record that must cite a source is created with its citations (statement_create).
        return adding and self.parent_model in CITATION_REQUIRED

    def parent_arguments(self, formset, *, adding: bool) -> dict:
        if not self.created_with_record(adding=adding):
            return {}
        added = row_changes(formset).added
        return {"citations": [model_values(form, form.fields) for form in added]}

    def save_rows(self, request, formset, *, adding: bool) -> None:
        record, changes = formset.instance, row_changes(formset)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if self.created_with_record(adding=adding):
            formset.new_objects = list(Citation.objects.for_object(record))
        else:
            for form in changes.added:
                with refusal_shown_on(form):
                    # While the record is being created, its citations are part of version 1.
                    citation = citation_add(
                        record=record, touch=not adding, **model_values(form, form.fields)
                    )
                formset.new_objects.append(citation)
        for form, names in changes.changed:
            with refusal_shown_on(form):
                citation = citation_update(
                    citation=form.instance,
                    values=model_values(form, names),
                    expected_version=expected_version(form),
                )
            formset.changed_objects.append((citation, names))
        # Removed last and together: swapping a statement's only source leaves no gap, and
        # removing all of them is refused as a whole.
        if deleted := changes.deleted:
            with refusal_shown_on(formset, *deleted):
                citations_remove(
                    citations=[form.instance for form in deleted],
                    expected_versions={f.instance.pk: expected_version(f) for f in deleted},
                )
            formset.deleted_objects = [form.instance for form in deleted]
