"""The CSV table of every exported entity: its columns, described for the README. A column
reads the record's API representation (policytracker/exports/columns.py), so a CSV shows
exactly what the API shows, through the same gate."""

from django.db import models

from policytracker.exports.columns import Table
from policytracker.exports.tables.documents import CITATIONS, SOURCES
from policytracker.exports.tables.legislation import BILL_ACTIONS, BILLS, SPONSORSHIPS, STATUSES
from policytracker.exports.tables.people import (
    EVENTS,
    MEMBERSHIPS,
    ORGANIZATIONS,
    PEOPLE,
    STATEMENTS,
    TOPICS,
)

RECORD_TYPES = {
    "bills": "bill", "bill-actions": "billaction", "sponsorships": "sponsorship",
    "people": "person", "organizations": "organization", "memberships": "membership",
    "events": "event", "statements": "statement", "topics": "topic", "sources": "source",
    "citations": "citation",
}  # fmt: skip

TABLES = {
    table.entity: table
    for table in (
        BILLS, BILL_ACTIONS, SPONSORSHIPS, PEOPLE, ORGANIZATIONS, MEMBERSHIPS, EVENTS,
        STATEMENTS, TOPICS, STATUSES, SOURCES, CITATIONS,
    )
}  # fmt: skip


def table_for(model: type[models.Model]) -> Table:
    """The table of a model's records (the list endpoint of that model streams it)."""
    record_type = model._meta.model_name
    return next(TABLES[name] for name, kind in RECORD_TYPES.items() if kind == record_type)
