"""The sources behind each fact on a page: every citation of the page's records read in one
query, grouped by record, with the conflicting claims worded for the reader."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Model, Q
from django.utils.translation import gettext_lazy, ngettext

from site_pages.formatting import precise_date
from sources.models import Citation

# Reader-facing names of the fields citations back most often; others use the field's own name.
FIELD_NAMES = {
    "given_name": gettext_lazy("given name"),
    "family_name": gettext_lazy("family name"),
    "name": gettext_lazy("name"),
    "occurred_on": gettext_lazy("date"),
    "said_on": gettext_lazy("date"),
    "starts_on": gettext_lazy("date"),
    "law_number": gettext_lazy("law number"),
    "in_force_on": gettext_lazy("entry into force"),
    "signed_on": gettext_lazy("signing date"),
    "introduced_on": gettext_lazy("introduction date"),
    "title": gettext_lazy("title"),
}


@dataclass
class Conflict:
    """A source that contradicts the record, with how many others back what is shown."""

    citation: Citation
    field: str
    recorded: str
    supporters: int

    @property
    def sentence(self) -> str:
        """E.g. "astr.ru gives the given name as Nurgali; 2 other sources give Nurlan"."""
        publisher = self.citation.source.publisher or self.citation.source.title
        values = {
            "publisher": publisher,
            "claim": self.citation.claimed_value,
            "recorded": self.recorded,
            "count": self.supporters,
            "field": self.field,
        }
        if self.recorded:
            return (
                ngettext(
                    "%(publisher)s gives the %(field)s as “%(claim)s”; %(count)d other source "
                    "gives “%(recorded)s”.",
                    "%(publisher)s gives the %(field)s as “%(claim)s”; %(count)d other sources "
                    "give “%(recorded)s”.",
                    self.supporters,
                )
                % values
            )
        return (
            ngettext(
                "%(publisher)s says “%(claim)s”; %(count)d other source supports what is "
                "shown here.",
                "%(publisher)s says “%(claim)s”; %(count)d other sources support what is "
                "shown here.",
                self.supporters,
            )
            % values
        )


@dataclass
class Evidence:
    """The citations of one record: those that support it and those that contradict it."""

    supporting: list[Citation] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def citations(self) -> list[Citation]:
        return self.supporting + [conflict.citation for conflict in self.conflicts]

    def __bool__(self) -> bool:
        return bool(self.supporting or self.conflicts)


def _key(model_or_obj) -> tuple[str, str]:
    meta = model_or_obj._meta
    return meta.app_label, meta.model_name


def _recorded_value(record: Model, field_name: str) -> str:
    """The record's own value of the field a source contradicts, worded for the reader."""
    if not field_name or not hasattr(record, field_name):
        return ""
    value = getattr(record, field_name)
    if isinstance(value, datetime.date):
        # A date field `<stem>_on` keeps its precision in `<stem>_precision`.
        stem = field_name.removesuffix("_on")
        return precise_date(value, getattr(record, f"{stem}_precision", "day"))
    return "" if value in (None, "") else str(value)


def _evidence(record: Model, citations: list[Citation]) -> Evidence:
    evidence = Evidence()
    for citation in citations:
        if citation.is_conflict:
            continue
        evidence.supporting.append(citation)
    for citation in citations:
        if not citation.is_conflict:
            continue
        name = citation.field_name
        supporters = {c.source_id for c in evidence.supporting if c.field_name in (name, "")} - {
            citation.source_id
        }
        label = FIELD_NAMES.get(name)
        if label is None and name:
            label = name.replace("_", " ")
        evidence.conflicts.append(
            Conflict(
                citation=citation,
                field=str(label or ""),
                recorded=_recorded_value(record, name),
                supporters=len(supporters),
            )
        )
    return evidence


def evidence_for(records: Iterable[Model]) -> dict[tuple[str, str, int], Evidence]:
    """Evidence of every record given, keyed by `evidence_key(record)`, from one query. The
    records have passed the gate already; a citation is shown only when its source is public."""
    records = [record for record in records if record is not None]
    ids: dict[tuple[str, str], set[int]] = defaultdict(set)
    for record in records:
        ids[_key(record)].add(record.pk)
    if not ids:
        return {}
    condition = Q()
    for (app_label, model), pks in ids.items():
        condition |= Q(
            content_type__app_label=app_label, content_type__model=model, object_id__in=pks
        )
    rows = (
        Citation.objects.under_visible_record(see_drafts=False)
        .filter(condition)
        .select_related("source", "content_type")
        .order_by("source__published_on", "pk")
    )
    grouped: dict[tuple[str, str, int], list[Citation]] = defaultdict(list)
    for citation in rows:
        content_type = citation.content_type
        grouped[(content_type.app_label, content_type.model, citation.object_id)].append(citation)
    return {
        evidence_key(record): _evidence(record, grouped.get(evidence_key(record), []))
        for record in records
    }


def evidence_key(record: Model) -> tuple[str, str, int]:
    return (*_key(record), record.pk)


def attach(records: Iterable[Model]) -> None:
    """Set `record.evidence` on each record (what the templates' source disclosures read)."""
    records = [record for record in records if record is not None]
    found = evidence_for(records)
    for record in records:
        record.evidence = found.get(evidence_key(record), Evidence())
