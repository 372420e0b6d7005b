"""Webhook endpoints: each user manages only their own subscriptions (others' are 404)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from policytracker.webhooks import selectors, services
from policytracker.webhooks.api.serializers import (
    WebhookDeliverySerializer,
    WebhookSubscriptionInputSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionWithSecretSerializer,
)
from policytracker.webhooks.models import WebhookSubscription

PERMISSION = "webhooks.add_webhooksubscription"


class CanSubscribe(BasePermission):
    """Signed-in users holding the webhook permission (curators; watchdog sites' token users)."""

    message = f"Missing permission: {PERMISSION}."

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm(PERMISSION)
        )


@extend_schema_view(
    list=extend_schema(summary="List your webhook subscriptions"),
    retrieve=extend_schema(summary="Get one of your webhook subscriptions"),
    create=extend_schema(
        summary="Register a webhook endpoint",
        request=WebhookSubscriptionInputSerializer,
        responses={201: WebhookSubscriptionWithSecretSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a webhook subscription",
        request=WebhookSubscriptionInputSerializer(partial=True),
        responses={200: WebhookSubscriptionSerializer},
    ),
    destroy=extend_schema(summary="Delete a webhook subscription"),
)
class WebhookSubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Endpoints that receive the change events you may see, signed (see the README:
    Webhooks). Deliveries start after the registration, in order, retried until accepted."""

    permission_classes = [CanSubscribe]
    reads_need_authentication = True  # the schema documents 401/403 on reads too
    serializer_class = WebhookSubscriptionSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ["-created_at"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WebhookSubscription.objects.none()
        return selectors.subscription_list(owner=self.request.user)

    def create(self, request, *args, **kwargs):
        data = self._input(request)
        subscription = services.subscription_create(owner=request.user, **data)
        body = WebhookSubscriptionWithSecretSerializer(subscription).data
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        data = self._input(request, partial=True)
        subscription = services.subscription_update(subscription=self.get_object(), values=data)
        return Response(WebhookSubscriptionSerializer(subscription).data)

    def perform_destroy(self, instance):
        services.subscription_delete(subscription=instance)

    @extend_schema(
        summary="Replace the signing secret",
        request=None,
        responses={200: WebhookSubscriptionWithSecretSerializer},
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        subscription = services.subscription_rotate_secret(subscription=self.get_object())
        return Response(WebhookSubscriptionWithSecretSerializer(subscription).data)

    @extend_schema(
        summary="List delivery attempts", responses={200: WebhookDeliverySerializer(many=True)}
    )
    @action(detail=True, methods=["get"], serializer_class=WebhookDeliverySerializer)
    def deliveries(self, request, pk=None):
        page = self.paginate_queryset(selectors.delivery_list(subscription=self.get_object()))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    def _input(self, request, *, partial: bool = False) -> dict:
        serializer = WebhookSubscriptionInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
