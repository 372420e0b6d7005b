"""Whether a person's name is disputed, shown wherever the name is (a person, and every
reference to one: a statement's speaker, a sponsor, a post's holder).

A name is disputed when a conflicting name is recorded for the person (`other_names` of kind
`conflicting`, each with its sources) or a source contradicts one of the name fields (a
`contradicts` citation on `name`, `given_name` or `family_name`). `disputed_names` lists the
conflicting names with their sources, as `{id, url, title, excerpt}`.

Three spellings of one rule, held equal by tests/test_lean.py and tests/test_lean_records.py:
`name_dispute` for a loaded person (the serializers), `dispute_fields` as SQL expressions for
the documents PostgreSQL writes, and `dispute_column` + `dispute_of` for the Python lean pages
(one column of the page query: no query per row, none per page).
"""

import orjson
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from bills.models import Person, PersonName, PersonNameKind
from policytracker.json_sql import AsText, JSONRow, json_list
from sources.models import Citation, CitationRelation

NAME_FIELDS = ("name", "given_name", "family_name")
NO_DISPUTE = {"name_disputed": False, "disputed_names": []}


def _conflicting_names(*, see_drafts: bool):
    names = PersonName.objects.visible(see_drafts=see_drafts)
    return names.filter(kind=PersonNameKind.CONFLICTING).order_by("name", "pk")


def _citations(model, *, see_drafts: bool):
    content_type = ContentType.objects.get_for_model(model)
    citations = Citation.objects.under_visible_record(see_drafts=see_drafts)
    return citations.filter(content_type_id=content_type.pk).order_by("pk")


def _contradicted_name(*, see_drafts: bool):
    citations = _citations(Person, see_drafts=see_drafts)
    return citations.filter(relation=CitationRelation.CONTRADICTS, field_name__in=NAME_FIELDS)


# -- a loaded person (serializers) -------------------------------------------------------------


def name_dispute(person: Person | None, *, see_drafts: bool) -> dict:
    """`{name_disputed, disputed_names}` of a loaded person."""
    if person is None:
        return dict(NO_DISPUTE)
    names = list(_conflicting_names(see_drafts=see_drafts).filter(person_id=person.pk))
    sources = {}
    for citation in (
        _citations(PersonName, see_drafts=see_drafts)
        .filter(object_id__in=[name.pk for name in names])
        .select_related("source")
    ):
        sources.setdefault(citation.object_id, []).append(_cited(citation))
    disputed = bool(names) or (
        _contradicted_name(see_drafts=see_drafts).filter(object_id=person.pk).exists()
    )
    return {
        "name_disputed": disputed,
        "disputed_names": [
            {"name": name.name, "sources": sources.get(name.pk, [])} for name in names
        ],
    }


def _cited(citation: Citation) -> dict:
    source = citation.source
    return {"id": source.pk, "url": source.url, "title": source.title, "excerpt": citation.excerpt}


# -- SQL (documents and lean pages) ------------------------------------------------------------


def dispute_fields(person_key: str, *, see_drafts: bool) -> dict:
    """The two fields as expressions over a row whose `person_key` is the person's id."""
    names = _conflicting_names(see_drafts=see_drafts).filter(person_id=OuterRef(person_key))
    contradicted = _contradicted_name(see_drafts=see_drafts).filter(object_id=OuterRef(person_key))
    name_sources = _citations(PersonName, see_drafts=see_drafts).filter(object_id=OuterRef("pk"))
    cited = JSONRow(id="source_id", url="source__url", title="source__title", excerpt="excerpt")
    return {
        "name_disputed": ExpressionWrapper(
            Q(Exists(names)) | Q(Exists(contradicted)), output_field=BooleanField()
        ),
        "disputed_names": json_list(
            names, JSONRow(name="name", sources=json_list(name_sources, cited))
        ),
    }


def dispute_column(person_key: str, *, see_drafts: bool) -> AsText:
    """Both fields as one JSON text column of a lean page's query (read with `dispute_of`)."""
    return AsText(JSONRow(**dispute_fields(person_key, see_drafts=see_drafts)))


def dispute_of(row: dict, column: str) -> dict:
    text = row.get(column)
    return orjson.loads(text) if text else dict(NO_DISPUTE)
