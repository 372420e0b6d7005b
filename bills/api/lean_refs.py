"""Short references joined into a lean page's own query (policytracker/lean.py).

A page whose serializer reads its references through `select_related` reads them the same way
here: the referenced record's columns come with the row (`link__slug` …), so the page keeps
its query count. The gate stays in SQL: a link the record's visibility rule *requires* needs
nothing more (the row is listed only when its target is visible), and a link it merely
*references* gets a `<link>_shown` column computed from the target's own rule (`shown`), so
a hidden target is served as null, never its name or slug. A person reference also carries
whether the name is disputed: a `<link>_dispute` column (bills.api.name_disputes).
"""

from django.db.models import BooleanField, ExpressionWrapper, Model, Value

from bills.api.name_disputes import dispute_of
from policytracker.lean import Addresses
from policytracker.visibility import public_q

ORGANIZATION_REF = ("id", "slug", "name", "abbreviation", "classification")
PERSON_REF = ("id", "slug", "name")


def columns(link: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The `.values()` names of the referenced record's `fields` through `link`."""
    return tuple(f"{link}__{name}" for name in fields)


def shown(model: type[Model], link: str, *, see_drafts: bool) -> ExpressionWrapper | Value:
    """True where the `model` record that `link` points at may be shown to the caller."""
    if see_drafts:
        return Value(True)
    return ExpressionWrapper(public_q(model, f"{link}__"), output_field=BooleanField())


def _visible(row: dict, link: str) -> bool:
    # No `_shown` column: the link is required by the gate, so a listed row's target is visible.
    return row[f"{link}__id"] is not None and row.get(f"{link}_shown", True) is True


def organization_ref(row: dict, link: str, addresses: Addresses) -> dict | None:
    """OrganizationRefSerializer's output for the organization `link` of `row`."""
    if not _visible(row, link):
        return None
    slug = row[f"{link}__slug"]
    return {
        "id": row[f"{link}__id"],
        "slug": slug,
        "url": addresses("organization-detail", slug),
        "name": row[f"{link}__name"],
        "abbreviation": row[f"{link}__abbreviation"],
        "classification": row[f"{link}__classification"],
    }


def person_ref(row: dict, link: str, addresses: Addresses) -> dict | None:
    """PersonRefSerializer's output for the person `link` of `row`."""
    if not _visible(row, link):
        return None
    slug = row[f"{link}__slug"]
    return {
        "id": row[f"{link}__id"],
        "slug": slug,
        "url": addresses("person-detail", slug),
        "name": row[f"{link}__name"],
        **dispute_of(row, f"{link}_dispute"),
    }
