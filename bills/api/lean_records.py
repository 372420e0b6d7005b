"""Lean pages of events, topics, bill actions and sponsorships (policytracker/lean.py): field for
field what EventSerializer, TopicSerializer, BillActionSerializer and SponsorshipSerializer
give (tests/test_lean_records.py)."""

from bills.api.lean_refs import (
    ORGANIZATION_REF,
    PERSON_REF,
    columns,
    organization_ref,
    person_ref,
    shown,
)
from bills.api.name_disputes import dispute_column
from bills.models import BillAction, Event, Organization, Sponsorship, Topic
from policytracker.lean import Addresses, citations_by_record, date_text, datetime_text

# -- events ------------------------------------------------------------------------------------

EVENT_COLUMNS = (
    "id",
    "slug",
    "name",
    "kind",
    "starts_on",
    "starts_precision",
    "place",
    *columns("organizer", ORGANIZATION_REF),
    "organizer_shown",
    "description",
    "created_at",
    "updated_at",
)


def event_rows(*, see_drafts: bool):
    """The gated events a lean page is cut from, with whether the caller may see each one's
    organizer (event_list without its joins)."""
    return (
        Event.objects.visible(see_drafts=see_drafts)
        .annotate(organizer_shown=shown(Organization, "organizer", see_drafts=see_drafts))
        .order_by("slug")
    )


def event_page(rows: list[dict], *, request, see_drafts: bool, **_) -> list[dict]:
    """EventSerializer's output for event rows (`EVENT_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    sources = citations_by_record(Event, [row["id"] for row in rows], see_drafts=see_drafts)
    return [
        {
            "id": row["id"],
            "slug": row["slug"],
            "url": addresses("event-detail", row["slug"]),
            "name": row["name"],
            "kind": row["kind"],
            "starts_on": date_text(row["starts_on"]),
            "starts_precision": row["starts_precision"],
            "place": row["place"],
            "organizer": organization_ref(row, "organizer", addresses),
            "description": row["description"],
            "sources": sources.get(row["id"], []),
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]


# -- topics ------------------------------------------------------------------------------------

TOPIC_COLUMNS = ("id", "slug", "name", "description", "created_at", "updated_at")


def topic_rows(*, see_drafts: bool):
    """The gated topics a lean page is cut from (topic_list)."""
    return Topic.objects.visible(see_drafts=see_drafts).order_by("slug")


def topic_page(rows: list[dict], *, request, **_) -> list[dict]:
    """TopicSerializer's output for topic rows (`TOPIC_COLUMNS`)."""
    addresses = Addresses(request)
    return [
        {
            "id": row["id"],
            "slug": row["slug"],
            "url": addresses("topic-detail", row["slug"]),
            "feed_url": addresses("feed-topic", row["slug"]),
            "name": row["name"],
            "description": row["description"],
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]


# -- bill actions (status history) -------------------------------------------------------------

# An action is listed only with its bill (the gate requires it), so `bill__slug` is always shown.
ACTION_COLUMNS = (
    "id",
    "bill__slug",
    "order",
    "occurred_on",
    "occurred_precision",
    *columns("actor", ORGANIZATION_REF),
    "actor_shown",
    "classification",
    "resulting_status",
    "description",
    "skips_unrecorded_steps",
    "created_at",
    "updated_at",
)


def action_rows(*, see_drafts: bool):
    """The gated actions a lean page is cut from, with whether the caller may see each one's
    actor (bill_action_list without its joins)."""
    return (
        BillAction.objects.visible(see_drafts=see_drafts)
        .annotate(actor_shown=shown(Organization, "actor", see_drafts=see_drafts))
        .order_by("bill__slug", "order")
    )


def action_page(rows: list[dict], *, request, see_drafts: bool, **_) -> list[dict]:
    """BillActionSerializer's output for action rows (`ACTION_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    sources = citations_by_record(BillAction, [row["id"] for row in rows], see_drafts=see_drafts)
    return [
        {
            "id": row["id"],
            "url": addresses("bill-action-detail", row["id"], "pk"),
            "bill": row["bill__slug"],
            "order": row["order"],
            "occurred_on": date_text(row["occurred_on"]),
            "occurred_precision": row["occurred_precision"],
            "actor": organization_ref(row, "actor", addresses),
            "classification": row["classification"],
            "resulting_status": row["resulting_status"],
            "description": row["description"],
            "skips_unrecorded_steps": row["skips_unrecorded_steps"],
            "sources": sources.get(row["id"], []),
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]


# -- sponsorships ------------------------------------------------------------------------------

# The gate requires the bill and the sponsor (person or organization); only the chamber is a
# mere reference, shown when the caller may see it.
SPONSORSHIP_COLUMNS = (
    "id",
    "bill__slug",
    "role",
    *columns("person", PERSON_REF),
    "person_dispute",
    *columns("organization", ORGANIZATION_REF),
    *columns("chamber", ORGANIZATION_REF),
    "chamber_shown",
    "capacity",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "created_at",
    "updated_at",
)


def sponsorship_rows(*, see_drafts: bool):
    """The gated sponsorships a lean page is cut from, with whether the caller may see each
    one's chamber (sponsorship_list without its joins)."""
    return (
        Sponsorship.objects.visible(see_drafts=see_drafts)
        .annotate(
            chamber_shown=shown(Organization, "chamber", see_drafts=see_drafts),
            person_dispute=dispute_column("person_id", see_drafts=see_drafts),
        )
        .order_by("bill__slug", "role", "pk")
    )


def sponsorship_page(rows: list[dict], *, request, see_drafts: bool, **_) -> list[dict]:
    """SponsorshipSerializer's output for sponsorship rows (`SPONSORSHIP_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    sources = citations_by_record(Sponsorship, [row["id"] for row in rows], see_drafts=see_drafts)
    return [
        {
            "id": row["id"],
            "url": addresses("sponsorship-detail", row["id"], "pk"),
            "bill": row["bill__slug"],
            "role": row["role"],
            "person": person_ref(row, "person", addresses),
            "organization": organization_ref(row, "organization", addresses),
            "chamber": organization_ref(row, "chamber", addresses),
            "capacity": row["capacity"],
            "started_on": date_text(row["started_on"]),
            "started_precision": row["started_precision"],
            "ended_on": date_text(row["ended_on"]),
            "ended_precision": row["ended_precision"],
            "sources": sources.get(row["id"], []),
            "created_at": datetime_text(row["created_at"]),
            "updated_at": datetime_text(row["updated_at"]),
        }
        for row in rows
    ]
