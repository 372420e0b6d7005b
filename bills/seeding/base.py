"""The seed loader's record keeping: natural-key upserts through the services, citations,
and publishing what the seed holds once it is loaded."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from bills import services
from bills.models import (
    Bill,
    Membership,
    Organization,
    Person,
)
from bills.seeding.writers import CREATE, UPDATE
from policytracker.aliases.selectors import record_for_alias
from policytracker.models import DatePrecision
from policytracker.services import record_publish
from sources import services as source_services
from sources.models import Citation, Source

DEFAULT_SEED = Path(__file__).resolve().parent.parent / "seed" / "kz_2016_package.yaml"
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


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _dated(item: dict, date_key: str, precision_key: str) -> dict:
    value = _date(item.get(date_key))
    precision = item.get(precision_key) or (DatePrecision.DAY if value else DatePrecision.UNKNOWN)
    return {date_key: value, precision_key: precision}


class LoaderBase:
    """What every seed section shares: the parsed document, the report, and the writes."""

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
        if instance is None and set(lookup) == {"slug"}:
            instance = self.find(model, lookup["slug"])  # renamed by a curator since
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
    def find(model: type[models.Model], slug: str | None) -> models.Model | None:
        """The record the seed names by `slug`: its current slug, or the slug it had before a
        curator renamed it (an alias), so a re-seed updates it instead of adding a twin."""
        if not slug:
            return None
        found = model.objects.filter(slug=slug).first()
        return found or record_for_alias(model, slug, model.objects.all())

    def get(self, model: type[models.Model], slug: str) -> models.Model:
        found = self.find(model, slug)
        if found is None:
            raise model.DoesNotExist(f"No {model._meta.verbose_name} '{slug}' in the seed.")
        return found

    def org(self, slug: str | None) -> Organization | None:
        return self.get(Organization, slug) if slug else None

    def person(self, slug: str | None) -> Person | None:
        return self.get(Person, slug) if slug else None

    # -- sections ---------------------------------------------------------------------------
