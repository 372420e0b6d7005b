"""Writes of slug aliases. Called by the generic update mechanics (a slug changed) and by
merges; nothing else writes them.

Rule: a record that takes a slug which is an alias of a record of the same model takes it over
(the alias is dropped), so an alias never competes with a current slug."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from policytracker.aliases.models import SlugAlias


def _aliases_of(model: type[models.Model]):
    return SlugAlias.objects.filter(content_type=ContentType.objects.get_for_model(model))


@transaction.atomic
def slug_alias_add(*, record: models.Model, old_slug: str) -> SlugAlias | None:
    """Keep `old_slug` as an address of `record` (whose current slug is already the new one).

    An alias with that slug of another record of the model moves to `record` (the slug was
    that record's once, but `record` held it last); an alias equal to the record's new slug
    is dropped, the record having taken it."""
    aliases = _aliases_of(type(record))
    # select_for_update: two renames to and from the same slug serialize here.
    taken = aliases.select_for_update().filter(slug=record.slug)
    for alias in taken:
        alias.delete()
    if not old_slug or old_slug == record.slug:
        return None
    alias = aliases.select_for_update().filter(slug=old_slug).first()
    if alias is None:
        return SlugAlias.objects.create(
            content_type=ContentType.objects.get_for_model(record),
            record_id=record.pk,
            slug=old_slug,
        )
    if alias.record_id != record.pk:
        alias.record_id = record.pk
        alias.version += 1
        alias.save(update_fields=["record_id", "version", "updated_at"])
    return alias


@transaction.atomic
def slug_aliases_move(*, from_record: models.Model, to_record: models.Model) -> int:
    """Make every alias of `from_record` an alias of `to_record` (a merge); an alias equal to
    `to_record`'s slug is dropped. Returns how many aliases now lead to `to_record`."""
    if type(from_record) is not type(to_record):
        raise TypeError("Aliases move only between records of one model.")
    moved = 0
    aliases = _aliases_of(type(from_record)).select_for_update()
    for alias in aliases.filter(record_id=from_record.pk):
        if alias.slug == to_record.slug:
            alias.delete()
            continue
        alias.record_id = to_record.pk
        alias.version += 1
        alias.save(update_fields=["record_id", "version", "updated_at"])
        moved += 1
    return moved
