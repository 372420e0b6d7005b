"""Seed sections for the legislation itself: bills with their history and sponsors, events
and statements."""

from django.core.exceptions import ValidationError

from bills import services
from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Event,
    Sponsorship,
    Statement,
    Topic,
)
from bills.seeding.base import HISTORY_DIVERGES, LoaderBase, _date, _dated
from sources.models import Citation


class LegislationSections(LoaderBase):
    """Bills (with actions, sponsorships, identifiers, relations), events, statements."""

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
                    "package": self.find(BillPackage, item.get("package")),
                    "originating_chamber": self.org(item.get("originating_chamber")),
                    "initiator_kind": item.get("initiator_kind", "unknown"),
                    **_dated(item, "introduced_on", "introduced_precision"),
                    "law_number": item.get("law_number", ""),
                    **_dated(item, "signed_on", "signed_precision"),
                    **_dated(item, "in_force_on", "in_force_precision"),
                    "in_force_rule": item.get("in_force_rule", "").strip(),
                    "last_verified_on": _date(item.get("last_verified_on")),
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
            bill = self.get(Bill, item["slug"])
            for relation in item.get("relations", []):
                record = self.upsert(
                    BillRelation,
                    {
                        "bill": bill,
                        "related_bill": self.get(Bill, relation["related_bill"]),
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
                "event": self.find(Event, item.get("event")) if item.get("event") else None,
                "sequence": item.get("sequence"),
                "text": item["text"].strip(),
                "form": item["form"],
                "language": item.get("language", "en"),
            }
            topics = list(Topic.objects.filter(slug__in=item.get("topics", [])))
            stances = [
                (
                    self.get(Bill, link["bill"]),
                    link.get("stance", "unclear"),
                    self.stance_citations(link),
                )
                for link in item.get("bills", [])
            ]
            statement = self.find(Statement, item["slug"])
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
                self.report.created["citation"] += len(citations) + sum(
                    len(claim[2] or []) for claim in stances
                )
            else:
                if any(getattr(statement, key) != value for key, value in values.items()):
                    statement = services.statement_update(statement=statement, values=values)
                    self.report.updated["statement"] += 1
                self.set_m2m(statement, "topics", topics)
                current = {link.bill_id: link for link in statement.bill_links.all()}
                for bill, stance, citations in stances:
                    if self.stance_differs(current.get(bill.pk), stance, citations):
                        services.statement_set_stance(
                            statement=statement, bill=bill, stance=stance, citations=citations
                        )
                        self.report.updated["statementbill"] += 1
                self.cite(statement, item.get("citations"))
            self.to_publish.append(statement)

    def stance_citations(self, link: dict) -> list[dict] | None:
        """The citations a seed stance gives (None: it gives none, so a re-seed keeps what
        curators cited for it)."""
        if "citations" not in link:
            return None
        return [{**key, **other} for key, other in map(self.citation_values, link["citations"])]

    @staticmethod
    def stance_differs(link, stance: str, citations: list[dict] | None) -> bool:
        if link is None or link.stance != stance:
            return True
        if citations is None:
            return False
        have = {
            (c.source_id, c.field_name, c.excerpt): c for c in Citation.objects.for_object(link)
        }
        want = {(c["source"].pk, c["field_name"], c["excerpt"]): c for c in citations}
        if set(have) != set(want):
            return True
        return any(
            getattr(have[key], name) != value
            for key, values in want.items()
            for name, value in values.items()
            if name not in {"source", "field_name", "excerpt"}
        )
