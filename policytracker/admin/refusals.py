"""A service's refusal, shown to curators in plain words: as form errors or messages."""

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db.models import ProtectedError
from django.utils.text import capfirst

from policytracker.errors import DomainError

# A service's refusal of a write: field errors, domain rules, and PROTECT on delete.
REFUSALS = (ValidationError, DomainError, ProtectedError)


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
    """Show `error` next to the field it names, or above the form naming that field."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            if name in form.fields:
                form.add_error(name, errors)
            elif name == NON_FIELD_ERRORS:
                form.add_error(None, errors)
            else:
                # A part of the record this form does not show (a statement's `sources`): say
                # which, so the words still name what to fix.
                label = field_label(form, name)
                form.add_error(None, [f"{label}: {m}" for m in ValidationError(errors).messages])
    elif isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(field_name if field_name in form.fields else None, refusal_message(error))


def field_label(form: forms.BaseForm, name: str) -> str:
    """A field's name as curators read it: its verbose name, else the name in words."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        label = model._meta.get_field(name).verbose_name if model else name
    except FieldDoesNotExist:
        label = name
    return capfirst(str(label).replace("_", " "))


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
