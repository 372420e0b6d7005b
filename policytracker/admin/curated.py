"""The base of every model admin: writes through the services, history, read-only audit
fields, and refusals shown in the form."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, router, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from policytracker.admin.forms import (
    VERSION_FIELD,
    ConcurrencyGuardForm,
    RecordWrites,
    expected_version,
)
from policytracker.admin.refusals import (
    REFUSALS,
    DeleteRefused,
    Refusal,
    RefusedForm,
    WriteRefused,
    refusal_message,
    refusal_shown_on,
    show_refusals,
)
from policytracker.admin.rows import ServiceInline, many_to_many_values, model_values
from policytracker.errors import RecordGone

AUDIT_FIELDS = ["created_at", "updated_at"]


# -- model admins ---------------------------------------------------------------------------------


class CuratedAdmin(SimpleHistoryAdmin):
    """Base of every model admin: writes through the services declared in `writes`, the
    record's version as lost-update guard, history view, read-only timestamps."""

    form = ConcurrencyGuardForm
    writes: RecordWrites | None = None

    # -- the three writes; admins whose services take other arguments override them --------

    def add_record(self, request, form, *, values: dict, parts: dict) -> models.Model:
        return self._writes().add(values=values, **parts)

    def change_record(
        self, request, form, record, *, values: dict, parts: dict, expected_version: int | None
    ) -> models.Model:
        writes = self._writes()
        return writes.change(
            **{writes.record: record}, values=values, expected_version=expected_version, **parts
        )

    def delete_record(self, request, record, *, expected_version: int | None = None) -> None:
        writes = self._writes()
        writes.remove(**{writes.record: record}, expected_version=expected_version)

    def delete_records(self, request, records: list) -> None:
        for record in records:
            try:
                self.delete_record(request, record)
            except RecordGone:
                continue  # gone with an earlier one of the selection, or by someone else

    def deletion_refusals(self, request, records: list) -> list[str]:
        """Rules that forbid deleting `records`, in plain words (shown as protected)."""
        return []

    def _writes(self) -> RecordWrites:
        if self.writes is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no `writes`.")
        return self.writes

    # -- Django's save hooks, routed to the services -----------------------------------------

    def save_model(self, request, obj, form, change):
        """Writes nothing: save_related writes the record together with its inlines."""

    def save_related(self, request, form, formsets, change):
        """Write the record, then its inline rows, through the services (one transaction: the
        view's). A refusal rolls everything back and shows the form again with the reason."""
        adding = not change
        try:
            parts = many_to_many_values(form, adding=adding)
            for formset in formsets:
                parts |= self._inline_of(formset).parent_arguments(formset, adding=adding)
            names = form.fields if adding else form.changed_data
            with refusal_shown_on(form):
                if adding:
                    record = self.add_record(
                        request, form, values=model_values(form, names), parts=parts
                    )
                else:
                    record = self.change_record(
                        request,
                        form,
                        form.instance,
                        values=model_values(form, names),
                        parts=parts,
                        expected_version=expected_version(form),
                    )
            adopt(form.instance, record)  # the parent of the rows, and what Django logs
            for formset in formsets:
                self.save_formset(request, form, formset, change)
        except WriteRefused as refused:
            if adding:
                form.instance.pk = None
                form.instance._state.adding = True
            raise RefusedForm(form, formsets) from refused
        form.instance.refresh_from_db()  # rows may have counted new versions of the record

    def save_formset(self, request, form, formset, change):
        self._inline_of(formset).save_rows(request, formset, adding=not change)

    def delete_model(self, request, obj):
        try:
            self.delete_record(request, obj)
        except REFUSALS as error:
            raise DeleteRefused(refusal_message(error)) from error

    def delete_queryset(self, request, queryset):
        try:
            self.delete_records(request, list(queryset))
        except REFUSALS as error:
            raise DeleteRefused(refusal_message(error)) from error

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Django's confirmation page refuses while `protected` is not empty.
        refusals = [Refusal(reason) for reason in self.deletion_refusals(request, list(objs))]
        return deleted, counts, perms_needed, [*protected, *refusals]

    def render_delete_form(self, request, context):
        show_refusals(context)
        return super().render_delete_form(request, context)

    @staticmethod
    def _inline_of(formset) -> ServiceInline:
        inline = getattr(formset, "admin_inline", None)
        if not isinstance(inline, ServiceInline):
            raise ImproperlyConfigured(f"{type(formset).__name__} is not from a ServiceInline.")
        return inline

    # -- views: catching refusals outside the view's transaction (so it is rolled back) -------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except RefusedForm as refused:
            return self._render_refused(request, refused, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except RefusedForm as refused:  # list_editable
            errors = [e for errors in refused.form.errors.values() for e in errors]
            self.message_user(request, " ".join(errors), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DeleteRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def response_action(self, request, queryset):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                response = super().response_action(request, queryset)
        except DeleteRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        if isinstance(response, TemplateResponse) and "protected" in response.context_data:
            show_refusals(response.context_data)  # delete_selected's confirmation page
        return response

    def _render_refused(self, request, refused, object_id, form_url, extra_context):
        # The context Django's changeform_view builds for an invalid form.
        add = object_id is None
        obj = None if add else self.get_object(request, unquote(object_id))
        if not add and obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        formsets = refused.formsets
        admin_form = helpers.AdminForm(
            refused.form,
            list(self.get_fieldsets(request, obj)),
            self.get_prepopulated_fields(request, obj),
            self.get_readonly_fields(request, obj),
            model_admin=self,
        )
        inline_formsets = self.get_inline_formsets(
            request, formsets, [self._inline_of(formset) for formset in formsets], obj
        )
        media = self.media + admin_form.media
        for inline_formset in inline_formsets:
            media += inline_formset.media
        context = {
            **self.admin_site.each_context(request),
            "title": (_("Add %s") if add else _("Change %s")) % self.opts.verbose_name,
            "subtitle": str(obj) if obj else None,
            "adminform": admin_form,
            "object_id": object_id,
            "original": obj,
            "is_popup": IS_POPUP_VAR in request.POST or IS_POPUP_VAR in request.GET,
            "to_field": request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR)),
            "media": media,
            "inline_admin_formsets": inline_formsets,
            "errors": helpers.AdminErrorList(refused.form, formsets),
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return self.render_change_form(
            request, context, add=add, change=not add, obj=obj, form_url=form_url
        )

    # -- layout ------------------------------------------------------------------------------

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

    # -- history: for reading ----------------------------------------------------------------

    def revert_disabled(self, request, obj=None):
        # A revert rewrites every field at once, a bill's status included, which only
        # bills.services.bill_change_status may write: history here is for reading.
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a revert POST even when its button is hidden.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def adopt(instance: models.Model, record: models.Model) -> None:
    """Make the form's `instance` the record the service wrote (pk and every field)."""
    for model_field in record._meta.concrete_fields:
        setattr(instance, model_field.attname, getattr(record, model_field.attname))
    instance._state.adding = False
    instance._state.db = record._state.db
