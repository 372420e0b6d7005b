"""Admin for source documents."""

from django.contrib import admin

from policytracker.admin import PublishableAdmin, RecordWrites
from sources.models import Source
from sources.services import source_delete, source_register, source_update

SOURCE = RecordWrites(
    add=source_register, change=source_update, remove=source_delete, record="source"
)


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    """Source documents; searched by the citation autocompletes."""

    writes = SOURCE
    list_display = ["title", "publisher", "kind", "language", "published_on", "is_published"]
    list_filter = ["kind", "language", "is_published"]
    search_fields = ["url", "title", "publisher", "author"]
