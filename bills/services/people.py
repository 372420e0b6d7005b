"""Writes for organizations, people, their other names and their posts (memberships)."""

from django.db import transaction

from bills.models import Membership, Organization, Person, PersonName
from policytracker.services import (
    record_create,
    record_delete,
    record_set_published,
    record_touch,
    record_update,
)
from sources.services import citations_add

# -- organizations ---------------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, values: dict, citations: list[dict] = ()) -> Organization:
    """Create a draft organization."""
    organization = record_create(model=Organization, values=values)
    citations_add(record=organization, citations=list(citations), touch=False)
    return organization


def organization_update(
    *, organization: Organization, values: dict, expected_version: int | None = None
) -> Organization:
    return record_update(instance=organization, values=values, expected_version=expected_version)


def organization_delete(*, organization: Organization, expected_version: int | None = None) -> None:
    """Delete an organization; refused (ProtectedError) while history or quotes name it."""
    record_delete(instance=organization, expected_version=expected_version)


def organization_publish(
    *,
    organization: Organization,
    expected_version: int | None = None,
    with_dependents: bool = False,
) -> list:
    return record_set_published(
        record=organization,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def organization_unpublish(
    *, organization: Organization, expected_version: int | None = None
) -> list:
    return record_set_published(
        record=organization, published=False, expected_version=expected_version
    )


# -- people --------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, values: dict, citations: list[dict] = ()) -> Person:
    """Create a draft person."""
    person = record_create(model=Person, values=values)
    citations_add(record=person, citations=list(citations), touch=False)
    return person


def person_update(*, person: Person, values: dict, expected_version: int | None = None) -> Person:
    return record_update(instance=person, values=values, expected_version=expected_version)


def person_delete(*, person: Person, expected_version: int | None = None) -> None:
    """Delete a person; refused (ProtectedError) while statements quote them."""
    record_delete(instance=person, expected_version=expected_version)


def person_publish(
    *, person: Person, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    return record_set_published(
        record=person,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def person_unpublish(*, person: Person, expected_version: int | None = None) -> list:
    """Hide a person: their memberships and sponsorships go with them, and statements show
    no speaker reference for them."""
    return record_set_published(record=person, published=False, expected_version=expected_version)


# -- other names (part of a person: a change is a change of the person) -----------------------


@transaction.atomic
def person_name_create(*, values: dict, citations: list[dict] = ()) -> PersonName:
    name = record_create(model=PersonName, values=values)
    citations_add(record=name, citations=list(citations), touch=False)
    record_touch(instance=name.person)
    return name


@transaction.atomic
def person_name_update(
    *, person_name: PersonName, values: dict, expected_version: int | None = None
) -> PersonName:
    name = record_update(instance=person_name, values=values, expected_version=expected_version)
    record_touch(instance=name.person)
    return name


@transaction.atomic
def person_name_delete(*, person_name: PersonName, expected_version: int | None = None) -> None:
    person = person_name.person
    record_delete(instance=person_name, expected_version=expected_version)
    record_touch(instance=person)


# -- memberships -------------------------------------------------------------------------------


@transaction.atomic
def membership_create(*, values: dict, citations: list[dict] = ()) -> Membership:
    """Record a draft post of a person in an organization."""
    membership = record_create(model=Membership, values=values)
    citations_add(record=membership, citations=list(citations), touch=False)
    return membership


def membership_update(
    *, membership: Membership, values: dict, expected_version: int | None = None
) -> Membership:
    return record_update(instance=membership, values=values, expected_version=expected_version)


def membership_delete(*, membership: Membership, expected_version: int | None = None) -> None:
    record_delete(instance=membership, expected_version=expected_version)


def membership_publish(
    *, membership: Membership, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    return record_set_published(
        record=membership,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def membership_unpublish(*, membership: Membership, expected_version: int | None = None) -> list:
    return record_set_published(
        record=membership, published=False, expected_version=expected_version
    )
