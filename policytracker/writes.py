"""Generic write mechanics shared by the apps' services: validate, save, record who changed.

The apps' services (`bills.services`, `sources.services`) hold the rules for each entity and
call these helpers; nothing here knows about a particular model.
"""

import hashlib

from django.db import models, transaction
from rest_framework.renderers import JSONRenderer

from policytracker.problems import PreconditionFailed, PreconditionRequired


def _set_m2m(instance: models.Model, m2m: dict | None) -> None:
    for name, targets in (m2m or {}).items():
        getattr(instance, name).set(targets)


@transaction.atomic
def record_create(*, model: type[models.Model], values: dict, m2m: dict | None = None):
    """Create a record after full model validation (fields, uniqueness, constraints)."""
    instance = model(**values)
    instance.full_clean()
    instance.save()
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def record_update(*, instance: models.Model, values: dict, m2m: dict | None = None):
    """Apply `values` to a locked record, validate the result, and save only what changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean()
    if changed:
        update_fields = [instance._meta.get_field(name).attname for name in changed]
        if any(field.name == "updated_at" for field in instance._meta.fields):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    elif m2m:
        instance.save(update_fields=["updated_at"])  # an m2m change is a change of the record
    _set_m2m(instance, m2m)
    return instance


def representation_etag(data) -> str:
    """The strong ETag of a JSON representation, computed as the conditional-GET middleware
    computes it for the same bytes, so a client's If-Match compares like with like."""
    content = JSONRenderer().render(data)
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def check_if_match(*, if_match: str | None, current_etag: str) -> None:
    """Raise for a missing (428) or stale (412) If-Match precondition."""
    if not if_match:
        raise PreconditionRequired()
    candidates = {tag.strip() for tag in if_match.split(",")}
    if "*" not in candidates and current_etag not in candidates:
        raise PreconditionFailed()
