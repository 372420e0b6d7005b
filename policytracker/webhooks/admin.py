"""Subscriptions and their delivery attempts for the admin: edits go through the services,
attempts are read-only (only the worker records them)."""

from django import forms
from django.contrib import admin

from policytracker.webhooks import services
from policytracker.webhooks.models import WebhookDelivery, WebhookSubscription

EDITABLE = ["url", "record_types", "bill_ids", "active"]


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["created_at", "first_seq", "last_seq", "attempt", "status_code", "error"]
    readonly_fields = fields
    ordering = ["-created_at", "-pk"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


class WebhookSubscriptionForm(forms.ModelForm):
    """Applies the services' rules while validating, so a refused URL (not https, a private
    address) is a field error on the form rather than a failed save."""

    def clean(self):
        cleaned = super().clean()
        values = {name: cleaned[name] for name in EDITABLE if name in cleaned}
        services.subscription_check(owner=self.instance.owner, values=values)
        return cleaned


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["url", "owner", "active", "cursor", "failures", "next_attempt_at"]
    list_filter = ["active"]
    search_fields = ["url", "owner__username"]
    list_select_related = ["owner"]
    readonly_fields = ["owner", "cursor", "failures", "next_attempt_at", "last_success_at"]
    fields = ["owner", *EDITABLE, *readonly_fields[1:]]
    inlines = [WebhookDeliveryInline]

    def has_add_permission(self, request):
        # Registering shows the secret once: that is the API's job (POST /api/v1/webhooks/).
        return False

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in EDITABLE if name in form.cleaned_data}
        updated = services.subscription_update(subscription=obj, values=values)
        obj.version = updated.version

    def save_related(self, request, form, formsets, change):
        # The delivery inline is read-only and nothing else is related: nothing to write.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        # Nothing written; Django's change message still asks each formset what it saved.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_model(self, request, obj):
        services.subscription_delete(subscription=obj)

    def delete_queryset(self, request, queryset):
        for subscription in queryset:
            services.subscription_delete(subscription=subscription)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subscription", "first_seq", "last_seq", "status_code", "error"]
    list_filter = ["succeeded"]
    list_select_related = ["subscription"]
    search_fields = ["subscription__url"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
