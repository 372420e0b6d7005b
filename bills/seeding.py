"""Load the curated seed data set (YAML) idempotently: a second run changes nothing.

Records are matched on their natural keys (slug, url, or the fields that make them unique);
an existing record is changed only when a value differs. Every write goes through the services
(`bills.services`, `sources.services`), so the seed obeys the rules curators do: status history
is replayed through `bill_change_status`, statements are created with their sources, and records
are published last, through the publish service.
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

from bills import services
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
    Topic,
)
from policytracker.models import DatePrecision
from policytracker.services import record_publish
from sources import services as source_services
from sources.models import Citation, Source

# The service that creates, and the one that updates, each kind of record the seed holds.
CREATE = {
    Source: lambda values: source_services.source_register(values=values),
    Topic: lambda values: services.topic_create(values=values),
    Organization: lambda values: services.organization_create(values=values),
    Person: lambda values: services.person_create(values=values),
    PersonName: lambda values: services.person_name_create(values=values),
    Membership: lambda values: services.membership_create(values=values),
    BillPackage: lambda values: services.package_create(values=values),
    Bill: lambda values: services.bill_create(values=values),
    BillIdentifier: lambda values: services.bill_identifier_create(values=values),
    BillRelation: lambda values: services.bill_relation_create(values=values),
    Sponsorship: lambda values: services.sponsorship_create(values=values),
    Event: lambda values: services.event_create(values=values),
}
UPDATE = {
    Source: lambda record, values: source_services.source_update(source=record, values=values),
    Topic: lambda record, values: services.topic_update(topic=record, values=values),
    Organization: lambda record, values: services.organization_update(
        organization=record, values=values
    ),
    Person: lambda record, values: services.person_update(person=record, values=values),
    PersonName: lambda record, values: services.person_name_update(
        person_name=record, values=values
    ),
    Membership: lambda record, values: services.membership_update(membership=record, values=values),
    BillPackage: lambda record, values: services.package_update(package=record, values=values),
    Bill: lambda record, values: services.bill_update(bill=record, values=values),
    BillIdentifier: lambda record, values: services.bill_identifier_update(
        identifier=record, values=values
    ),
    BillRelation: lambda record, values: services.bill_relation_update(
        relation=record, values=values
    ),
    BillAction: lambda record, values: services.bill_action_update(action=record, values=values),
    Sponsorship: lambda record, values: services.sponsorship_update(
        sponsorship=record, values=values
    ),
    Event: lambda record, values: services.event_update(event=record, values=values),
    Statement: lambda record, values: services.statement_update(statement=record, values=values),
    Citation: lambda record, values: source_services.citation_update(
        citation=record, values=values
    ),
}

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
        self.to_publish: list[models.Model] = []
        self.created_now: set[tuple[str, int]] = set()

    # -- generic helpers --------------------------------------------------------------------
    def upsert(
        self, model: type[models.Model], lookup: dict, values: dict, *, publish: bool = False
    ) -> models.Model:
        instance = model.objects.filter(**lookup).first()
        name = model._meta.model_name
        if instance is None:
            instance = CREATE[model]({**lookup, **values})
            self.report.created[name] += 1
            self.created_now.add((name, instance.pk))
        elif any(getattr(instance, key) != value for key, value in values.items()):
            instance = UPDATE[model](instance, values)
            self.report.updated[name] += 1
        if publish:
            self.to_publish.append(instance)
        return instance

    def set_m2m(self, instance: models.Model, attr: str, targets: list[models.Model]) -> None:
        manager = getattr(instance, attr)
        if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
            if isinstance(instance, Bill):
                services.bill_update(bill=instance, values={}, topics=targets)
            else:
                services.statement_update(statement=instance, values={}, topics=targets)
            if (instance._meta.model_name, instance.pk) not in self.created_now:
                self.report.updated[f"{instance._meta.model_name}.{attr}"] += 1

    def citation_values(self, item: dict) -> tuple[dict, dict]:
        """(natural key, other values) of a seed citation."""
        key = {
            "source": self.sources[item["source"]],
            "field_name": item.get("field", ""),
            "excerpt": item["excerpt"].strip(),
        }
        values = {
            "excerpt_kind": item.get("excerpt_kind", "quote"),
            "locator": item.get("locator", ""),
            "relation": item.get("relation", "supports"),
            "claimed_value": item.get("claimed_value", ""),
            "resolution_note": item.get("resolution_note", ""),
        }
        return key, values

    def cite(self, record: models.Model, citations: list[dict]) -> None:
        content_type = ContentType.objects.get_for_model(record)
        for item in citations or []:
            key, values = self.citation_values(item)
            citation = Citation.objects.filter(
                content_type=content_type, object_id=record.pk, **key
            ).first()
            if citation is None:
                source_services.citation_add(record=record, **key, **values)
                self.report.created["citation"] += 1
            elif any(getattr(citation, name) != value for name, value in values.items()):
                UPDATE[Citation](citation, values)
                self.report.updated["citation"] += 1

    def publish_all(self) -> None:
        """Publish what the seed holds, through the publish service (and its rules)."""
        for record in self.to_publish:
            record.refresh_from_db(fields=["is_published"])
            if not record.is_published:
                record_publish(record=record, with_dependents=True)

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
        self.publish_all()
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
                },
                publish=True,
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
                },
                publish=True,
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
                },
                publish=True,
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
                },
                publish=True,
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
                },
                publish=True,
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
                },
                publish=True,
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
                action = services.bill_change_status(
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
                },
                publish=True,
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
                },
                publish=True,
            )
            self.cite(event, item.get("citations"))

    def load_statements(self) -> None:
        for item in self.data.get("statements", []):
            membership_key = item.get("membership")
            values = {
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
            }
            topics = list(Topic.objects.filter(slug__in=item.get("topics", [])))
            stances = [
                (Bill.objects.get(slug=link["bill"]), link.get("stance", "unclear"))
                for link in item.get("bills", [])
            ]
            statement = Statement.objects.filter(slug=item["slug"]).first()
            if statement is None:
                # A statement is created with its sources: it never exists without one.
                citations = [
                    {**key, **other}
                    for key, other in map(self.citation_values, item.get("citations") or [])
                ]
                statement = services.statement_create(
                    values={"slug": item["slug"], **values},
                    citations=citations,
                    topics=topics,
                    stances=stances,
                )
                self.report.created["statement"] += 1
                self.report.created["citation"] += len(citations)
            else:
                if any(getattr(statement, key) != value for key, value in values.items()):
                    statement = services.statement_update(statement=statement, values=values)
                    self.report.updated["statement"] += 1
                self.set_m2m(statement, "topics", topics)
                current = dict(statement.bill_links.values_list("bill_id", "stance"))
                for bill, stance in stances:
                    if current.get(bill.pk) != stance:
                        services.statement_set_stance(statement=statement, bill=bill, stance=stance)
                        self.report.updated["statementbill"] += 1
                self.cite(statement, item.get("citations"))
            self.to_publish.append(statement)


@transaction.atomic
def seed_load(*, path: Path = DEFAULT_SEED) -> SeedReport:
    """Load the seed file in one transaction: it applies fully or not at all."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return SeedLoader(data).load()
