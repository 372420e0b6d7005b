"""Admin for every citation, across all cited models. Every write goes through sources.services,
which keep a citation on a real field of an existing citable record."""

from django.contrib import admin
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst

from policytracker import visibility
from policytracker.admin import ConcurrencyGuardForm, CuratedAdmin
from sources.admin.target import (
    TARGET_URL_NAME,
    CitableKindField,
    citable_kinds,
    record_admin_url,
    record_label,
    show_current_target,
    target_autocomplete,
    target_field,
    with_names,
)
from sources.models import Citation
from sources.services import (
    citation_add,
    citation_removal_refusals,
    citation_remove,
    citation_target,
    citation_update,
    citations_remove,
)

EXCERPT_WORDS = 30
SOURCE_WORDS = 8


class CitationForm(ConcurrencyGuardForm):
    """A citation of any citable record: the kind among the citable kinds, the record by its
    name (target.py); the target is checked as the services check it."""

    content_type = CitableKindField()
    object_id = target_field()
    admin_site = admin.site  # CitationAdmin.get_form names its own

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_type"].queryset = citable_kinds()
        show_current_target(self, self.admin_site)

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


class CitedKindFilter(admin.SimpleListFilter):
    """The citable kinds only, by their names (not every content type Django knows)."""

    title = "kind of record"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(str(ct.pk), CitableKindField().label_from_instance(ct)) for ct in citable_kinds()]

    def queryset(self, request, queryset):
        return queryset.filter(content_type_id=self.value()) if self.value() else queryset


def cited_records(admin_site: admin.AdminSite) -> GenericPrefetch:
    """Prefetch of every citation's record, each kind with the relations its name needs."""
    querysets = [
        with_names(model._default_manager.all(), admin_site.get_model_admin(model))
        for model in visibility.citable_models()
        if admin_site.is_registered(model)
    ]
    return GenericPrefetch("record", querysets)


@admin.register(Citation)
class CitationAdmin(CuratedAdmin):
    """Every citation, across all cited models."""

    form = CitationForm
    list_display = ["excerpt_shown", "cited", "field", "source_shown", "relation"]
    list_display_links = ["excerpt_shown"]
    list_filter = ["relation", "excerpt_kind", CitedKindFilter]
    list_select_related = ["source", "content_type"]
    search_fields = ["excerpt", "source__title", "claimed_value"]
    autocomplete_fields = ["source"]
    fields = [
        ("content_type", "object_id"),
        "field_name",
        "source",
        ("relation", "excerpt_kind"),
        "excerpt",
        "locator",
        ("claimed_value", "resolution_note"),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"admin_site": self.admin_site})

    def get_urls(self):
        view = self.admin_site.admin_view(self.target_autocomplete_view)
        return [
            path("target-autocomplete/", view, name=TARGET_URL_NAME),
            *super().get_urls(),
        ]

    def target_autocomplete_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return target_autocomplete(request, self.admin_site)

    def get_queryset(self, request):
        # Each page's cited records in one query per kind, with what their names need.
        return super().get_queryset(request).prefetch_related(cited_records(self.admin_site))

    @admin.display(description="Cited record", ordering="content_type")
    def cited(self, citation: Citation):
        record = citation.record
        if record is None:
            return f"{citation.content_type.name} #{citation.object_id} (no longer exists)"
        url = record_admin_url(record, self.admin_site)
        label = record_label(record)
        return format_html('<a href="{}">{}</a>', url, label) if url else label

    @admin.display(description="Field", ordering="field_name")
    def field(self, citation: Citation) -> str:
        return citation.field_name or "the whole record"

    @admin.display(description="Source", ordering="source__title")
    def source_shown(self, citation: Citation) -> str:
        source = citation.source
        return f"{Truncator(source.title).words(SOURCE_WORDS)} ({source.publisher or source.url})"

    @admin.display(description="Excerpt", ordering="excerpt")
    def excerpt_shown(self, citation: Citation) -> str:
        return Truncator(citation.excerpt).words(EXCERPT_WORDS)

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
