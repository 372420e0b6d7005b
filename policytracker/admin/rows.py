"""Form and inline-formset contents as service arguments, and inlines that write through
the services."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ImproperlyConfigured

from policytracker.admin.forms import ConcurrencyGuardForm, RecordWrites, expected_version
from policytracker.admin.refusals import refusal_shown_on

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
    """What a valid inline formset asks for, read as Django's own formset saving reads it."""

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
        raise ImproperlyConfigured(f"{type(self).__name__} must say how its rows are written.")


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
