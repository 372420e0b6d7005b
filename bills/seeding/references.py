"""Seed sections for reference records: sources, topics, organizations, people, posts and
packages."""

from bills.models import (
    BillPackage,
    Membership,
    Organization,
    Person,
    PersonName,
    Topic,
)
from bills.seeding.base import LoaderBase, _date, _dated
from sources.models import Source


class ReferenceSections(LoaderBase):
    """Sources first (everything cites them), then the bodies and people bills refer to."""

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
                    "accessed_on": _date(item.get("accessed_on")),
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
