"""Load the curated seed data set (YAML) idempotently: a second run changes nothing.

Records are matched on their natural keys (slug, url, or the fields that make them unique);
an existing record is changed only when a value differs. Every write goes through the services
(`bills.services`, `sources.services`), so the seed obeys the rules curators do: status history
is replayed through `bill_change_status`, statements are created with their sources, and records
are published last, through the publish service.
"""

from pathlib import Path

import yaml
from django.db import transaction

from bills.seeding.base import DEFAULT_SEED, SeedReport
from bills.seeding.legislation import LegislationSections
from bills.seeding.references import ReferenceSections

__all__ = ["DEFAULT_SEED", "SeedLoader", "SeedReport", "seed_load"]


class SeedLoader(ReferenceSections, LegislationSections):
    """Applies one parsed seed document to the database, section by section."""

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


@transaction.atomic
def seed_load(*, path: Path = DEFAULT_SEED) -> SeedReport:
    """Load the seed file in one transaction: it applies fully or not at all."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return SeedLoader(data).load()
