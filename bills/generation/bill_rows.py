"""Rows for bills: packages, bills with their topics and identifiers, 5 actions along the
transition table of the procedure, 2 sponsorships, and the citations of each (a contradicting
citation always states its `claimed_value`)."""

import datetime

from bills.generation.generator import Generator
from bills.generation.reference_rows import References
from bills.generation.vocabulary import TOPICS, TOPICS_RU
from bills.models import Bill, BillAction, BillIdentifier, BillPackage, Sponsorship
from bills.procedure import DEFAULT_PROCEDURE, BillStatus, procedure_for
from sources.models import Citation

S = BillStatus
ACTIONS_PER_BILL = 5


def status_paths(length: int) -> list[tuple[str, ...]]:
    """Every walk of `length` statuses along the transition table that ends no earlier."""
    procedure = procedure_for(DEFAULT_PROCEDURE)
    terminal = procedure.terminal_statuses()
    paths: list[tuple[str, ...]] = []

    def walk(path: tuple[str, ...]) -> None:
        if len(path) == length:
            paths.append(path)
            return
        for status in sorted(procedure.allowed_next(path[-1] if path else None)):
            if status not in terminal or len(path) + 1 == length:
                walk((*path, status))

    walk(())
    return paths


def actor_key(status: str) -> str:
    """Which fixed organization takes the action that reaches `status`."""
    if status in (S.ANNOUNCED, S.DRAFTED, S.SUBMITTED, S.WITHDRAWN):
        return "government"
    if status in (S.SENT_TO_PRESIDENT, S.RETURNED_BY_PRESIDENT, S.SIGNED, S.DEEMED_SIGNED):
        return "president"
    if status in (S.IN_SENATE, S.SENATE_ADOPTED, S.SENATE_RETURNED, S.SENATE_REJECTED):
        return "senate"
    return "mazhilis"


def add_bills(gen: Generator, count: int, refs: References, ctype: dict) -> None:
    """`count` bills; `ctype` maps a model to its content type id (citations point at their
    record through the generic `content_type`/`object_id` pair)."""
    rng = gen.rng
    paths = status_paths(ACTIONS_PER_BILL)
    procedure = procedure_for(DEFAULT_PROCEDURE)
    org_ids = refs.org_ids

    packages = gen.table("packages", BillPackage, "is_published", "slug", "name", "description")
    package_count = max(1, count // 100)
    for pk in range(1, package_count + 1):
        packages.add(pk, *gen.common(), True, f"package-{pk}", f"Legislative package {pk}", "")
    bill_rows = gen.table(
        "bills", Bill, "is_published", "slug", "title", "title_status", "title_ru",
        "title_kk", "short_title", "summary", "package_id", "originating_chamber_id",
        "initiator_kind", "introduced_on", "introduced_precision", "procedure", "status",
        "status_changed_on", "status_changed_precision",
    )  # fmt: skip
    bill_topics = gen.link_table("bill_topics", Bill.topics.through, "id", "bill_id", "topic_id")
    identifiers = gen.table("identifiers", BillIdentifier, "bill_id", "scheme", "identifier")
    actions = gen.table(
        "actions", BillAction, "bill_id", "order", "occurred_on", "occurred_precision",
        "actor_id", "classification", "resulting_status", "description",
        "skips_unrecorded_steps",
    )  # fmt: skip
    sponsorships = gen.table(
        "sponsorships", Sponsorship, "is_published", "bill_id", "person_id",
        "organization_id", "role", "chamber_id", "capacity", "started_on",
        "started_precision",
    )  # fmt: skip
    citations = gen.table(
        "citations", Citation, "source_id", "content_type_id", "object_id", "field_name",
        "excerpt", "excerpt_kind", "locator", "relation", "claimed_value", "resolution_note",
    )  # fmt: skip
    topic_link_id = 0

    def cite(model, pk, source, field_name, text):
        citation_id = gen.next_citation_id()
        contradicts = field_name != "" and rng.random() < 0.04
        claimed = str(gen.day()) if contradicts else ""
        citations.add(citation_id, *gen.common(), source, ctype[model], pk, field_name, text,
                      "quote", f"para. {rng.randint(1, 40)}",
                      "contradicts" if contradicts else "supports", claimed, "")  # fmt: skip

    for pk in range(1, count + 1):
        path = rng.choice(paths)
        topic_ids = sorted(rng.sample(range(1, len(TOPICS) + 1), rng.randint(1, 3)))
        topic = TOPICS[topic_ids[0] - 1]
        day = gen.day(span=3000)
        dates = []
        for _ in path:
            day += datetime.timedelta(days=rng.randint(3, 60))
            dates.append(day)
        introduced = dates[path.index(S.SUBMITTED)] if S.SUBMITTED in path else None
        roll = rng.random()
        title_status = "verified" if roll < 0.7 else "provisional" if roll < 0.9 else "unknown"
        title = "" if title_status == "unknown" else (
            f"On amendments to certain legislative acts on {topic} ({pk})"
        )  # fmt: skip
        title_ru = (
            f"О внесении изменений в некоторые законодательные акты по вопросам "
            f"{rng.choice(TOPICS_RU)}"
        )
        slug = f"kz-{dates[0].year}-{topic.replace(' ', '-')}-{pk}"
        summary = (
            f"The bill amends the rules on {topic} and {rng.choice(TOPICS)}. "
            f"It {rng.choice(('tightens', 'clarifies', 'extends'))} the powers of the "
            f"{rng.choice(('special services', 'prosecutors', 'ministry', 'courts'))}."
        )
        package = rng.randint(1, package_count) if roll < 0.3 else None
        bill_rows.add(
            pk, *gen.common(), True, slug, title, title_status, title_ru,
            title_ru if pk % 2 else "", f"{topic.title()} bill {pk}", summary, package,
            org_ids["mazhilis"], rng.choice(("government", "deputies", "president")),
            introduced, "day" if introduced else "unknown", DEFAULT_PROCEDURE, path[-1],
            dates[-1], "day",
        )  # fmt: skip
        for topic_id in topic_ids:
            topic_link_id += 1
            bill_topics.add(topic_link_id, pk, topic_id)
        if pk % 2 == 0:
            identifiers.add(pk // 2, *gen.common(), pk, "adilet", f"P{pk:08d}")
        bill_sources = [rng.randint(1, refs.source_count) for _ in range(2)]
        cite(Bill, pk, bill_sources[0], "", f"The draft law on {topic} was published.")
        field_name = "introduced_on" if introduced else "title"
        cite(Bill, pk, bill_sources[1], field_name, f"Deputies received the bill on {topic}.")
        for order, (status, occurred_on) in enumerate(zip(path, dates, strict=True), 1):
            action_id = (pk - 1) * ACTIONS_PER_BILL + order
            actions.add(
                action_id, *gen.common(), pk, order, occurred_on, "day",
                org_ids[actor_key(status)], procedure.default_classification[status], status,
                f"{BillStatus(status).label}.", False,
            )  # fmt: skip
            excerpt = f"On {occurred_on:%d %B %Y} the bill was {status.replace('_', ' ')}."
            cite(BillAction, action_id, rng.choice(bill_sources), "occurred_on", excerpt)
        # Two sponsors in different roles: never the same (bill, sponsor, role, chamber).
        for number, role in enumerate(("initiator", rng.choice(("cosponsor", "presenter"))), 1):
            sponsorship_id = (pk - 1) * 2 + number
            by_person = rng.random() < 0.5
            person = rng.randint(1, refs.person_count) if by_person else None
            organization = None if by_person else rng.randint(1, refs.org_count)
            chamber = org_ids["mazhilis"] if role == "presenter" else None
            sponsorships.add(
                sponsorship_id, *gen.common(), True, pk, person, organization, role,
                chamber, "Deputy of the Mazhilis" if by_person else "", dates[0], "day",
            )  # fmt: skip
            cite(Sponsorship, sponsorship_id, bill_sources[0], "",
                 f"The bill was initiated by {role}s on {topic}.")  # fmt: skip
