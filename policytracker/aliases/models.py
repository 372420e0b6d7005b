"""An old slug of a record, so that addresses and filters naming it keep working."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords


class SlugAlias(models.Model):
    """`slug` once named the record (`content_type`, `record_id`): it was renamed, or it was
    merged into that record. A current slug always wins over an alias (lookups check current
    slugs first), so an alias only answers for a slug no record of its model holds now."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    record_id = models.BigIntegerField()
    slug = models.SlugField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    # Who moved an address and when, like every other curated write.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "slug alias"
        verbose_name_plural = "slug aliases"
        ordering = ["content_type_id", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"],
                name="slug_alias_unique_per_model",
                violation_error_message="This slug is already an alias of a record of this kind.",
            )
        ]
        indexes = [models.Index(fields=["content_type", "record_id"], name="slug_alias_record")]

    def __str__(self) -> str:
        return f"{self.content_type.model}:{self.slug} → {self.record_id}"

    @property
    def record_model(self) -> type[models.Model]:
        return ContentType.objects.get_for_id(self.content_type_id).model_class()
