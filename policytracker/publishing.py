"""The publish workflow shared by every publishable model: drafts become public, and back."""

from django.db import transaction
from django.db.models import QuerySet


@transaction.atomic
def records_set_published(*, queryset: QuerySet, published: bool) -> int:
    """Publish (or unpublish) the records in `queryset` and return how many changed.

    Rows are locked and saved one by one so each change lands in the audit history with its
    author; records already in the requested state are left untouched.
    """
    changed = 0
    for record in queryset.select_for_update().filter(is_published=not published):
        record.is_published = published
        record.save(update_fields=["is_published", "updated_at"])
        changed += 1
    return changed
