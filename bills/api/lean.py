"""Lean pages of bills and statements (policytracker/lean.py): dicts in, JSON-ready dicts out,
field for field what BillSerializer and StatementSerializer give (tests/test_lean.py)."""

from bills import selectors
from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillStatus,
    Event,
    Membership,
    Organization,
    Person,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from bills.procedure import procedure_for
from policytracker.lean import (
    Addresses,
    citations_by_record,
    date_text,
    datetime_text,
    grouped_rows,
    visible_rows,
)

ORG_REF = ("slug", "name", "abbreviation", "classification")
PERSON_REF = ("slug", "name")
STATUS_LABELS = dict(BillStatus.choices)

BILL_COLUMNS = (
    "id",
    "slug",
    "title",
    "title_status",
    "title_ru",
    "title_kk",
    "short_title",
    "summary",
    "status",
    "status_changed_on",
    "procedure",
    "package_id",
    "originating_chamber_id",
    "initiator_kind",
    "introduced_on",
    "introduced_precision",
    "law_number",
    "signed_on",
    "signed_precision",
    "in_force_on",
    "in_force_precision",
    "in_force_rule",
    "created_at",
    "updated_at",
)
STATEMENT_COLUMNS = (
    "id",
    "slug",
    "speaker_person_id",
    "speaker_organization_id",
    "attribution",
    "speaker_role",
    "speaker_membership_id",
    "on_behalf_of_id",
    "said_on",
    "said_precision",
    "event_id",
    "text",
    "form",
    "language",
    "created_at",
    "updated_at",
)


class References:
    """Short references (OrganizationRef, PersonRef, EventRef) of the records a page links to,
    read through the gate: a record the caller may not see is absent, so its reference is
    null."""

    def __init__(self, addresses: Addresses, *, see_drafts: bool):
        self.addresses = addresses
        self.see_drafts = see_drafts
        self.organizations: dict[int, dict] = {}
        self.people: dict[int, dict] = {}
        self.events: dict[int, dict] = {}

    def load(self, *, organizations=(), people=(), events=()) -> None:
        visible = {"see_drafts": self.see_drafts}
        self.organizations.update(
            visible_rows(Organization.objects.visible(**visible), organizations, ORG_REF)
        )
        self.people.update(visible_rows(Person.objects.visible(**visible), people, PERSON_REF))
        self.events.update(
            visible_rows(Event.objects.visible(**visible), events, ("slug", "name", "starts_on"))
        )

    def organization(self, pk) -> dict | None:
        row = self.organizations.get(pk)
        if row is None:
            return None
        return {
            "id": row["id"],
            "slug": row["slug"],
            "url": self.addresses("organization-detail", row["slug"]),
            "name": row["name"],
            "abbreviation": row["abbreviation"],
            "classification": row["classification"],
        }

    def person(self, pk) -> dict | None:
        row = self.people.get(pk)
        if row is None:
            return None
        return {
            "id": row["id"],
            "slug": row["slug"],
            "url": self.addresses("person-detail", row["slug"]),
            "name": row["name"],
        }

    def event(self, pk) -> dict | None:
        row = self.events.get(pk)
        if row is None:
            return None
        return {
            "id": row["id"],
            "slug": row["slug"],
            "url": self.addresses("event-detail", row["slug"]),
            "name": row["name"],
            "starts_on": date_text(row["starts_on"]),
        }


def _topics(model, ids, *, see_drafts: bool) -> dict[int, list[str]]:
    """Slugs of the visible topics of each record, by slug (as the topics prefetch)."""
    through = model.topics.through
    owner = f"{model._meta.model_name}_id"
    topics = Topic.objects.visible(see_drafts=see_drafts).values("pk")
    rows = (
        through.objects.filter(**{f"{owner}__in": ids}, topic_id__in=topics)
        .order_by("topic__slug")
        .values_list(owner, "topic__slug")
    )
    grouped: dict[int, list[str]] = {pk: [] for pk in ids}
    for pk, slug in rows:
        grouped[pk].append(slug)
    return grouped


def _explanation(row: dict) -> str | None:
    if not row["status"]:
        return None
    return procedure_for(row["procedure"]).statuses[row["status"]].explanation


# -- bills -------------------------------------------------------------------------------------


def bill_rows(*, see_drafts: bool, q: str | None):
    """The gated, searched bills a lean page is cut from (bill_list without its prefetches)."""
    return selectors.with_search(Bill.objects.visible(see_drafts=see_drafts), q).order_by("slug")


def bill_page(rows: list[dict], *, request, see_drafts: bool, include: frozenset) -> list[dict]:
    """BillSerializer's output for bill rows (`BILL_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    refs = References(addresses, see_drafts=see_drafts)
    ids = [row["id"] for row in rows]
    gate = {"see_drafts": see_drafts}
    topics = _topics(Bill, ids, **gate)
    packages = visible_rows(
        BillPackage.objects.visible(**gate), [row["package_id"] for row in rows], ("slug",)
    )
    identifiers = grouped_rows(
        BillIdentifier.objects.visible(**gate), "bill_id", ids, ("scheme", "identifier")
    )
    sources = citations_by_record(Bill, ids, **gate)
    organizations = {row["originating_chamber_id"] for row in rows}
    parts = {}
    if "sponsors" in include:
        parts["sponsors"] = _sponsorships(ids, refs, addresses, gate, organizations)
    if "actions" in include:
        parts["actions"] = _actions(ids, refs, addresses, gate, organizations)
    if "statements" in include:
        parts["statements"] = _statement_links(ids, refs, addresses, gate)
    refs.load(organizations=organizations)
    for name, build in parts.items():
        parts[name] = build()

    page = []
    for row in rows:
        pk, slug = row["id"], row["slug"]
        package = packages.get(row["package_id"])
        item = {
            "id": pk,
            "slug": slug,
            "url": addresses("bill-detail", slug),
            "feed_url": addresses("feed-bill", slug),
            "title": row["title"],
            "title_status": row["title_status"],
            "title_ru": row["title_ru"],
            "title_kk": row["title_kk"],
            "short_title": row["short_title"],
            "summary": row["summary"],
            "status": row["status"],
            "status_label": STATUS_LABELS.get(row["status"], row["status"]),
            "status_explanation": _explanation(row),
            "status_changed_on": date_text(row["status_changed_on"]),
            "procedure": row["procedure"],
            "topics": topics[pk],
            "package": package["slug"] if package else None,
            "originating_chamber": refs.organization(row["originating_chamber_id"]),
            "initiator_kind": row["initiator_kind"],
            "introduced_on": date_text(row["introduced_on"]),
            "introduced_precision": row["introduced_precision"],
            "law_number": row["law_number"],
            "signed_on": date_text(row["signed_on"]),
            "signed_precision": row["signed_precision"],
            "in_force_on": date_text(row["in_force_on"]),
            "in_force_precision": row["in_force_precision"],
            "in_force_rule": row["in_force_rule"],
            "identifiers": [
                {"scheme": ident["scheme"], "identifier": ident["identifier"]}
                for ident in identifiers[pk]
            ],
            "sources": sources.get(pk, []),
        }
        for name, by_bill in parts.items():
            item[name] = by_bill.get(pk, [])
        item["created_at"] = datetime_text(row["created_at"])
        item["updated_at"] = datetime_text(row["updated_at"])
        page.append(item)
    return page


SPONSORSHIP_FIELDS = (
    "id",
    "bill__slug",
    "role",
    "person_id",
    "organization_id",
    "chamber_id",
    "capacity",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
    "created_at",
    "updated_at",
)


def _sponsorships(ids, refs: References, addresses: Addresses, gate: dict, organizations: set):
    """Fetch now (their people and organizations join the page's references); build later."""
    queryset = selectors.sponsorships_prefetch(**gate).queryset
    by_bill = grouped_rows(queryset, "bill_id", ids, SPONSORSHIP_FIELDS)
    rows = [row for group in by_bill.values() for row in group]
    organizations.update(row["organization_id"] for row in rows)
    organizations.update(row["chamber_id"] for row in rows)
    refs.load(people=[row["person_id"] for row in rows])

    def build() -> dict[int, list[dict]]:
        sources = citations_by_record(Sponsorship, [row["id"] for row in rows], **gate)
        return {
            bill_id: [
                {
                    "id": row["id"],
                    "url": addresses("sponsorship-detail", row["id"], "pk"),
                    "bill": row["bill__slug"],
                    "role": row["role"],
                    "person": refs.person(row["person_id"]),
                    "organization": refs.organization(row["organization_id"]),
                    "chamber": refs.organization(row["chamber_id"]),
                    "capacity": row["capacity"],
                    "started_on": date_text(row["started_on"]),
                    "started_precision": row["started_precision"],
                    "ended_on": date_text(row["ended_on"]),
                    "ended_precision": row["ended_precision"],
                    "sources": sources.get(row["id"], []),
                    "created_at": datetime_text(row["created_at"]),
                    "updated_at": datetime_text(row["updated_at"]),
                }
                for row in group
            ]
            for bill_id, group in by_bill.items()
        }

    return build


ACTION_FIELDS = (
    "id",
    "bill__slug",
    "order",
    "occurred_on",
    "occurred_precision",
    "actor_id",
    "classification",
    "resulting_status",
    "description",
    "skips_unrecorded_steps",
    "created_at",
    "updated_at",
)


def _actions(ids, refs: References, addresses: Addresses, gate: dict, organizations: set):
    queryset = selectors.actions_prefetch(**gate).queryset
    by_bill = grouped_rows(queryset, "bill_id", ids, ACTION_FIELDS)
    rows = [row for group in by_bill.values() for row in group]
    organizations.update(row["actor_id"] for row in rows)

    def build() -> dict[int, list[dict]]:
        sources = citations_by_record(BillAction, [row["id"] for row in rows], **gate)
        return {
            bill_id: [
                {
                    "id": row["id"],
                    "url": addresses("bill-action-detail", row["id"], "pk"),
                    "bill": row["bill__slug"],
                    "order": row["order"],
                    "occurred_on": date_text(row["occurred_on"]),
                    "occurred_precision": row["occurred_precision"],
                    "actor": refs.organization(row["actor_id"]),
                    "classification": row["classification"],
                    "resulting_status": row["resulting_status"],
                    "description": row["description"],
                    "skips_unrecorded_steps": row["skips_unrecorded_steps"],
                    "sources": sources.get(row["id"], []),
                    "created_at": datetime_text(row["created_at"]),
                    "updated_at": datetime_text(row["updated_at"]),
                }
                for row in group
            ]
            for bill_id, group in by_bill.items()
        }

    return build


LINK_FIELDS = (
    "statement_id",
    "statement__slug",
    "statement__attribution",
    "statement__speaker_person_id",
    "statement__said_on",
    "statement__said_precision",
    "statement__form",
    "statement__text",
    "stance",
)


def _statement_links(ids, refs: References, addresses: Addresses, gate: dict):
    queryset = selectors.statement_links_prefetch(**gate).queryset
    by_bill = grouped_rows(queryset, "bill_id", ids, LINK_FIELDS)
    rows = [row for group in by_bill.values() for row in group]
    refs.load(people=[row["statement__speaker_person_id"] for row in rows])

    def build() -> dict[int, list[dict]]:
        statement_ids = sorted({row["statement_id"] for row in rows})
        sources = citations_by_record(Statement, statement_ids, **gate)
        return {
            bill_id: [
                {
                    "id": row["statement_id"],
                    "slug": row["statement__slug"],
                    "url": addresses("statement-detail", row["statement__slug"]),
                    "attribution": row["statement__attribution"],
                    "speaker_person": refs.person(row["statement__speaker_person_id"]),
                    "said_on": date_text(row["statement__said_on"]),
                    "said_precision": row["statement__said_precision"],
                    "form": row["statement__form"],
                    "text": row["statement__text"],
                    "stance": row["stance"],
                    "sources": sources.get(row["statement_id"], []),
                }
                for row in group
            ]
            for bill_id, group in by_bill.items()
        }

    return build


# -- statements --------------------------------------------------------------------------------


def statement_rows(*, see_drafts: bool, q: str | None):
    """The gated, searched statements a lean page is cut from (statement_list without its
    prefetches)."""
    statements = Statement.objects.visible(see_drafts=see_drafts)
    return selectors.with_search(statements, q).order_by("slug")


STANCE_FIELDS = ("bill_id", "bill__slug", "bill__short_title", "bill__status", "stance")


def statement_page(rows: list[dict], *, request, see_drafts: bool, **_) -> list[dict]:
    """StatementSerializer's output for statement rows (`STATEMENT_COLUMNS`)."""
    if not rows:
        return []
    addresses = Addresses(request)
    refs = References(addresses, see_drafts=see_drafts)
    ids = [row["id"] for row in rows]
    gate = {"see_drafts": see_drafts}
    posts = visible_rows(
        Membership.objects.visible(**gate),
        [row["speaker_membership_id"] for row in rows],
        ("organization_id",),
    )
    refs.load(
        organizations=[
            *(row["speaker_organization_id"] for row in rows),
            *(row["on_behalf_of_id"] for row in rows),
            *(post["organization_id"] for post in posts.values()),
        ],
        people=[row["speaker_person_id"] for row in rows],
        events=[row["event_id"] for row in rows],
    )
    topics = _topics(Statement, ids, **gate)
    stances = grouped_rows(
        StatementBill.objects.visible(**gate).order_by("bill__slug"),
        "statement_id",
        ids,
        STANCE_FIELDS,
    )
    sources = citations_by_record(Statement, ids, **gate)

    page = []
    for row in rows:
        pk, slug = row["id"], row["slug"]
        post = posts.get(row["speaker_membership_id"])
        page.append(
            {
                "id": pk,
                "slug": slug,
                "url": addresses("statement-detail", slug),
                "speaker_person": refs.person(row["speaker_person_id"]),
                "speaker_organization": refs.organization(row["speaker_organization_id"]),
                "attribution": row["attribution"],
                "speaker_role": row["speaker_role"],
                "speaker_organization_at_time": (
                    refs.organization(post["organization_id"]) if post else None
                ),
                "on_behalf_of": refs.organization(row["on_behalf_of_id"]),
                "said_on": date_text(row["said_on"]),
                "said_precision": row["said_precision"],
                "event": refs.event(row["event_id"]),
                "text": row["text"],
                "form": row["form"],
                "language": row["language"],
                "topics": topics[pk],
                "bills": [
                    {
                        "bill": {
                            "id": link["bill_id"],
                            "slug": link["bill__slug"],
                            "url": addresses("bill-detail", link["bill__slug"]),
                            "short_title": link["bill__short_title"],
                            "status": link["bill__status"],
                        },
                        "stance": link["stance"],
                    }
                    for link in stances[pk]
                ],
                "sources": sources.get(pk, []),
                "created_at": datetime_text(row["created_at"]),
                "updated_at": datetime_text(row["updated_at"]),
            }
        )
    return page
