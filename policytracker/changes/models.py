"""ChangeEvent: one row per recorded change, in commit order (`seq`). Append-only: the services
insert rows in the same transaction as the change; nothing updates or deletes them."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from policytracker.visibility import can_see_drafts


class ChangeKind(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    DELETED = "deleted", "Deleted"
    RENAMED = "renamed", "Renamed (slug changed)"
    STATUS_CHANGED = "status_changed", "Status changed"


# Events after which the record is gone from public view: served as tombstones, never content.
TOMBSTONES = frozenset({ChangeKind.UNPUBLISHED, ChangeKind.DELETED})


class ChangeEventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Anonymous readers see public events only; curators (drafts permission) see all."""
        events = self if can_see_drafts(user) else self.filter(public=True)
        return events.order_by("seq")


class ChangeEvent(models.Model):
    """One change of one record, as the feed and webhooks serve it (no curator identity)."""

    seq = models.BigAutoField(primary_key=True, help_text="Position in the feed (its cursor).")
    recorded_at = models.DateTimeField(
        default=timezone.now, db_index=True, help_text="Server time the change was recorded."
    )
    record_type = models.CharField(max_length=40, help_text="Kind of record (bill, statement…).")
    record_id = models.BigIntegerField()
    slug = models.CharField(max_length=200, blank=True, help_text="Slug after the change.")
    old_slug = models.CharField(max_length=200, blank=True, help_text="Slug before a rename.")
    event = models.CharField(max_length=20, choices=ChangeKind.choices)
    changed = models.JSONField(default=dict, blank=True, help_text="Changed public fields.")
    version = models.PositiveIntegerField(help_text="The record's version after the change.")
    public = models.BooleanField(
        help_text="Shown to anonymous readers: the record is public after the change, or this "
        "is the tombstone of a record that was public."
    )
    bill_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)

    objects = ChangeEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["record_type", "record_id", "seq"], name="change_record_idx"),
            models.Index(fields=["public", "seq"], name="change_public_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__in=ChangeKind.values),
                name="change_event_valid",
                violation_error_message="Unknown change event.",
            )
        ]

    def __str__(self):
        return f"#{self.seq} {self.event} {self.record_type} {self.record_id}"
