"""Webhook subscriptions and delivery attempts as their owner sees them (the secret only once)."""

from rest_framework import serializers

from policytracker.inputs import StrictInputMixin
from policytracker.webhooks import rules
from policytracker.webhooks.models import WebhookDelivery, WebhookSubscription

MAX_FILTER_ITEMS = 100


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "url",
            "record_types",
            "bill_ids",
            "active",
            "cursor",
            "failures",
            "next_attempt_at",
            "last_success_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class WebhookSubscriptionWithSecretSerializer(WebhookSubscriptionSerializer):
    """Answer to a create or a secret rotation: the only time the secret is shown."""

    secret = serializers.CharField(
        read_only=True, help_text="Signing secret (HMAC-SHA256); shown only now, keep it."
    )

    class Meta(WebhookSubscriptionSerializer.Meta):
        fields = [*WebhookSubscriptionSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookSubscriptionInputSerializer(StrictInputMixin, serializers.Serializer):
    url = serializers.CharField(
        max_length=500, help_text="HTTPS endpoint (e.g. https://example.org/hooks/policytracker)."
    )
    record_types = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.record_types()),
        max_length=MAX_FILTER_ITEMS,
        required=False,
        default=list,
        help_text="Record types to deliver; empty or omitted for all.",
    )
    bill_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=MAX_FILTER_ITEMS,
        required=False,
        default=list,
        help_text="Deliver only changes concerning these bills (by id); empty for all.",
    )
    active = serializers.BooleanField(required=False, default=True)


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "first_seq",
            "last_seq",
            "event_count",
            "attempt",
            "status_code",
            "succeeded",
            "error",
            "duration_ms",
            "next_attempt_at",
            "created_at",
        ]
        read_only_fields = fields
