"""Writes for bills, their packages, topics, identifiers, relations, sponsorships and actions.

A bill's `status` is not among the writable values: it changes only through
`bills.services.status.bill_change_status`. Every update takes the caller's `expected_version`.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Sponsorship,
    Topic,
)
from policytracker.services import (
    record_create,
    record_delete,
    record_set_published,
    record_touch,
    record_update,
)
from sources.services import citations_add

STATUS_NOT_WRITABLE = "The status changes only by recording a status change (an action)."
ACTION_FIELD_FIXED = (
    "Status history is kept as recorded: only the description of an action can be edited."
)
EDITABLE_ACTION_FIELDS = frozenset({"description"})


def _refuse_status(values: dict) -> None:
    for name in ("status", "status_changed_on", "status_changed_precision"):
        if name in values:
            raise ValidationError({name: STATUS_NOT_WRITABLE})


# -- bills ---------------------------------------------------------------------------------------


@transaction.atomic
def bill_create(
    *, values: dict, topics: list[Topic] | None = None, citations: list[dict] = ()
) -> Bill:
    """Create a draft bill with its topics and sources; it has no status until an action."""
    _refuse_status(values)
    bill = record_create(model=Bill, values=values, m2m={"topics": topics or []})
    citations_add(record=bill, citations=list(citations), touch=False)
    return bill


def bill_update(
    *,
    bill: Bill,
    values: dict,
    topics: list[Topic] | None = None,
    expected_version: int | None = None,
) -> Bill:
    """Change a bill's curated fields and, when given, its topics."""
    _refuse_status(values)
    m2m = {"topics": topics} if topics is not None else None
    return record_update(instance=bill, values=values, m2m=m2m, expected_version=expected_version)


def bill_delete(*, bill: Bill, expected_version: int | None = None) -> None:
    """Delete a bill with its history, sponsorships and stances."""
    record_delete(instance=bill, expected_version=expected_version)


def bill_publish(
    *, bill: Bill, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    """Make a bill public; refused while its sponsors, sources or references are drafts,
    unless `with_dependents` publishes them with it."""
    return record_set_published(
        record=bill,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def bill_unpublish(*, bill: Bill, expected_version: int | None = None) -> list:
    """Hide a bill (and with it its actions, sponsorships and stances) from the public."""
    return record_set_published(record=bill, published=False, expected_version=expected_version)


# -- status history ------------------------------------------------------------------------------


@transaction.atomic
def bill_action_update(
    *, action: BillAction, values: dict, expected_version: int | None = None
) -> BillAction:
    """Edit an action's description; the rest of the history stays as recorded."""
    for name in values:
        if name not in EDITABLE_ACTION_FIELDS:
            raise ValidationError({name: ACTION_FIELD_FIXED})
    version = action.version
    action = record_update(instance=action, values=values, expected_version=expected_version)
    if action.version != version:
        _touch_bill_of(action)
    return action


def _touch_bill_of(part) -> None:
    """A bill shows its actions and sponsorships (`include=`): their change is the bill's."""
    record_touch(instance=part.bill)


# -- packages and topics ---------------------------------------------------------------------------


@transaction.atomic
def package_create(*, values: dict, citations: list[dict] = ()) -> BillPackage:
    """Create a draft package of bills."""
    package = record_create(model=BillPackage, values=values)
    citations_add(record=package, citations=list(citations), touch=False)
    return package


def package_update(
    *, package: BillPackage, values: dict, expected_version: int | None = None
) -> BillPackage:
    return record_update(instance=package, values=values, expected_version=expected_version)


def package_delete(*, package: BillPackage, expected_version: int | None = None) -> None:
    """Delete a package; its bills stay, without a package."""
    record_delete(instance=package, expected_version=expected_version)


def package_publish(
    *, package: BillPackage, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    return record_set_published(
        record=package,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def package_unpublish(*, package: BillPackage, expected_version: int | None = None) -> list:
    return record_set_published(record=package, published=False, expected_version=expected_version)


def topic_create(*, values: dict) -> Topic:
    """Add a subject to the controlled vocabulary (public at once: it holds no facts)."""
    return record_create(model=Topic, values=values)


def topic_update(*, topic: Topic, values: dict, expected_version: int | None = None) -> Topic:
    return record_update(instance=topic, values=values, expected_version=expected_version)


def topic_delete(*, topic: Topic, expected_version: int | None = None) -> None:
    record_delete(instance=topic, expected_version=expected_version)


# -- identifiers and relations (parts of a bill: a change is a change of the bill) ---------------


@transaction.atomic
def bill_identifier_create(*, values: dict) -> BillIdentifier:
    identifier = record_create(model=BillIdentifier, values=values)
    record_touch(instance=identifier.bill)
    return identifier


@transaction.atomic
def bill_identifier_update(
    *, identifier: BillIdentifier, values: dict, expected_version: int | None = None
) -> BillIdentifier:
    identifier = record_update(
        instance=identifier, values=values, expected_version=expected_version
    )
    record_touch(instance=identifier.bill)
    return identifier


@transaction.atomic
def bill_identifier_delete(
    *, identifier: BillIdentifier, expected_version: int | None = None
) -> None:
    bill = identifier.bill
    record_delete(instance=identifier, expected_version=expected_version)
    record_touch(instance=bill)


@transaction.atomic
def bill_relation_create(*, values: dict) -> BillRelation:
    relation = record_create(model=BillRelation, values=values)
    record_touch(instance=relation.bill)
    return relation


@transaction.atomic
def bill_relation_update(
    *, relation: BillRelation, values: dict, expected_version: int | None = None
) -> BillRelation:
    relation = record_update(instance=relation, values=values, expected_version=expected_version)
    record_touch(instance=relation.bill)
    return relation


@transaction.atomic
def bill_relation_delete(*, relation: BillRelation, expected_version: int | None = None) -> None:
    bill = relation.bill
    record_delete(instance=relation, expected_version=expected_version)
    record_touch(instance=bill)


# -- sponsorships ----------------------------------------------------------------------------------


@transaction.atomic
def sponsorship_create(*, values: dict, citations: list[dict] = ()) -> Sponsorship:
    """Record a draft sponsorship: a person or an organization (exactly one) in a role."""
    sponsorship = record_create(model=Sponsorship, values=values)
    citations_add(record=sponsorship, citations=list(citations), touch=False)
    _touch_bill_of(sponsorship)
    return sponsorship


@transaction.atomic
def sponsorship_update(
    *, sponsorship: Sponsorship, values: dict, expected_version: int | None = None
) -> Sponsorship:
    version = sponsorship.version
    sponsorship = record_update(
        instance=sponsorship, values=values, expected_version=expected_version
    )
    if sponsorship.version != version:
        _touch_bill_of(sponsorship)
    return sponsorship


@transaction.atomic
def sponsorship_delete(*, sponsorship: Sponsorship, expected_version: int | None = None) -> None:
    bill = sponsorship.bill
    record_delete(instance=sponsorship, expected_version=expected_version)
    record_touch(instance=bill)


def sponsorship_publish(
    *,
    sponsorship: Sponsorship,
    expected_version: int | None = None,
    with_dependents: bool = False,
) -> list:
    return record_set_published(
        record=sponsorship,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def sponsorship_unpublish(*, sponsorship: Sponsorship, expected_version: int | None = None) -> list:
    return record_set_published(
        record=sponsorship, published=False, expected_version=expected_version
    )
