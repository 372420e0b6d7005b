"""The "Merge into another person" page of a person (and the changelist action leading to it):
a form whose choice goes to person_merge, the same service the API calls."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from bills.models import Person, Statement
from bills.services.people import MERGE_PERMISSIONS, person_merge
from policytracker.admin import VERSION_FIELD, VersionField
from policytracker.errors import DomainError


class PersonMergeForm(forms.Form):
    # The merged person's version when the page was opened: an edit made meanwhile is not lost.
    loaded_version = VersionField(required=False)

    def __init__(self, *args, admin_site, loser, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault(VERSION_FIELD, loser.version)
        # People are many: the admin's autocomplete, as wherever a person is chosen.
        speaker = Statement._meta.get_field("speaker_person")
        self.fields["winner"] = forms.ModelChoiceField(
            queryset=Person.objects.exclude(pk=loser.pk),
            label="Merge into",
            help_text="The record that stays. This one is deleted; its statements, posts, "
            "sponsorships, names and citations move there and its address redirects there.",
            widget=AutocompleteSelect(speaker, admin_site),
        )
        self.order_fields(["winner"])

    def add_service_error(self, error: ValidationError | DomainError) -> None:
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, str(error) if isinstance(error, DomainError) else error)


class PersonMergeMixin:
    """Adds the merge page to the person admin; it needs every permission the merge writes."""

    def may_merge(self, request, person) -> bool:
        return self.has_delete_permission(request, person) and request.user.has_perms(
            MERGE_PERMISSIONS
        )

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view(self.merge_view)
        return [
            path("<path:object_id>/merge/", view, name=f"{opts.app_label}_{opts.model_name}_merge"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["may_merge"] = obj is not None and self.may_merge(request, obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    @admin.action(permissions=["delete"], description="Merge the selected person into another")
    def merge_into_another(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True)[:2])
        if len(chosen) != 1:
            self.message_user(request, "Select exactly one person to merge.", messages.ERROR)
            return None
        return redirect(self._url("merge", chosen[0]))

    def _url(self, name: str, pk) -> str:
        opts = self.opts
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{name}",
            args=[quote(pk)],
            current_app=self.admin_site.name,
        )

    def merge_view(self, request, object_id):
        loser = self.get_object(request, unquote(object_id))
        if loser is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.may_merge(request, loser):
            raise PermissionDenied
        form = PersonMergeForm(
            request.POST if request.method == "POST" else None,
            admin_site=self.admin_site,
            loser=loser,
        )
        if form.is_bound and form.is_valid():
            winner = form.cleaned_data["winner"]
            try:
                merged = person_merge(
                    loser=loser, winner=winner, expected_version=form.cleaned_data[VERSION_FIELD]
                )
            except (ValidationError, DomainError) as error:
                form.add_service_error(error)
            else:
                message = f"Merged “{loser}” ({loser.slug}) into “{merged}”; the old address "
                message += "now redirects there."
                self.log_change(request, merged, message)
                self.message_user(request, message, messages.SUCCESS)
                return redirect(self._url("change", merged.pk))
        visible = [name for name in form.fields if name != VERSION_FIELD]
        fieldsets = [
            (None, {"fields": visible}),
            (None, {"fields": [VERSION_FIELD], "classes": ["hidden"]}),
        ]
        adminform = helpers.AdminForm(form, fieldsets, {})
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge into another person",
            "subtitle": str(loser),
            "opts": self.opts,
            "original": loser,
            "adminform": adminform,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + adminform.media,
            "change_url": self._url("change", loser.pk),
        }
        return TemplateResponse(request, "admin/bills/person/merge.html", context)
