"""Admin forms carry the version of the record they were opened on; the services check it."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

VERSION_FIELD = "loaded_version"
NO_VERSION = (
    "This form does not say which version of the record it was opened on. "
    "Reload the page, then make your changes again."
)


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

    def add_error(self, field, error):
        # A translated field's form shows a field per language (title_en, title_ru, ...) and not
        # the original, which holds the English text: the model's error on `title` belongs to
        # `title_en` (else Django refuses to place it and the page fails).
        if field is None and isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(
                {self._placed(name): messages for name, messages in error.error_dict.items()}
            )
        elif field is not None:
            field = self._placed(field)
        super().add_error(field, error)

    def _placed(self, name: str) -> str:
        english = f"{name}_{settings.CONTENT_DEFAULT_LANGUAGE}"
        return english if name not in self.fields and english in self.fields else name


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
