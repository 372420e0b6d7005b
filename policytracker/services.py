"""Write mechanics the apps' services share: lock the row, check the caller's version, validate,
save, and move the version on. Nothing here knows a particular model or HTTP.

The apps' services (`bills.services`, `sources.services`) hold each entity's rules and call
these; the API, the admin, the seed loader and the commands call the apps' services.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.db.models.deletion import Collector
from django.utils import timezone, translation
from modeltranslation.translator import NotRegistered, translator

from policytracker import visibility
from policytracker.changes.models import ChangeKind
from policytracker.changes.services import (
    bill_ids_of,
    change_record,
    changed_values,
    hold_change_log,
    referrers,
    visibility_snapshot,
)
from policytracker.errors import DraftDependents, RecordGone, StaleVersion
from policytracker.visibility import draft_dependents


def lock(instance: models.Model) -> models.Model:
    """A fresh copy of `instance`'s row, locked until the transaction ends."""
    model = type(instance)
    hold_change_log()  # before the row lock: see hold_change_log
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


# Translated fields (django-modeltranslation, bills/translation.py) read and write the active
# language's column: every write runs in the content's original language, English, so `title=`
# sets the English title whatever language the writer reads in (a column per language is set
# by its own name, `title_ru=`).
WRITE_LANGUAGE = settings.CONTENT_DEFAULT_LANGUAGE


def with_english_columns(record: models.Model, fields: list[str]) -> list[str]:
    """`fields` to save, with a translated field's original column and its English column
    together (`title` and `title_en` hold the same text; saving one alone would part them)."""
    try:
        translated = translator.get_options_for_model(type(record)).fields
    except NotRegistered:
        return fields
    fields = list(fields)
    for name in translated:
        english = f"{name}_{WRITE_LANGUAGE}"
        for one, other in ((name, english), (english, name)):
            if one in fields and other not in fields:
                fields.append(other)
    return fields


@transaction.atomic
@translation.override(WRITE_LANGUAGE)
def record_create(*, model: type[models.Model], values: dict, m2m: dict | None = None):
    """Create a record after full model validation (fields, uniqueness, constraints)."""
    hold_change_log()
    instance = model(**values)
    instance.full_clean()
    instance.save()
    _set_m2m(instance, m2m)
    change_record(
        instance, ChangeKind.CREATED, changed=changed_values(instance, [*values, *(m2m or {})])
    )
    return instance


@transaction.atomic
@translation.override(WRITE_LANGUAGE)
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
        fields = with_english_columns(record, [record._meta.get_field(n).attname for n in changed])
        record.version += 1
        record.save(update_fields=[*fields, "version", "updated_at"])
        names = [*changed, *(name for name in (m2m or {}) if name not in changed)]
        renamed = "slug" in changed
        change_record(
            record,
            ChangeKind.RENAMED if renamed else ChangeKind.UPDATED,
            changed=changed_values(record, names),
            old_slug=previous_slug if renamed else "",
        )
        touch_embedding(record)
    if "slug" in changed:
        # The old address keeps answering (a redirect, a filter value): stable addresses.
        from policytracker.aliases.services import slug_alias_add

        slug_alias_add(record=record, old_slug=previous_slug)
    return record


@transaction.atomic
def record_touch(*, instance: models.Model) -> None:
    """Count a new version of `instance` because something shown inside it changed (a citation,
    a stance): caches and editors holding the old version must see the change, and the change
    log records it (public when the record is: its `updated_at` moved)."""
    model = type(instance)
    hold_change_log()
    model._base_manager.filter(pk=instance.pk).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    fresh = model._base_manager.filter(pk=instance.pk).first()
    if fresh is not None:
        change_record(fresh, ChangeKind.UPDATED)


def containers(record: models.Model) -> list[models.Model]:
    """The records that show `record` as a part of them: the record a citation backs, the
    records a part without its own flag belongs to (a stance: its statement and bill), and the
    parent that declares it among its `parts` (a bill's sponsorships)."""
    rule = visibility.rule_for(type(record))
    if rule.generic_record:
        return [record.record] if record.record is not None else []
    found = []
    for name in rule.requires:
        field = record._meta.get_field(name)
        parent = getattr(record, name)
        if parent is None:
            continue
        parent_parts = visibility.rule_for(type(parent)).parts
        if not rule.has_flag or field.remote_field.get_accessor_name() in parent_parts:
            found.append(parent)
    return found


def shown_in(record: models.Model) -> list[models.Model]:
    """Records that show `record`'s content as a part: its containers, and the containers of
    the flagless parts that show it (a statement inside a bill, through the stance)."""
    found = containers(record)
    for part in referrers(record):
        if not visibility.rule_for(type(part)).has_flag:
            found += containers(part)
    return found


def embedding_records(record: models.Model, *, with_containers: bool = False) -> list:
    """Records whose representation shows `record`: those linking to it (its reference in a
    statement's speaker, a sponsorship's person, a citation's source), the records showing
    those as parts (the sponsorship inside its bill, the citation inside the cited record,
    the statement inside its bills); with `with_containers`, also the records `record` is a
    part of, and theirs. Two steps, not a closure: a reference shows only the linked record's
    own fields."""
    found: dict[tuple, models.Model] = {}
    key = (record._meta.label, record.pk)
    first = list(referrers(record))
    if with_containers:
        first += shown_in(record)
    for row in first:
        found[(row._meta.label, row.pk)] = row
    for row in first:
        for parent in shown_in(row):
            found.setdefault((parent._meta.label, parent.pk), parent)
    found.pop(key, None)
    return list(found.values())


def touch_embedding(record: models.Model, *, skip: frozenset = frozenset()) -> None:
    """Count a new version of every record that shows `record` inside it (a renamed person in
    a statement's speaker, a published source in the cited records)."""
    for other in embedding_records(record):
        if (other._meta.label, other.pk) not in skip:
            record_touch(instance=other)


@transaction.atomic
def record_delete(*, instance: models.Model, expected_version: int | None = None) -> None:
    """Delete the record (Django's on_delete rules apply: PROTECT refuses, CASCADE follows)."""
    record = lock(instance)
    check_version(record, expected_version)
    # Everything the deletion takes with it (cascades) leaves a tombstone; what it unlinks
    # (SET_NULL) is a change of that record.
    collector = Collector(using=record._state.db)
    collector.collect([record])
    gone = [row for rows in collector.data.values() for row in rows]
    for queryset in collector.fast_deletes:
        gone += list(queryset)
    gone = [row for row in gone if _logged(row)]
    for row in gone:
        row._change_log_pk = row.pk
    before = [(row, visibility.is_public(row), bill_ids_of(row)) for row in gone]
    unlinked = [
        row
        for (field, _value), rows in collector.field_updates.items()
        for row in (rows if not isinstance(rows, models.QuerySet) else list(rows))
        if _logged(row)
    ]
    embedding = {
        (other._meta.label, other.pk): other for row in gone for other in embedding_records(row)
    }
    record.delete()
    gone_keys = {(row._meta.label, row._change_log_pk) for row, _, _ in before}
    for row, was_public, bill_ids in before:
        row.pk = row._change_log_pk  # Django clears a deleted instance's pk
        change_record(row, ChangeKind.DELETED, public=was_public, bill_ids=bill_ids)
    for row in unlinked:
        if (row._meta.label, row.pk) not in gone_keys:
            record_touch(instance=row)
            gone_keys.add((row._meta.label, row.pk))
    for key, other in embedding.items():
        if key not in gone_keys:
            record_touch(instance=other)


def _logged(row: models.Model) -> bool:
    # The audit history and many-to-many link rows are not records of their own.
    try:
        visibility.rule_for(type(row))
    except Exception:
        return False
    return True


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
    dependents = []
    if published:
        dependents = draft_dependents(record)
        if dependents and not with_dependents:
            raise DraftDependents(record=record, dependents=dependents)
    before = visibility_snapshot([record, *dependents])
    for dependent in dependents:
        changed += _set_flag(lock(dependent), True)
    changed = _set_flag(record, published) + changed
    _log_visibility(before, flagged={(row._meta.label, row.pk) for row in changed})
    return changed


def _set_flag(record: models.Model, published: bool) -> list[models.Model]:
    if record.is_published == published:
        return []
    record.is_published = published
    record.version += 1
    # Saved (not bulk-updated) so the change lands in the audit history with its author.
    record.save(update_fields=["is_published", "version", "updated_at"])
    return [record]


def _log_visibility(before: dict, *, flagged: set) -> None:
    """Log what a publish or unpublish changed: each record whose own flag moved, and each whose
    public visibility followed (a bill's sponsorships, a source's citations); then count a new
    version of the records showing those (a published source inside the records citing it)."""
    flipped = []
    for key, (row, was_public) in before.items():
        fresh = type(row)._base_manager.filter(pk=row.pk).first()
        if fresh is None:
            continue
        now_public = visibility.is_public(fresh)
        if now_public != was_public:
            if key not in flagged:
                # Public (or hidden) now without its own change: `updated_since` and
                # Last-Modified must still see it move.
                type(row)._base_manager.filter(pk=row.pk).update(
                    version=F("version") + 1, updated_at=timezone.now()
                )
                fresh.refresh_from_db()
            event = ChangeKind.PUBLISHED if now_public else ChangeKind.UNPUBLISHED
            change_record(fresh, event, public=True)
            flipped.append(fresh)
        elif key in flagged:
            event = ChangeKind.PUBLISHED if fresh.is_published else ChangeKind.UNPUBLISHED
            change_record(fresh, event, public=False)
    skip = frozenset(before)
    touched: set = set()
    for row in flipped:
        for other in embedding_records(row, with_containers=True):
            key = (other._meta.label, other.pk)
            if key not in skip and key not in touched:
                touched.add(key)
                record_touch(instance=other)


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
