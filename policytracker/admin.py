"""Admin pieces every curated model shares: writes through the services (with the record's
version as the lost-update guard), audit history, read-only timestamps, the publish actions and
the drafts-awaiting-review page.

The admin writes nothing itself. `save_related` hands the form and its inline formsets to the
entity's services (each admin declares them in `writes`); a service's refusal comes back as a
form error, or, for deletes and actions, as a message.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import model_ngettext, quote, unquote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import Count, ProtectedError, Window
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from policytracker.errors import DomainError, RecordGone
from policytracker.services import record_publish, record_unpublish

AUDIT_FIELDS = ["created_at", "updated_at"]
VERSION_FIELD = "loaded_version"
DRAFTS_PER_MODEL = 10
UNPUBLISHED_QUERY = "is_published__exact=0"

NO_VERSION = (
    "This form does not say which version of the record it was opened on. "
    "Reload the page, then make your changes again."
)
# A service's refusal of a write: field errors, domain rules, and PROTECT on delete.
REFUSALS = (ValidationError, DomainError, ProtectedError)


# -- the form: the version it was opened on -----------------------------------------------------


class VersionField(forms.IntegerField):
    """The record's version when the form was rendered; sent back as `expected_version`."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data) -> bool:
        # Bookkeeping, not a curator's edit: it never makes a row count as changed.
        return False


class ConcurrencyGuardForm(forms.ModelForm):
    """Carries the version of the record it was opened on; the service refuses (StaleVersion,
    under a row lock) to save over a newer one."""

    loaded_version = VersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault(VERSION_FIELD, self.instance.version)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None and cleaned_data.get(VERSION_FIELD) is None:
            raise ValidationError(NO_VERSION, code="no_version")
        return cleaned_data


def expected_version(form: forms.BaseForm) -> int | None:
    """The version `form` was opened on (None for forms without one, such as list_editable)."""
    return form.cleaned_data.get(VERSION_FIELD)


# -- which services write a model ----------------------------------------------------------------


@dataclass(frozen=True)
class RecordWrites:
    """The services that add, change and delete one model's records, as the admin calls them:
    `add(values=…, **parts)`, `change(<record>=…, values=…, expected_version=…, **parts)` and
    `remove(<record>=…, expected_version=…)`, where `record` is the keyword naming the record
    (`bill=`) and `parts` are many-to-many fields (`topics=`) and what inlines hand to the
    record's own service (a statement's `stances=` and first `citations=`)."""

    add: Callable[..., models.Model]
    change: Callable[..., models.Model]
    remove: Callable[..., None]
    record: str


# -- refusals: a service said no ----------------------------------------------------------------


class WriteRefused(Exception):
    """A service refused a write; the refusal is already on the form that asked for it."""


class RefusedForm(Exception):
    """The change form to show again: the transaction is rolled back, the errors are on it."""

    def __init__(self, form: forms.BaseForm, formsets: list):
        super().__init__("A service refused the admin's write.")
        self.form = form
        self.formsets = formsets


class DeleteRefused(Exception):
    """A delete the services refused, with the reason in plain words."""


class Refusal(str):
    """A rule's reason against a delete. Listed among Django's protected objects, it stops the
    delete; the confirmation templates show it apart from them, as a reason."""


def show_refusals(context: dict) -> None:
    """Split a delete confirmation's `protected` into refusals and protected objects."""
    protected = context.get("protected") or []
    context["refusals"] = [item for item in protected if isinstance(item, Refusal)]
    context["protected_objects"] = [item for item in protected if not isinstance(item, Refusal)]


def refusal_message(error: Exception) -> str:
    """A service's refusal as one plain sentence (or several)."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, ProtectedError):
        names = "; ".join(
            f"{obj._meta.verbose_name} “{obj}”" for obj in list(error.protected_objects)[:5]
        )
        return f"Other records still refer to it: {names}. Change or delete them first."
    return str(error)


def add_refusal(form: forms.BaseForm, error: Exception, field_name: str | None = None) -> None:
    """Show `error` next to the field it names, or above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(field_name if field_name in form.fields else None, refusal_message(error))


@contextmanager
def refusal_shown_on(*targets) -> Iterator[None]:
    """Run a service call; a refusal goes onto `targets` (forms, or formsets: above their rows)
    and aborts the whole admin write."""
    try:
        yield
    except REFUSALS as error:
        for target in targets:
            if isinstance(target, forms.BaseFormSet):
                # A deleted row's own errors do not count as the formset's: say it above it.
                target.non_form_errors().append(refusal_message(error))
            else:
                add_refusal(target, error)
        raise WriteRefused from error


# -- form and formset contents as service arguments ----------------------------------------------


def model_values(form: forms.BaseForm, names) -> dict:
    """The model fields among `names`, as the validated form set them on its instance."""
    fields = {f.name for f in form.instance._meta.concrete_fields if not f.primary_key}
    return {name: getattr(form.instance, name) for name in names if name in fields}


def many_to_many_values(form: forms.BaseForm, *, adding: bool) -> dict:
    """The form's many-to-many fields (all when adding, the changed ones otherwise)."""
    return {
        f.name: list(form.cleaned_data[f.name])
        for f in form.instance._meta.many_to_many
        if f.name in form.fields and (adding or f.name in form.changed_data)
    }


@dataclass
class RowChanges:
    """What a valid inline formset asks for, as Django's own formset.save() reads it."""

    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (form, changed field names)
    deleted: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # existing rows neither deleted nor changed


def row_changes(formset) -> RowChanges:
    changes = RowChanges()
    deleted = formset.deleted_forms
    for form in formset.initial_forms:
        if form.instance.pk is None:
            continue
        if form in deleted:
            changes.deleted.append(form)
        elif form.has_changed():
            changes.changed.append((form, form.changed_data))
        else:
            changes.kept.append(form)
    changes.added = [f for f in formset.extra_forms if f.has_changed() and f not in deleted]
    return changes


# -- inlines --------------------------------------------------------------------------------------


class ServiceInline:
    """Base of every inline: its rows are written through services, by `save_rows`."""

    form = ConcurrencyGuardForm

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # The model admin's save_formset asks the inline that built a formset to write it.
        formset.admin_inline = self
        return formset

    def parent_arguments(self, formset, *, adding: bool) -> dict:
        """Keyword arguments for the parent record's own service (none by default)."""
        return {}

    def save_rows(self, request, formset, *, adding: bool) -> None:
        """Write the formset's added, changed and deleted rows (parent: `formset.instance`)."""
        raise NotImplementedError


class ChildInline(ServiceInline):
    """Rows that are records of their own (sponsorships, posts, other names), each written by
    the services in `writes`; publishing them is an action of their own list."""

    writes: RecordWrites

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if any(f.name == "is_published" for f in self.model._meta.fields):
            readonly.append("is_published")
        return readonly

    def save_rows(self, request, formset, *, adding: bool) -> None:
        writes, changes = self.writes, row_changes(formset)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        # Added and changed rows first, deleted ones last (a swap never leaves a gap).
        for form in changes.added:
            values = model_values(form, form.fields) | {formset.fk.name: formset.instance}
            with refusal_shown_on(form):
                formset.new_objects.append(writes.add(values=values))
        for form, names in changes.changed:
            with refusal_shown_on(form):
                record = writes.change(
                    **{writes.record: form.instance},
                    values=model_values(form, names),
                    expected_version=expected_version(form),
                )
            formset.changed_objects.append((record, names))
        for form in changes.deleted:
            with refusal_shown_on(formset, form):
                writes.remove(
                    **{writes.record: form.instance}, expected_version=expected_version(form)
                )
            formset.deleted_objects.append(form.instance)


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


# -- publishing -----------------------------------------------------------------------------------


class PublishableAdmin(CuratedAdmin):
    """Adds the publish workflow to the admin of a model with `is_published`: the flag changes
    only through the publish actions (record_publish refuses while dependents are drafts)."""

    actions = ["publish_selected", "publish_selected_with_dependents", "unpublish_selected"]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return readonly if "is_published" in readonly else [*readonly, "is_published"]

    @admin.action(permissions=["change"], description="Publish selected %(verbose_name_plural)s")
    def publish_selected(self, request, queryset):
        self._set_published(request, queryset, published=True)

    @admin.action(
        permissions=["change"],
        description="Publish selected %(verbose_name_plural)s with the drafts they depend on",
    )
    def publish_selected_with_dependents(self, request, queryset):
        self._set_published(request, queryset, published=True, with_dependents=True)

    @admin.action(permissions=["change"], description="Unpublish selected %(verbose_name_plural)s")
    def unpublish_selected(self, request, queryset):
        self._set_published(request, queryset, published=False)

    def _set_published(
        self, request, queryset, *, published: bool, with_dependents: bool = False
    ) -> None:
        # Plain rows by pk: the changelist's outer joins must not reach the services' row locks.
        records = list(
            self.model._default_manager.filter(pk__in=queryset.values("pk")).order_by("pk")
        )
        selected = {record.pk for record in records}
        already = {record.pk for record in records if record.is_published == published}
        state = "published" if published else "unpublished"
        changed: set[tuple[str, int]] = set()
        refused = 0
        for record in records:
            if record.pk in already or (self.opts.label, record.pk) in changed:
                continue
            try:
                if published:
                    written = record_publish(record=record, with_dependents=with_dependents)
                else:
                    written = record_unpublish(record=record)
            except DomainError as error:
                self.message_user(request, f"“{record}” was not {state}: {error}", messages.ERROR)
                refused += 1
                continue
            changed |= {(r._meta.label, r.pk) for r in written}
        if refused and refused == len(records) - len(already):
            return  # every record tried was refused: the errors say it all
        own = sum(1 for label, pk in changed if label == self.opts.label and pk in selected)
        dependents = len(changed) - own
        message = f"{state.capitalize()} {own} {model_ngettext(self.opts, own)}"
        if dependents:
            message += f", with {dependents} draft{'s' if dependents != 1 else ''} they depend on"
        message += "."
        if already:
            were = "was" if len(already) == 1 else "were"
            message += f" {len(already)} {were} already {state}."
        self.message_user(request, message, messages.SUCCESS if own else messages.WARNING)


# -- drafts awaiting review -----------------------------------------------------------------------


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
