"""Writes and rules for sources and citations.

Rules: a citation backs an existing record of a citable kind, and names a real field of it (or
none, for the whole record); a record that must cite a source keeps at least one; every citation
change counts as a change of the record it backs.
"""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from policytracker import visibility
from policytracker.services import (
    containers,
    lock,
    record_create,
    record_delete,
    record_set_published,
    record_touch,
    record_update,
)
from sources.models import CITATION_REQUIRED, Citation, Source

LAST_REQUIRED_CITATION = "A {record} must keep at least one source; add another one first."
NEEDS_CITATION = "A {record} must cite at least one source (the excerpt that proves it)."
NOT_CITABLE = "Not a citable kind of record. Citable: {kinds}."
NO_SUCH_RECORD = "No {record} with id {id}."
NO_SUCH_FIELD = "'{field}' is not a field of a {record}. Fields: {fields}."
# Bookkeeping columns are not facts a source can back.
UNCITABLE_FIELDS = frozenset({"id", "created_at", "updated_at", "version", "is_published"})


# -- sources -----------------------------------------------------------------------------------


def source_register(*, values: dict) -> Source:
    """Register a draft source document; its URL is unique (a duplicate is a conflict)."""
    return record_create(model=Source, values=values)


def source_update(*, source: Source, values: dict, expected_version: int | None = None) -> Source:
    """Change a source's fields (checked against the caller's version)."""
    return record_update(instance=source, values=values, expected_version=expected_version)


def source_delete(*, source: Source, expected_version: int | None = None) -> None:
    """Delete a source; refused (ProtectedError) while citations still rest on it."""
    record_delete(instance=source, expected_version=expected_version)


def source_publish(*, source: Source, expected_version: int | None = None) -> list:
    """Make a source public (a source depends on nothing)."""
    return record_set_published(record=source, published=True, expected_version=expected_version)


def source_unpublish(*, source: Source, expected_version: int | None = None) -> list:
    """Hide a source again; the citations resting on it disappear from public view."""
    return record_set_published(record=source, published=False, expected_version=expected_version)


# -- citations: the rules -------------------------------------------------------------------------


def citable_kinds() -> dict[str, type[models.Model]]:
    """Citable models by their model name (bill, statement, person, …)."""
    return {model._meta.model_name: model for model in visibility.citable_models()}


def citation_target(*, content_type: ContentType, object_id: int, field_name: str = ""):
    """The record a citation would back, after checking it exists, is of a citable kind and
    that `field_name` is one of its fields. Raises ValidationError naming the wrong part."""
    kinds = citable_kinds()
    model = content_type.model_class() if content_type else None
    if model not in kinds.values():
        raise ValidationError({"content_type": NOT_CITABLE.format(kinds=", ".join(sorted(kinds)))})
    record = model._base_manager.filter(pk=object_id).first()
    if record is None:
        name = model._meta.verbose_name
        raise ValidationError({"object_id": NO_SUCH_RECORD.format(record=name, id=object_id)})
    check_cited_field(model=model, field_name=field_name)
    return record


def check_cited_field(*, model: type[models.Model], field_name: str) -> None:
    if not field_name:
        return
    fields = sorted(
        field.name
        for field in model._meta.concrete_fields
        if field.name not in UNCITABLE_FIELDS and not field.generated
    )
    if field_name not in fields:
        raise ValidationError(
            {
                "field_name": NO_SUCH_FIELD.format(
                    field=field_name, record=model._meta.verbose_name, fields=", ".join(fields)
                )
            }
        )


def check_keeps_citation(
    *,
    model: type[models.Model],
    remaining: int,
    creating: bool = False,
    record: models.Model | None = None,
    field: str = "sources",
):
    """Refuse to leave a record that must cite a source with none (`record`, when given, is
    asked whether its model's requirement applies to it: a stance other than 'unclear')."""
    requirement = CITATION_REQUIRED.get(model)
    if requirement is None or remaining >= 1 or not requirement.applies(record):
        return
    name = f"{model._meta.verbose_name}{requirement.which}"
    message = NEEDS_CITATION if creating else LAST_REQUIRED_CITATION
    raise ValidationError({field: message.format(record=name)})


# -- citations: the writes ------------------------------------------------------------------------


def touch_cited(record: models.Model) -> None:
    """Count a new version of a record whose citations changed, and of the records it is shown
    inside when it has no page of its own (a stance: its statement and its bill), so their
    versions and the change feed move with the excerpt."""
    record_touch(instance=record)
    if not visibility.rule_for(type(record)).has_flag:
        for container in containers(record):
            record_touch(instance=container)


@transaction.atomic
def citation_add(*, record: models.Model, source: Source, touch: bool = True, **values) -> Citation:
    """Cite `source` for `record` (a contradicting citation states the conflicting claim).

    The record counts a new version, except while its own creation is under way (`touch`)."""
    content_type = ContentType.objects.get_for_model(record)
    citation_target(
        content_type=content_type, object_id=record.pk, field_name=values.get("field_name", "")
    )
    citation = record_create(
        model=Citation,
        values={"content_type": content_type, "object_id": record.pk, "source": source, **values},
    )
    if touch:
        touch_cited(record)
    return citation


def citations_add(
    *, record: models.Model, citations: list[dict], touch: bool = True
) -> list[Citation]:
    """Add several citations to one record (each as `citation_add`); the record counts one new
    version for the batch."""
    added = [citation_add(record=record, touch=False, **citation) for citation in citations]
    if touch and added:
        touch_cited(record)
    return added


@transaction.atomic
def citation_update(
    *, citation: Citation, values: dict, expected_version: int | None = None
) -> Citation:
    """Change a citation; moving it to another record checks the new target and that the old
    record keeps a source if it must."""
    current = lock(citation)
    content_type = values.get("content_type", current.content_type)
    object_id = values.get("object_id", current.object_id)
    target = citation_target(
        content_type=content_type,
        object_id=object_id,
        field_name=values.get("field_name", current.field_name),
    )
    moved = (content_type.pk, object_id) != (current.content_type_id, current.object_id)
    if moved:
        _check_removal([current])
    updated = record_update(instance=current, values=values, expected_version=expected_version)
    touch_cited(target)
    if moved and current.record is not None:
        touch_cited(current.record)
    return updated


@transaction.atomic
def citation_remove(*, citation: Citation, expected_version: int | None = None) -> None:
    """Remove a citation, unless it is the last one of a record that must cite a source."""
    citations_remove(citations=[citation], expected_versions={citation.pk: expected_version})


@transaction.atomic
def citations_remove(
    *, citations: list[Citation], expected_versions: dict[int, int | None] | None = None
) -> None:
    """Remove several citations at once; refused whole if any record would lose its last
    required source."""
    locked = [lock(citation) for citation in citations]
    _check_removal(locked)
    records = {(c.content_type_id, c.object_id): c.record for c in locked}
    for citation in locked:
        expected = (expected_versions or {}).get(citation.pk)
        record_delete(instance=citation, expected_version=expected)
    for record in records.values():
        if record is not None:
            touch_cited(record)


def citation_removal_refusals(*, citations: list[Citation]) -> list[tuple[models.Model, str]]:
    """Why removing `citations` together would break a rule, per cited record (empty: it would
    not). Read-only: the admin's confirmation page asks it before a curator confirms."""
    refusals = []
    leaving = Counter((c.content_type_id, c.object_id) for c in citations)
    for (content_type_id, object_id), count in leaving.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model not in CITATION_REQUIRED:
            continue
        cited = Citation.objects.filter(content_type_id=content_type_id, object_id=object_id)
        record = model._base_manager.filter(pk=object_id).first()
        try:
            check_keeps_citation(model=model, remaining=cited.count() - count, record=record)
        except ValidationError as error:
            refusals.append((record, " ".join(error.messages)))
    return refusals


def _check_removal(citations: list[Citation]) -> None:
    # Lock the cited records first: two removals racing for a record's last citations queue
    # here, and the second counts what the first left.
    for content_type_id, object_id in {(c.content_type_id, c.object_id) for c in citations}:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model in CITATION_REQUIRED:
            list(model._base_manager.select_for_update().filter(pk=object_id).values("pk"))
    refusals = citation_removal_refusals(citations=citations)
    if refusals:
        raise ValidationError({"sources": sorted({message for _, message in refusals})})
