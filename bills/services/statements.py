"""Writes for events and statements. A statement cites at least one source from its creation
on, and the stances it takes are part of it (a changed stance is a changed statement)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from bills.models import Bill, Event, Stance, Statement, StatementBill, Topic
from policytracker.services import (
    lock,
    record_create,
    record_delete,
    record_set_published,
    record_touch,
    record_update,
)
from sources.models import Citation
from sources.services import check_keeps_citation, citation_add, citations_add

# -- events ----------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, values: dict, citations: list[dict] = ()) -> Event:
    """Create a draft event."""
    event = record_create(model=Event, values=values)
    citations_add(record=event, citations=list(citations), touch=False)
    return event


def event_update(*, event: Event, values: dict, expected_version: int | None = None) -> Event:
    return record_update(instance=event, values=values, expected_version=expected_version)


@transaction.atomic
def event_delete(*, event: Event, expected_version: int | None = None) -> None:
    """Delete an event; the statements made there stay, without an event (and so without a
    position in its order)."""
    for statement in event.statements.exclude(sequence=None):
        record_update(instance=statement, values={"sequence": None})
    record_delete(instance=event, expected_version=expected_version)


def event_publish(
    *, event: Event, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    return record_set_published(
        record=event,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def event_unpublish(*, event: Event, expected_version: int | None = None) -> list:
    return record_set_published(record=event, published=False, expected_version=expected_version)


# -- statements ----------------------------------------------------------------------------------


STANCE_NEEDS_SOURCE = (
    "The stance '{stance}' toward bill '{bill}' needs a source: cite the excerpt that shows it, "
    "or make the stance 'unclear'."
)

# One stance as the services take it: (bill, stance) keeps the link's citations as they are;
# (bill, stance, citations) makes them exactly `citations` (dicts as `citation_add` takes).
StanceClaim = tuple[Bill, str] | tuple[Bill, str, list[dict] | None]


def _citation_key(values: dict) -> tuple:
    source = values["source"]
    return (getattr(source, "pk", source), values.get("field_name", ""), values["excerpt"].strip())


def _set_link_citations(link: StatementBill, citations: list[dict]) -> bool:
    """Make the stance's citations exactly `citations` (matched on source, field and excerpt;
    the other values of a kept one are updated); return whether anything changed."""
    current = {(c.source_id, c.field_name, c.excerpt): c for c in Citation.objects.for_object(link)}
    wanted = {_citation_key(values): values for values in citations}
    changed = False
    for key, values in wanted.items():
        citation = current.get(key)
        if citation is None:
            citation_add(record=link, touch=False, **values)
            changed = True
            continue
        others = {
            name: value
            for name, value in values.items()
            if name not in {"source", "field_name", "excerpt"} and getattr(citation, name) != value
        }
        if others:
            record_update(instance=citation, values=others)
            changed = True
    for key, citation in current.items():
        if key not in wanted:
            record_delete(instance=citation)
            changed = True
    return changed


def _check_stance_cited(link: StatementBill) -> None:
    if link.stance == Stance.UNCLEAR or Citation.objects.for_object(link).exists():
        return
    message = STANCE_NEEDS_SOURCE.format(stance=link.stance, bill=link.bill.slug)
    raise ValidationError({"bills": message})


def _set_stances(statement: Statement, stances: list[StanceClaim]) -> bool:
    """Make the statement's stances exactly `stances`; return whether anything changed. A
    stance other than 'unclear' must end up citing a source (errors name `bills`)."""
    wanted = {item[0].pk: item for item in stances}
    current = {link.bill_id: link for link in statement.bill_links.select_related("bill")}
    changed_bills = []
    for bill, stance, *rest in wanted.values():
        citations = rest[0] if rest else None
        link = current.get(bill.pk)
        changed = False
        if link is None:
            link = record_create(
                model=StatementBill, values={"statement": statement, "bill": bill, "stance": stance}
            )
            changed = True
        elif link.stance != stance:
            link = record_update(instance=link, values={"stance": stance})
            changed = True
        if citations is not None and _set_link_citations(link, list(citations)):
            changed = True
        if changed:
            _check_stance_cited(link)
            changed_bills.append(bill)
    for bill_id, link in current.items():
        if bill_id not in wanted:
            changed_bills.append(link.bill)
            record_delete(instance=link)
    # A bill shows the public stances taken toward it (include=statements): it changes with them.
    if statement.is_published:
        for bill in changed_bills:
            record_touch(instance=bill)
    return bool(changed_bills)


@transaction.atomic
def statement_create(
    *,
    values: dict,
    citations: list[dict],
    topics: list[Topic] | None = None,
    stances: list[StanceClaim] | None = None,
) -> Statement:
    """Create a draft statement; it must cite at least one source."""
    check_keeps_citation(model=Statement, remaining=len(citations), creating=True)
    statement = record_create(model=Statement, values=values, m2m={"topics": topics or []})
    citations_add(record=statement, citations=citations, touch=False)
    _set_stances(statement, stances or [])
    return statement


@transaction.atomic
def statement_update(
    *,
    statement: Statement,
    values: dict,
    topics: list[Topic] | None = None,
    stances: list[StanceClaim] | None = None,
    expected_version: int | None = None,
) -> Statement:
    """Update a statement; `stances`, when given, replaces the bills it concerns."""
    m2m = {"topics": topics} if topics is not None else None
    statement = record_update(
        instance=statement, values=values, m2m=m2m, expected_version=expected_version
    )
    if stances is not None and _set_stances(statement, stances):
        record_touch(instance=statement)
    return statement


@transaction.atomic
def statement_set_stance(
    *,
    statement: Statement,
    bill: Bill,
    stance: str,
    citations: list[dict] | None = None,
    expected_version: int | None = None,
) -> Statement:
    """Set (or add) the stance a statement takes toward one bill; `citations`, when given,
    become the stance's sources (a stance other than 'unclear' must have one)."""
    statement = lock(statement)
    others = [(link.bill, link.stance) for link in statement.bill_links.exclude(bill=bill)]
    return statement_update(
        statement=statement,
        values={},
        stances=[*others, (bill, stance, citations)],
        expected_version=expected_version,
    )


@transaction.atomic
def statement_remove_stance(
    *, statement: Statement, bill: Bill, expected_version: int | None = None
) -> Statement:
    """Stop linking a statement to one bill."""
    statement = lock(statement)
    others = [(link.bill, link.stance) for link in statement.bill_links.exclude(bill=bill)]
    return statement_update(
        statement=statement, values={}, stances=others, expected_version=expected_version
    )


def statement_delete(*, statement: Statement, expected_version: int | None = None) -> None:
    """Delete a statement with its stances and citations."""
    record_delete(instance=statement, expected_version=expected_version)


def statement_publish(
    *, statement: Statement, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    """Make a statement public; refused while its speaker, event, bills or sources are drafts,
    unless `with_dependents` publishes them with it."""
    return record_set_published(
        record=statement,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def statement_unpublish(*, statement: Statement, expected_version: int | None = None) -> list:
    return record_set_published(
        record=statement, published=False, expected_version=expected_version
    )
