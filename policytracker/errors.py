"""Domain errors raised by the services. They know no HTTP: the API translates them to problem
details (policytracker/problems.py) and the admin to form errors and messages.

Field-level refusals are plain `django.core.exceptions.ValidationError`s keyed by field name;
the classes here are the refusals that are not about one field's value.
"""


class DomainError(Exception):
    """Base of the refusals that are not a field's validation error."""

    message = "The change was refused."

    def __str__(self) -> str:
        return self.message


class StaleVersion(DomainError):
    """The caller edited an older version of the record than the one stored (a lost update)."""

    def __init__(self, *, record, expected: int, current: int):
        self.record = record
        self.expected = expected
        self.current = current
        name = record._meta.verbose_name
        self.message = (
            f"This {name} changed since you read it (you have version {expected}, the current "
            f"version is {current}). Reload it and make your change again."
        )
        super().__init__(self.message)


class RecordGone(DomainError):
    """The record was deleted after the caller read it."""

    def __init__(self, *, model):
        self.message = f"This {model._meta.verbose_name} was deleted by someone else."
        super().__init__(self.message)


class DraftDependents(DomainError):
    """Publishing would show a record whose sources, sponsors or references are still drafts."""

    def __init__(self, *, record, dependents: list):
        self.record = record
        self.dependents = dependents
        names = "; ".join(f"{d._meta.verbose_name} “{d}”" for d in dependents)
        self.message = (
            f"This {record._meta.verbose_name} depends on unpublished records: {names}. "
            "Publish them first, or publish them together with it."
        )
        super().__init__(self.message)
