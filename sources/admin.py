"""Admin for sources and citations, plus the citation inline every cited model reuses. Every
write goes through sources.services, which keep a citation on a real field of an existing
citable record, and a source on every record that must cite one."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import ValidationError
from django.utils.text import capfirst

from policytracker.admin import (
    ConcurrencyGuardForm,
    CuratedAdmin,
    PublishableAdmin,
    RecordWrites,
    ServiceInline,
    expected_version,
    model_values,
    refusal_shown_on,
    row_changes,
)
from sources.models import CITATION_REQUIRED, Citation, Source
from sources.services import (
    citation_add,
    citation_removal_refusals,
    citation_remove,
    citation_target,
    citation_update,
    citations_remove,
    source_delete,
    source_register,
    source_update,
)

SOURCE = RecordWrites(
    add=source_register, change=source_update, remove=source_delete, record="source"
)


class CitationInline(ServiceInline, GenericTabularInline):
    """Citations of the record being edited; bills/admin adds it to every cited model."""

    model = Citation
    autocomplete_fields = ["source"]
    extra = 0

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


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    """Source documents; searched by the citation autocompletes."""

    writes = SOURCE
    list_display = ["title", "publisher", "kind", "language", "published_on", "is_published"]
    list_filter = ["kind", "language", "is_published"]
    search_fields = ["url", "title", "publisher", "author"]


class CitationForm(ConcurrencyGuardForm):
    """A citation of any citable record: the target is checked as the services check it."""

    def clean(self):
        cleaned_data = super().clean()
        content_type, object_id = cleaned_data.get("content_type"), cleaned_data.get("object_id")
        if content_type is not None and object_id is not None:
            try:
                citation_target(
                    content_type=content_type,
                    object_id=object_id,
                    field_name=cleaned_data.get("field_name", ""),
                )
            except ValidationError as error:
                self.add_error(None, error)  # keyed content_type, object_id or field_name
        return cleaned_data


@admin.register(Citation)
class CitationAdmin(CuratedAdmin):
    """Every citation, across all cited models."""

    form = CitationForm
    list_display = [
        "source",
        "content_type",
        "object_id",
        "field_name",
        "relation",
        "excerpt_kind",
        "updated_at",
    ]
    list_filter = ["relation", "excerpt_kind", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["excerpt"]
    autocomplete_fields = ["source"]

    def add_record(self, request, form, *, values: dict, parts: dict) -> Citation:
        target = citation_target(
            content_type=values.pop("content_type"),
            object_id=values.pop("object_id"),
            field_name=values.get("field_name", ""),
        )
        return citation_add(record=target, **values)

    def change_record(self, request, form, record, *, values, parts, expected_version):
        return citation_update(citation=record, values=values, expected_version=expected_version)

    def delete_record(self, request, record, *, expected_version=None) -> None:
        citation_remove(citation=record, expected_version=expected_version)

    def delete_records(self, request, records: list) -> None:
        # At once: refused as a whole if a record would lose its last required source.
        citations_remove(citations=records)

    def deletion_refusals(self, request, records: list) -> list[str]:
        # The rule citations_remove applies, asked read-only for Django's confirmation page.
        return [
            f"{capfirst(record._meta.verbose_name)} “{record}”: {message}"
            for record, message in citation_removal_refusals(citations=records)
        ]
