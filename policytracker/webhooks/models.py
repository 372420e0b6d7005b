"""Webhook subscriptions (an owner's HTTPS endpoint and the changes it wants) and the record of
every delivery attempt. The cursor is the last change event the endpoint acknowledged: it moves
only on a 2xx, so nothing is skipped while an endpoint is down."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models


class WebhookSubscription(models.Model):
    """An endpoint that receives the change events its owner may see and its filters match."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions"
    )
    url = models.URLField(max_length=500, help_text="HTTPS endpoint that receives deliveries.")
    # Kept readable: every delivery is signed with it. Shown to the owner once, on create or
    # rotation.
    secret = models.CharField(max_length=80, editable=False)
    record_types = ArrayField(
        models.CharField(max_length=40),
        default=list,
        blank=True,
        help_text="Record types to deliver (bill, statement…); empty for all.",
    )
    bill_ids = ArrayField(
        models.BigIntegerField(),
        default=list,
        blank=True,
        help_text="Deliver only events concerning these bills; empty for all.",
    )
    active = models.BooleanField(default=True, help_text="Paused subscriptions receive nothing.")
    cursor = models.BigIntegerField(
        default=0, help_text="Sequence number of the last change event the endpoint accepted."
    )
    failures = models.PositiveIntegerField(
        default=0, help_text="Failed attempts in a row (the backoff grows with it)."
    )
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="No attempt before this time (backoff after a failure)."
    )
    # A worker holds the subscription while a POST is in flight; an expired lease means that
    # worker died, and another may take over.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["active", "cursor"], name="webhook_active_cursor_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cursor__gte=0),
                name="webhook_cursor_not_negative",
                violation_error_message="The cursor is a change sequence number.",
            )
        ]

    def __str__(self):
        return f"{self.url} ({self.owner_id})"


class WebhookDelivery(models.Model):
    """One POST of a batch of change events to a subscription's endpoint, and its outcome."""

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    first_seq = models.BigIntegerField(help_text="First change event in the batch.")
    last_seq = models.BigIntegerField(help_text="Last change event in the batch.")
    event_count = models.PositiveIntegerField(default=0)
    attempt = models.PositiveIntegerField(help_text="1 for the first try of this batch.")
    status_code = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The endpoint's HTTP status; empty if none came."
    )
    succeeded = models.BooleanField(default=False)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a failed batch is tried again."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_attempts_idx")
        ]

    def __str__(self):
        return f"#{self.first_seq}-{self.last_seq} → {self.status_code or self.error[:40]}"
