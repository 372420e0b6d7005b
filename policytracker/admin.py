"""Admin pieces every curated model shares: audit history, read-only timestamps, a lost-update
guard on change forms, the publish actions and the drafts-awaiting-review page."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Count, Window
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from policytracker.errors import DomainError
from policytracker.services import record_publish, record_unpublish

AUDIT_FIELDS = ["created_at", "updated_at"]
VERSION_FIELD = "loaded_updated_at"
DRAFTS_PER_MODEL = 10
UNPUBLISHED_QUERY = "is_published__exact=0"

STALE_RECORD = (
    "This {name} was changed by someone else at {when}{who}, after you opened this form. "
    "Reload the page to see the current version, then make your changes again."
)
DELETED_RECORD = "This {name} was deleted by someone else after you opened this form."


def version_token(updated_at: datetime.datetime) -> str:
    """The version a form carries: the record's `updated_at` in UTC, to the microsecond."""
    return updated_at.astimezone(datetime.UTC).isoformat()


class ConcurrencyGuardForm(forms.ModelForm):
    """Refuses to save over a record changed since the form was rendered (optimistic locking)."""

    loaded_updated_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and self.instance.updated_at:
            self.initial.setdefault(VERSION_FIELD, version_token(self.instance.updated_at))

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            self._check_not_stale(cleaned_data.get(VERSION_FIELD) or "")
        return cleaned_data

    def _check_not_stale(self, loaded: str) -> None:
        model = type(self.instance)
        rows = model._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            # The admin saves in this same transaction: holding the row closes the race window.
            rows = rows.select_for_update()
        current = rows.values_list("updated_at", flat=True).first()
        name = model._meta.verbose_name
        if current is None:
            raise ValidationError(DELETED_RECORD.format(name=name), code="deleted")
        if loaded != version_token(current):
            last = self.instance.history.select_related("history_user").first()
            user = getattr(last, "history_user", None)
            raise ValidationError(
                STALE_RECORD.format(
                    name=name,
                    when=timezone.localtime(current).strftime("%Y-%m-%d %H:%M:%S %Z"),
                    who=f" (last edit by {user})" if user else "",
                ),
                code="stale",
            )


class CuratedAdmin(SimpleHistoryAdmin):
    """Base of every model admin: history view, read-only timestamps, lost-update guard."""

    form = ConcurrencyGuardForm

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        return readonly + [name for name in AUDIT_FIELDS if name not in readonly]

    def get_fields(self, request, obj=None):
        # The version marker is placed by get_fieldsets, whatever fields a subclass declares.
        return [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": [VERSION_FIELD], "classes": ["hidden"]}))
        return fieldsets

    def revert_disabled(self, request, obj=None):
        # A revert rewrites every field at once, a bill's status included, which only
        # bills.services.bill_change_status may write: history here is for reading.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a revert POST even when its button is hidden.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PublishableAdmin(CuratedAdmin):
    """Adds the publish workflow to the admin of a model with `is_published`."""

    actions = ["publish_selected", "unpublish_selected"]

    @admin.action(permissions=["change"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request, queryset):
        self._set_published(request, queryset, published=True)

    @admin.action(permissions=["change"], description="Unpublish selected %(verbose_name_plural)s")
    def unpublish_selected(self, request, queryset):
        self._set_published(request, queryset, published=False)

    def _set_published(self, request, queryset, *, published: bool) -> None:
        # Plain rows by pk: the changelist's joins must not reach the services' row locks.
        records = list(self.model._default_manager.filter(pk__in=queryset.values("pk")))
        changed = 0
        for record in records:
            try:
                if published:
                    changed += bool(record_publish(record=record))
                else:
                    changed += bool(record_unpublish(record=record))
            except DomainError as error:
                self.message_user(request, str(error), messages.ERROR)
        verb = "Published" if published else "Unpublished"
        message = f"{verb} {changed} {model_ngettext(self.opts, changed)}."
        if unchanged := len(records) - changed:
            message += f" {unchanged} {'was' if unchanged == 1 else 'were'} left as they were."
        self.message_user(request, message, messages.SUCCESS if changed else messages.WARNING)


def drafts_awaiting_review(request: HttpRequest, admin_site: admin.AdminSite) -> list[dict]:
    """The newest unpublished records of every publishable model the user may view."""
    sections = []
    for app in admin_site.get_app_list(request):
        for entry in app["models"]:
            model_admin = admin_site.get_model_admin(entry["model"])
            if isinstance(model_admin, PublishableAdmin) and entry["perms"].get("view"):
                drafts = _newest_drafts(request, model_admin)
                sections.append(
                    {
                        "opts": model_admin.opts,
                        "total": drafts[0].draft_total if drafts else 0,
                        "drafts": [
                            {"record": draft, "url": _change_url(model_admin, draft)}
                            for draft in drafts
                        ],
                        "changelist_url": f"{entry['admin_url']}?{UNPUBLISHED_QUERY}",
                    }
                )
    return sections


def _newest_drafts(request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
    # One query per model: a window count carries the total alongside the first rows.
    queryset = model_admin.get_queryset(request).filter(is_published=False)
    related = model_admin.list_select_related
    if related:
        # The admin already names the relations its records' __str__ walks.
        queryset = (
            queryset.select_related() if related is True else queryset.select_related(*related)
        )
    queryset = queryset.annotate(draft_total=Window(Count("pk"))).order_by("-created_at", "-pk")
    return list(queryset[:DRAFTS_PER_MODEL])


def _change_url(model_admin: admin.ModelAdmin, record) -> str:
    opts = model_admin.opts
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        args=[quote(record.pk)],
        current_app=model_admin.admin_site.name,
    )


class DraftsDashboardMixin:
    """Serves the drafts-awaiting-review page from a model admin, so it needs no project URL."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.drafts_awaiting_review_view)
        return [
            path("drafts/", view, name="drafts_awaiting_review"),
            *super().get_urls(),
        ]

    def drafts_awaiting_review_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Drafts awaiting review",
            "sections": drafts_awaiting_review(request, self.admin_site),
            "per_model": DRAFTS_PER_MODEL,
        }
        return TemplateResponse(request, "admin/drafts_awaiting_review.html", context)
