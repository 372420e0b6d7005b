"""Load the curated seed data set (YAML) idempotently: a second run changes nothing.

Records are matched on their natural keys (slug, url, or the fields that make them unique);
an existing record is saved only when a value differs. Status history is replayed through
`bill_change_status`, so the seed obeys the same transition rules as curators do.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from bills.services import bill_change_status
from policytracker.models import DatePrecision
from sources.models import Citation, Source

DEFAULT_SEED = Path(__file__).resolve().parent / "seed" / "kz_2016_package.yaml"
HISTORY_DIVERGES = (
    "Bill '{slug}' already has a status history that differs from the seed at action {order}; "
    "refusing to overwrite curated history."
)


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _dated(item: dict, date_key: str, precision_key: str) -> dict:
    value = item.get(date_key)
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    precision = item.get(precision_key) or (DatePrecision.DAY if value else DatePrecision.UNKNOWN)
    return {date_key: value, precision_key: precision}


class SeedLoader:
    """Applies one parsed seed document to the database."""

    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.report = SeedReport()
        self.sources: dict[str, Source] = {}
        self.memberships: dict[str, Membership] = {}

    # -- generic helpers --------------------------------------------------------------------
    def upsert(self, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
        instance = model.objects.filter(**lookup).first()
        name = model._meta.model_name
        if instance is None:
            instance = model(**lookup, **values)
            instance.full_clean()
            instance.save()
            self.report.created[name] += 1
            return instance
        changed = [key for key, value in values.items() if getattr(instance, key) != value]
        if changed:
            for key in changed:
                setattr(instance, key, values[key])
            instance.full_clean()
            instance.save(update_fields=[*changed, "updated_at"])
            self.report.updated[name] += 1
        return instance

    def set_m2m(self, instance: models.Model, attr: str, targets: list[models.Model]) -> None:
        manager = getattr(instance, attr)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
            manager.set(targets)
            self.report.updated[f"{instance._meta.model_name}.{attr}"] += 1

    def cite(self, record: models.Model, citations: list[dict]) -> None:
        content_type = ContentType.objects.get_for_model(record)
        for item in citations or []:
            self.upsert(
                Citation,
                {
                    "content_type": content_type,
                    "object_id": record.pk,
                    "source": self.sources[item["source"]],
                    "field_name": item.get("field", ""),
                    "excerpt": item["excerpt"].strip(),
                },
                {
                    "excerpt_kind": item.get("excerpt_kind", "quote"),
                    "locator": item.get("locator", ""),
                    "relation": item.get("relation", "supports"),
                    "claimed_value": item.get("claimed_value", ""),
                    "resolution_note": item.get("resolution_note", ""),
                },
            )

    @staticmethod
    def org(slug: str | None) -> Organization | None:
        return Organization.objects.get(slug=slug) if slug else None

    @staticmethod
    def person(slug: str | None) -> Person | None:
        return Person.objects.get(slug=slug) if slug else None

    # -- sections ---------------------------------------------------------------------------
    def load(self) -> SeedReport:
        self.load_sources()
        self.load_topics()
        self.load_organizations()
        self.load_people()
        self.load_memberships()
        self.load_packages()
        self.load_bills()
        self.load_events()
        self.load_statements()
        return self.report

    def load_sources(self) -> None:
        for item in self.data.get("sources", []):
            self.sources[item["key"]] = self.upsert(
                Source,
                {"url": item["url"]},
                {
                    "title": item["title"],
                    "publisher": item.get("publisher", ""),
                    "author": item.get("author", ""),
                    **_dated(item, "published_on", "published_precision"),
                    "language": item.get("language", ""),
                    "kind": item["kind"],
                    "archived_url": item.get("archived_url", ""),
                    "notes": item.get("notes", "").strip(),
                    "is_published": True,
                },
            )

    def load_topics(self) -> None:
        for item in self.data.get("topics", []):
            self.upsert(
                Topic,
                {"slug": item["slug"]},
                {"name": item["name"], "description": item.get("description", "").strip()},
            )

    def load_organizations(self) -> None:
        for item in self.data.get("organizations", []):
            organization = self.upsert(
                Organization,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "abbreviation": item.get("abbreviation", ""),
                    "classification": item["classification"],
                    "parent": self.org(item.get("parent")),
                    "other_names": item.get("other_names", []),
                    "description": item.get("description", "").strip(),
                    "is_published": True,
                },
            )
            self.cite(organization, item.get("citations"))

    def load_people(self) -> None:
        for item in self.data.get("people", []):
            person = self.upsert(
                Person,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "given_name": item.get("given_name", ""),
                    "family_name": item.get("family_name", ""),
                    "summary": item.get("summary", "").strip(),
                    "is_published": True,
                },
            )
            self.cite(person, item.get("citations"))
            for other in item.get("other_names", []):
                name = self.upsert(
                    PersonName,
                    {"person": person, "name": other["name"]},
                    {
                        "kind": other.get("kind", "alternate"),
                        "language": other.get("language", ""),
                        "note": other.get("note", "").strip(),
                    },
                )
                self.cite(name, other.get("citations"))

    def load_memberships(self) -> None:
        for item in self.data.get("memberships", []):
            start = _dated(item, "start_on", "start_precision")
            membership = self.upsert(
                Membership,
                {
                    "person": self.person(item["person"]),
                    "organization": self.org(item["organization"]),
                    "role": item["role"],
                    "start_on": start["start_on"],
                },
                {
                    "start_precision": start["start_precision"],
                    **_dated(item, "end_on", "end_precision"),
                    "is_published": True,
                },
            )
            self.memberships[item["key"]] = membership
            self.cite(membership, item.get("citations"))

    def load_packages(self) -> None:
        for item in self.data.get("packages", []):
            package = self.upsert(
                BillPackage,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "description": item.get("description", "").strip(),
                    **_dated(item, "announced_on", "announced_precision"),
                    "is_published": True,
                },
            )
            self.cite(package, item.get("citations"))

    def load_bills(self) -> None:
        items = self.data.get("bills", [])
        for item in items:
            bill = self.upsert(
                Bill,
                {"slug": item["slug"]},
                {
                    "title": item.get("title", ""),
                    "title_status": item["title_status"],
                    "title_ru": item.get("title_ru", ""),
                    "title_kk": item.get("title_kk", ""),
                    "short_title": item["short_title"],
                    "summary": item.get("summary", "").strip(),
                    "package": BillPackage.objects.filter(slug=item.get("package")).first(),
                    "originating_chamber": self.org(item.get("originating_chamber")),
                    "initiator_kind": item.get("initiator_kind", "unknown"),
                    **_dated(item, "introduced_on", "introduced_precision"),
                    "law_number": item.get("law_number", ""),
                    **_dated(item, "signed_on", "signed_precision"),
                    **_dated(item, "in_force_on", "in_force_precision"),
                    "in_force_rule": item.get("in_force_rule", "").strip(),
                    "is_published": True,
                },
            )
            self.set_m2m(
                bill, "topics", list(Topic.objects.filter(slug__in=item.get("topics", [])))
            )
            self.cite(bill, item.get("citations"))
            for identifier in item.get("identifiers", []):
                record = self.upsert(
                    BillIdentifier,
                    {"scheme": identifier["scheme"], "identifier": identifier["identifier"]},
                    {"bill": bill},
                )
                self.cite(record, identifier.get("citations"))
            self.load_actions(bill, item.get("actions", []))
            self.load_sponsorships(bill, item.get("sponsorships", []))
        # Relations point at other bills, so they load once every bill exists.
        for item in items:
            bill = Bill.objects.get(slug=item["slug"])
            for relation in item.get("relations", []):
                record = self.upsert(
                    BillRelation,
                    {
                        "bill": bill,
                        "related_bill": Bill.objects.get(slug=relation["related_bill"]),
                        "kind": relation["kind"],
                    },
                    {},
                )
                self.cite(record, relation.get("citations"))

    def load_actions(self, bill: Bill, actions: list[dict]) -> None:
        existing = list(bill.actions.order_by("order"))
        for order, item in enumerate(actions, start=1):
            dated = _dated(item, "occurred_on", "occurred_precision")
            if order <= len(existing):
                action = existing[order - 1]
                if action.resulting_status != item["to_status"]:
                    raise ValidationError(HISTORY_DIVERGES.format(slug=bill.slug, order=order))
                action = self.upsert(
                    BillAction,
                    {"bill": bill, "order": order},
                    {"description": item.get("description", "").strip()},
                )
            else:
                action = bill_change_status(
                    bill=bill,
                    to_status=item["to_status"],
                    occurred_on=dated["occurred_on"],
                    occurred_precision=dated["occurred_precision"],
                    actor=self.org(item.get("actor")),
                    classification=item.get("classification"),
                    description=item.get("description", "").strip(),
                    skips_unrecorded_steps=item.get("skips_unrecorded_steps", False),
                )
                self.report.created["billaction"] += 1
            self.cite(action, item.get("citations"))

    def load_sponsorships(self, bill: Bill, sponsorships: list[dict]) -> None:
        for item in sponsorships:
            sponsorship = self.upsert(
                Sponsorship,
                {
                    "bill": bill,
                    "person": self.person(item.get("person")),
                    "organization": self.org(item.get("organization")),
                    "role": item["role"],
                    "chamber": self.org(item.get("chamber")),
                },
                {
                    "capacity": item.get("capacity", ""),
                    **_dated(item, "started_on", "started_precision"),
                    **_dated(item, "ended_on", "ended_precision"),
                    "is_published": True,
                },
            )
            self.cite(sponsorship, item.get("citations"))

    def load_events(self) -> None:
        for item in self.data.get("events", []):
            event = self.upsert(
                Event,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "kind": item["kind"],
                    **_dated(item, "starts_on", "starts_precision"),
                    "place": item.get("place", ""),
                    "organizer": self.org(item.get("organizer")),
                    "description": item.get("description", "").strip(),
                    "is_published": True,
                },
            )
            self.cite(event, item.get("citations"))

    def load_statements(self) -> None:
        for item in self.data.get("statements", []):
            membership_key = item.get("membership")
            statement = self.upsert(
                Statement,
                {"slug": item["slug"]},
                {
                    "speaker_person": self.person(item.get("speaker_person")),
                    "speaker_organization": self.org(item.get("speaker_organization")),
                    "attribution": item["attribution"],
                    "speaker_role": item.get("speaker_role", ""),
                    "speaker_membership": self.memberships.get(membership_key)
                    if membership_key
                    else None,
                    "on_behalf_of": self.org(item.get("on_behalf_of")),
                    **_dated(item, "said_on", "said_precision"),
                    "event": Event.objects.filter(slug=item.get("event")).first()
                    if item.get("event")
                    else None,
                    "text": item["text"].strip(),
                    "form": item["form"],
                    "language": item.get("language", "en"),
                    "is_published": True,
                },
            )
            self.set_m2m(
                statement, "topics", list(Topic.objects.filter(slug__in=item.get("topics", [])))
            )
            for link in item.get("bills", []):
                self.upsert(
                    StatementBill,
                    {"statement": statement, "bill": Bill.objects.get(slug=link["bill"])},
                    {"stance": link.get("stance", "unclear")},
                )
            self.cite(statement, item.get("citations"))


@transaction.atomic
def seed_load(*, path: Path = DEFAULT_SEED) -> SeedReport:
    """Load the seed file in one transaction: it applies fully or not at all."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return SeedLoader(data).load()
