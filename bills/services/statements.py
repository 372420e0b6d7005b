"""Writes for events and statements. A statement cites at least one source from its creation
on, and the stances it takes are part of it (a changed stance is a changed statement)."""

from django.db import transaction

from bills.models import Bill, Event, Statement, StatementBill, Topic
from policytracker.services import (
    lock,
    record_create,
    record_delete,
    record_set_published,
    record_touch,
    record_update,
)
from sources.services import check_keeps_citation, citations_add

# -- events ----------------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, values: dict, citations: list[dict] = ()) -> Event:
    """Create a draft event."""
    event = record_create(model=Event, values=values)
    citations_add(record=event, citations=list(citations), touch=False)
    return event


def event_update(*, event: Event, values: dict, expected_version: int | None = None) -> Event:
    return record_update(instance=event, values=values, expected_version=expected_version)


def event_delete(*, event: Event, expected_version: int | None = None) -> None:
    """Delete an event; the statements made there stay, without an event."""
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


def _set_stances(statement: Statement, stances: list[tuple[Bill, str]]) -> bool:
    """Make the statement's stances exactly `stances`; return whether anything changed."""
    wanted = {bill.pk: stance for bill, stance in stances}
    current = {link.bill_id: link for link in statement.bill_links.all()}
    changed = False
    for bill, stance in stances:
        link = current.get(bill.pk)
        if link is None:
            record_create(
                model=StatementBill, values={"statement": statement, "bill": bill, "stance": stance}
            )
            changed = True
        elif link.stance != stance:
            record_update(instance=link, values={"stance": stance})
            changed = True
    for bill_id, link in current.items():
        if bill_id not in wanted:
            record_delete(instance=link)
            changed = True
    return changed


@transaction.atomic
def statement_create(
    *,
    values: dict,
    citations: list[dict],
    topics: list[Topic] | None = None,
    stances: list[tuple[Bill, str]] | None = None,
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
    stances: list[tuple[Bill, str]] | None = None,
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
    *, statement: Statement, bill: Bill, stance: str, expected_version: int | None = None
) -> Statement:
    """Set (or add) the stance a statement takes toward one bill."""
    statement = lock(statement)
    others = [(link.bill, link.stance) for link in statement.bill_links.exclude(bill=bill)]
    return statement_update(
        statement=statement,
        values={},
        stances=[*others, (bill, stance)],
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
