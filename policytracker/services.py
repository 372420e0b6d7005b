"""Write mechanics the apps' services share: lock the row, check the caller's version, validate,
save, and move the version on. Nothing here knows a particular model or HTTP.

The apps' services (`bills.services`, `sources.services`) hold each entity's rules and call
these; the API, the admin, the seed loader and the commands call the apps' services.
"""

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from policytracker.errors import DraftDependents, RecordGone, StaleVersion
from policytracker.visibility import draft_dependents


def lock(instance: models.Model) -> models.Model:
    """A fresh copy of `instance`'s row, locked until the transaction ends."""
    model = type(instance)
    locked = model._base_manager.select_for_update().filter(pk=instance.pk).first()
    if locked is None:
        raise RecordGone(model=model)
    return locked


def check_version(record: models.Model, expected_version: int | None) -> None:
    """Refuse a write based on an older version of `record` (None: the caller does not ask)."""
    if expected_version is not None and record.version != expected_version:
        raise StaleVersion(record=record, expected=expected_version, current=record.version)


def _set_m2m(instance: models.Model, m2m: dict | None) -> bool:
    changed = False
    for name, targets in (m2m or {}).items():
        manager = getattr(instance, name)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            changed = True
    return changed


@transaction.atomic
def record_create(*, model: type[models.Model], values: dict, m2m: dict | None = None):
    """Create a record after full model validation (fields, uniqueness, constraints)."""
    instance = model(**values)
    instance.full_clean()
    instance.save()
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def record_update(
    *,
    instance: models.Model,
    values: dict,
    m2m: dict | None = None,
    expected_version: int | None = None,
):
    """Apply `values` to the locked record, validate the result, save only what changed, and
    count a new version when anything (fields or many-to-many links) changed."""
    record = lock(instance)
    check_version(record, expected_version)
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    previous_slug = getattr(record, "slug", "")
    for name in changed:
        setattr(record, name, values[name])
    record.full_clean()
    m2m_changed = _set_m2m(record, m2m)
    if changed or m2m_changed:
        fields = [record._meta.get_field(name).attname for name in changed]
        record.version += 1
        record.save(update_fields=[*fields, "version", "updated_at"])
    if "slug" in changed:
        # The old address keeps answering (a redirect, a filter value): stable addresses.
        from policytracker.aliases.services import slug_alias_add

        slug_alias_add(record=record, old_slug=previous_slug)
    return record


@transaction.atomic
def record_touch(*, instance: models.Model) -> None:
    """Count a new version of `instance` because something shown inside it changed (a citation,
    a stance): caches and editors holding the old version must see the change."""
    type(instance)._base_manager.filter(pk=instance.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


@transaction.atomic
def record_delete(*, instance: models.Model, expected_version: int | None = None) -> None:
    """Delete the record (Django's on_delete rules apply: PROTECT refuses, CASCADE follows)."""
    record = lock(instance)
    check_version(record, expected_version)
    record.delete()


@transaction.atomic
def record_set_published(
    *,
    record: models.Model,
    published: bool,
    expected_version: int | None = None,
    with_dependents: bool = False,
) -> list[models.Model]:
    """Publish or unpublish `record`; return every record whose state changed.

    Publishing refuses (`DraftDependents`) while the record's links, parts or cited sources are
    drafts, unless `with_dependents` asks to publish them in the same transaction.
    """
    record = lock(record)
    check_version(record, expected_version)
    changed = []
    if published:
        dependents = draft_dependents(record)
        if dependents and not with_dependents:
            raise DraftDependents(record=record, dependents=dependents)
        for dependent in dependents:
            changed += _set_flag(lock(dependent), True)
    return _set_flag(record, published) + changed


def _set_flag(record: models.Model, published: bool) -> list[models.Model]:
    if record.is_published == published:
        return []
    record.is_published = published
    record.version += 1
    # Saved (not bulk-updated) so the change lands in the audit history with its author.
    record.save(update_fields=["is_published", "version", "updated_at"])
    return [record]


def record_publish(
    *, record: models.Model, expected_version: int | None = None, with_dependents: bool = False
) -> list[models.Model]:
    """Publish any publishable record (the generic form of `bill_publish` and the others, for
    the API's and the admin's shared publish actions)."""
    return record_set_published(
        record=record,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def record_unpublish(
    *, record: models.Model, expected_version: int | None = None
) -> list[models.Model]:
    """Unpublish any publishable record."""
    return record_set_published(record=record, published=False, expected_version=expected_version)
