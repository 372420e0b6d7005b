"""Lean pages of people, organizations and memberships (policytracker/lean.py): field for field
what PersonSerializer, OrganizationSerializer and MembershipSerializer give
(tests/test_lean_records.py)."""

from bills import selectors
from bills.api.lean_refs import (
    ORGANIZATION_REF,
    PERSON_REF,
    columns,
    organization_ref,
    person_ref,
    shown,
)
from bills.api.name_disputes import dispute_column, dispute_of
from bills.models import Membership, Organization, Person, PersonName
from policytracker.lean import (
    Addresses,
    citations_by_record,
    date_text,
    datetime_text,
    grouped_rows,
)

# -- memberships (posts) -----------------------------------------------------------------------

MEMBERSHIP_FIELDS = (
    "id",
    *columns("organization", ORGANIZATION_REF),
    "role",
    "start_on",
    "start_precision",
    "end_on",
    "end_precision",
    "created_at",
    "updated_at",
)
# A post is listed only when its person and organization are visible (the gate requires both),
# so their references need no `_shown` column.
MEMBERSHIP_COLUMNS = (*MEMBERSHIP_FIELDS, *columns("person", PERSON_REF), "person_dispute")


def membership_rows(*, see_drafts: bool):
    """The gated posts a lean page is cut from (membership_list without its joins)."""
    return (
        Membership.objects.visible(see_drafts=see_drafts)
        .annotate(person_dispute=dispute_column("person_id", see_drafts=see_drafts))
        .order_by("person__slug", "pk")
    )


def _membership(row: dict, person: dict, sources: dict, addresses: Addresses) -> dict:
    pk = row["id"]
    return {
        "id": pk,
        "url": addresses("membership-detail", pk, "pk"),
        "person": person,
        "organization": organization_ref(row, "organization", addresses),
        "role": row["role"],
        "start_on": date_text(row["start_on"]),
        "start_precision": row["start_precision"],
        "end_on": date_text(row["end_on"]),
        "end_precision": row["end_precision"],
        "sources": sources.get(pk, []),
        "created_at": datetime_text(row["created_at"]),
        "updated_at": datetime_text(row["updated_at"]),
    }


def membership_page(rows: list[dict], *, request, see_drafts: bool, **_) -> list[dict]:
    """MembershipSerializer's output for membership rows (`MEMBERSHIP_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    sources = citations_by_record(Membership, [row["id"] for row in rows], see_drafts=see_drafts)
    return [
        _membership(row, person_ref(row, "person", addresses), sources, addresses) for row in rows
    ]


# -- people ------------------------------------------------------------------------------------

PERSON_COLUMNS = (
    "id",
    "slug",
    "name",
    "given_name",
    "family_name",
    "summary",
    "dispute",
    "created_at",
    "updated_at",
)
OTHER_NAME_FIELDS = ("id", "name", "kind", "language", "note")


def person_rows(*, see_drafts: bool, q: str | None):
    """The gated, searched people a lean page is cut from (person_list without prefetches)."""
    people = Person.objects.visible(see_drafts=see_drafts).annotate(
        dispute=dispute_column("pk", see_drafts=see_drafts)
    )
    return selectors.with_person_search(people, q, see_drafts=see_drafts).order_by("slug")


def person_page(
    rows: list[dict], *, request, see_drafts: bool, include: frozenset = frozenset()
) -> list[dict]:
    """PersonSerializer's output for person rows (`PERSON_COLUMNS`); `include=memberships`
    embeds the posts the caller may see, in the prefetch's order."""
    if not rows:
        return []
    addresses = Addresses(request)
    gate = {"see_drafts": see_drafts}
    ids = [row["id"] for row in rows]
    other_names = grouped_rows(
        PersonName.objects.visible(**gate), "person_id", ids, OTHER_NAME_FIELDS
    )
    name_ids = [name["id"] for group in other_names.values() for name in group]
    name_sources = citations_by_record(PersonName, name_ids, **gate)
    sources = citations_by_record(Person, ids, **gate)
    posts, post_sources = None, {}
    if "memberships" in include:
        posts = grouped_rows(
            Membership.objects.visible(**gate), "person_id", ids, MEMBERSHIP_FIELDS
        )
        post_ids = [post["id"] for group in posts.values() for post in group]
        post_sources = citations_by_record(Membership, post_ids, **gate)

    page = []
    for row in rows:
        pk, slug = row["id"], row["slug"]
        dispute = dispute_of(row, "dispute")
        item = {
            "id": pk,
            "slug": slug,
            "url": addresses("person-detail", slug),
            "feed_url": addresses("feed-person", slug),
            "name": row["name"],
            "given_name": row["given_name"],
            "family_name": row["family_name"],
            "summary": row["summary"],
            **dispute,
            "other_names": [
                {
                    "name": name["name"],
                    "kind": name["kind"],
                    "language": name["language"],
                    "note": name["note"],
                    "sources": name_sources.get(name["id"], []),
                }
                for name in other_names[pk]
            ],
            "sources": sources.get(pk, []),
        }
        if posts is not None:
            # The post's person is this person: its reference comes from the page row.
            person = {"id": pk, "slug": slug, "url": item["url"], "name": row["name"], **dispute}
            item["memberships"] = [
                _membership(post, person, post_sources, addresses) for post in posts[pk]
            ]
        item["created_at"] = datetime_text(row["created_at"])
        item["updated_at"] = datetime_text(row["updated_at"])
        page.append(item)
    return page


# -- organizations -----------------------------------------------------------------------------

ORGANIZATION_COLUMNS = (
    "id",
    "slug",
    "name",
    "abbreviation",
    "classification",
    *columns("parent", ORGANIZATION_REF),
    "parent_shown",
    "other_names",
    "description",
    "created_at",
    "updated_at",
)


def organization_rows(*, see_drafts: bool, q: str | None):
    """The gated, searched organizations a lean page is cut from, with whether the caller may
    see each one's parent (organization_list without its joins)."""
    organizations = Organization.objects.visible(see_drafts=see_drafts).annotate(
        parent_shown=shown(Organization, "parent", see_drafts=see_drafts)
    )
    return selectors.with_search(organizations, q).order_by("slug")


def organization_page(rows: list[dict], *, request, see_drafts: bool, **_) -> list[dict]:
    """OrganizationSerializer's output for organization rows (`ORGANIZATION_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    sources = citations_by_record(Organization, [row["id"] for row in rows], see_drafts=see_drafts)
    return [
        {
            "id": row["id"],
            "slug": row["slug"],
            "url": addresses("organization-detail", row["slug"]),
            "name": row["name"],
            "abbreviation": row["abbreviation"],
            "classification": row["classification"],
            "parent": organization_ref(row, "parent", addresses),
            "other_names": row["other_names"],
            "description": row["description"],
            "sources": sources.get(row["id"], []),
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]
