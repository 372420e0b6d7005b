"""Stored outcomes of POSTs sent with an Idempotency-Key, so a retry repeats nothing."""

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to (user, key); replayed verbatim for any retry of the same request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=1000)
    request_sha256 = models.CharField(max_length=64, help_text="Hash of the request body.")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} → {self.response_status}"
