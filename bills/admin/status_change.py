"""The "Record status change" page of a bill: a form whose input goes to bill_record_action,
which records the step (bill_change_status) and cites its source for it in one transaction."""

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from bills.models import ActionClassification, BillAction, BillStatus, Organization
from bills.procedure import procedure_for
from bills.services import bill_record_action
from policytracker.admin import VERSION_FIELD, VersionField
from policytracker.errors import DomainError
from policytracker.models import DatePrecision
from sources.models import Citation, ExcerptKind, Source

EXCERPT_WITHOUT_SOURCE = "Choose the source this excerpt is from, or leave the excerpt empty."


class BillStatusChangeForm(forms.Form):
    """The inputs of bill_record_action; the services, not this form, decide what is legal."""

    # No preselected status: recording one must be a deliberate choice.
    to_status = forms.ChoiceField(
        label="New status", choices=[("", "---------"), *BillStatus.choices]
    )
    occurred_on = forms.DateField(
        required=False,
        widget=AdminDateWidget,
        help_text="Leave empty when the sources give no date.",
    )
    occurred_precision = forms.ChoiceField(choices=DatePrecision.choices, initial=DatePrecision.DAY)
    classification = forms.ChoiceField(
        required=False,
        choices=[("", "The usual one for the new status"), *ActionClassification.choices],
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    skips_unrecorded_steps = forms.BooleanField(
        required=False, help_text=BillAction._meta.get_field("skips_unrecorded_steps").help_text
    )
    # The source that records this step, cited for the new action in the same transaction.
    excerpt = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        help_text=Citation._meta.get_field("excerpt").help_text,
    )
    excerpt_kind = forms.ChoiceField(
        required=False, choices=ExcerptKind.choices, initial=ExcerptKind.QUOTE
    )
    locator = forms.CharField(
        required=False, max_length=200, help_text=Citation._meta.get_field("locator").help_text
    )
    # The bill's version when the page was opened: a status recorded meanwhile is not overrun.
    loaded_version = VersionField(required=False)

    def __init__(self, *args, admin_site, bill, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(VERSION_FIELD, bill.version)
        # Organizations are many: reuse the admin's autocomplete, as on BillAction.actor.
        actor = BillAction._meta.get_field("actor")
        self.fields["actor"] = forms.ModelChoiceField(
            queryset=Organization.objects.all(),
            required=False,
            label="Actor",
            widget=AutocompleteSelect(actor, admin_site),
        )
        # Sources are many too: the autocomplete the citation inlines use.
        self.fields["source"] = forms.ModelChoiceField(
            queryset=Source.objects.all(),
            required=False,
            help_text="The document that records this step; its excerpt below.",
            widget=AutocompleteSelect(Citation._meta.get_field("source"), admin_site),
        )
        self.order_fields(
            ["to_status", "occurred_on", "occurred_precision", "actor"]
            + ["classification", "description", "skips_unrecorded_steps", "source"]
        )

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("excerpt") and not cleaned_data.get("source"):
            self.add_error("source", EXCERPT_WITHOUT_SOURCE)
        return cleaned_data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "to_status": data["to_status"],
            "occurred_on": data["occurred_on"],
            "occurred_precision": data["occurred_precision"],
            "actor": data["actor"],
            "classification": data["classification"] or None,
            "description": data["description"],
            "skips_unrecorded_steps": data["skips_unrecorded_steps"],
            "expected_version": data[VERSION_FIELD],
            "citations": self.citations(),
        }

    def citations(self) -> list[dict]:
        """The new action's citation, as citations_add takes it (none without a source)."""
        data = self.cleaned_data
        if data["source"] is None:
            return []
        return [
            {
                "source": data["source"],
                "excerpt": data["excerpt"],
                "excerpt_kind": data["excerpt_kind"] or ExcerptKind.QUOTE,
                "locator": data["locator"],
            }
        ]

    def add_service_error(self, error: ValidationError | DomainError) -> None:
        """Show the service's refusal next to the field it names, or above the form."""
        if isinstance(error, DomainError):
            self.add_error(None, str(error))
            return
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error(field if field in self.fields else None, errors)


class RecordStatusChangeMixin:
    """Adds the "Record status change" page to the bill admin (bills.change_bill only)."""

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view(self.record_status_change_view)
        return [
            path(
                "<path:object_id>/record-status-change/",
                view,
                name=f"{opts.app_label}_{opts.model_name}_record_status_change",
            ),
            *super().get_urls(),
        ]

    def record_status_change_view(self, request, object_id):
        bill = self.get_object(request, unquote(object_id))
        if bill is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, bill):
            raise PermissionDenied
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(bill.pk)],
            current_app=self.admin_site.name,
        )
        form = BillStatusChangeForm(
            request.POST if request.method == "POST" else None,
            admin_site=self.admin_site,
            bill=bill,
        )
        if form.is_bound and form.is_valid():
            try:
                action = bill_record_action(bill=bill, **form.service_arguments())
            except (ValidationError, DomainError) as error:
                form.add_service_error(error)
            else:
                self.log_change(request, bill, f"Recorded status change: {action}.")
                self.message_user(request, f"Recorded status change: {action}.", messages.SUCCESS)
                return redirect(change_url)
        return TemplateResponse(
            request,
            "admin/bills/bill/record_status_change.html",
            self._status_change_context(request, bill, form, change_url),
        )

    def _status_change_context(self, request, bill, form, change_url) -> dict:
        visible = [name for name in form.fields if name != VERSION_FIELD]
        fieldsets = [
            (None, {"fields": visible}),
            (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]}),
        ]
        adminform = helpers.AdminForm(form, fieldsets, {})
        allowed = procedure_for(bill.procedure).allowed_next(bill.status)
        return {
            **self.admin_site.each_context(request),
            "title": "Record status change",
            "subtitle": str(bill),
            "opts": self.opts,
            "original": bill,
            "adminform": adminform,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + adminform.media,
            "change_url": change_url,
            "current_status": bill.get_status_display() if bill.status else None,
            "allowed_next": [status.label for status in BillStatus if status in allowed],
        }
