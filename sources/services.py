"""Writes and rules for sources and citations."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from policytracker.writes import record_create, record_update
from sources.models import Citation, Source

LAST_REQUIRED_CITATION = "A {record} must keep at least one source; add another one first."


def source_register(*, values: dict) -> Source:
    """Register a source document; its URL is unique (a duplicate is a conflict)."""
    return record_create(model=Source, values=values)


def source_update(*, source: Source, values: dict) -> Source:
    return record_update(instance=source, values=values)


def content_type_of(record: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(record)


def citation_add(*, record: models.Model, source: Source, **values) -> Citation:
    """Cite `source` for `record`; a contradicting citation must state the conflicting claim."""
    return record_create(
        model=Citation,
        values={
            "content_type": ContentType.objects.get_for_model(record),
            "object_id": record.pk,
            "source": source,
            **values,
        },
    )


def citations_add(*, record: models.Model, citations: list[dict]) -> list[Citation]:
    return [citation_add(record=record, **citation) for citation in citations]


def citation_update(*, citation: Citation, values: dict) -> Citation:
    return record_update(instance=citation, values=values)


@transaction.atomic
def citation_delete(*, citation: Citation) -> None:
    """Remove a citation, unless it is the last one of a record that requires a source."""
    record_model = citation.content_type.model_class()
    if getattr(record_model, "requires_citation", False):
        remaining = (
            Citation.objects.select_for_update()
            .filter(content_type=citation.content_type, object_id=citation.object_id)
            .count()
        )
        if remaining <= 1:
            raise ValidationError(
                {"source": LAST_REQUIRED_CITATION.format(record=record_model._meta.verbose_name)}
            )
    citation.delete()
