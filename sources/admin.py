"""Admin for sources and citations, plus the citation inline every cited model reuses."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from policytracker.admin import CuratedAdmin, PublishableAdmin
from sources.models import Citation, Source


class CitationInline(GenericTabularInline):
    """Citations of the record being edited; bills/admin adds it to every cited model."""

    model = Citation
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    """Source documents; searched by the citation autocompletes."""

    list_display = ["title", "publisher", "kind", "language", "published_on", "is_published"]
    list_filter = ["kind", "language", "is_published"]
    search_fields = ["url", "title", "publisher", "author"]


@admin.register(Citation)
class CitationAdmin(CuratedAdmin):
    """Every citation, across all cited models."""

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
