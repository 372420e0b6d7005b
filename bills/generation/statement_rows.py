"""Rows for statements: each by a person, an organization or unnamed participants, about 1–3
bills (with a stance toward each, cited unless it is unclear), sometimes on a topic, always
citing a source; statements at an event are numbered in the order spoken."""

from bills.generation.generator import Generator
from bills.generation.reference_rows import References
from bills.generation.vocabulary import CLAIMS, TOPICS, VERBS
from bills.models import Stance, Statement, StatementBill, StatementForm


def add_statements(
    gen: Generator, count: int, bill_count: int, refs: References, ctype: dict
) -> None:
    """`count` statements about bills 1..`bill_count`; their citations continue the id range
    of the bills' (so the bills come first)."""
    rng = gen.rng
    rows = gen.table(
        "statements", Statement, "is_published", "slug", "speaker_person_id",
        "speaker_organization_id", "attribution", "speaker_role", "speaker_membership_id",
        "on_behalf_of_id", "said_on", "said_precision", "event_id", "sequence", "text", "form",
        "language",
    )  # fmt: skip
    links = gen.table("stances", StatementBill, "statement_id", "bill_id", "stance")
    topics = gen.link_table(
        "statement_topics", Statement.topics.through, "id", "statement_id", "topic_id"
    )
    citations = gen.tables["citations"]
    forms, stances = sorted(StatementForm.values), sorted(Stance.values)
    link_id = topic_link_id = 0
    spoken: dict[int, int] = {}  # statements so far at each event
    slugs = {topic: topic.replace(" ", "-") for topic in TOPICS}
    for pk in range(1, count + 1):
        roll = rng.random()
        person = rng.randint(1, refs.person_count) if roll < 0.7 else None
        organization = rng.randint(1, refs.org_count) if 0.7 <= roll < 0.9 else None
        family = refs.family_of[person] if person else "participants"
        if person:
            attribution = f"{family}, deputy"
        else:
            attribution = "the press office" if organization else "participants"

        topic = rng.choice(TOPICS)
        said_on, precision = gen.dated()
        text = (
            f"{attribution.capitalize()} {rng.choice(VERBS)} the bill: "
            + rng.choice(CLAIMS).format(t=topic) + ". "
            + rng.choice(CLAIMS).format(t=rng.choice(TOPICS)).capitalize() + "."
        )  # fmt: skip
        event = rng.randint(1, refs.event_count) if rng.random() < 0.3 else None
        sequence = None
        if event is not None and rng.random() < 0.8:
            sequence = spoken[event] = spoken.get(event, 0) + 1
        rows.add(
            pk, *gen.common(), True, f"{family.lower()}-{slugs[topic]}-{pk}",
            person, organization, attribution, "Deputy" if person else "",
            person if person and rng.random() < 0.5 else None,
            rng.randint(1, refs.org_count) if rng.random() < 0.2 else None, said_on, precision,
            event, sequence, text, rng.choice(forms), "en",
        )  # fmt: skip
        concerned = rng.sample(range(1, bill_count + 1), min(bill_count, rng.randint(1, 3)))
        for bill in sorted(concerned):
            link_id += 1
            stance = rng.choice(stances)
            links.add(link_id, *gen.common(), pk, bill, stance)
            if stance != Stance.UNCLEAR:
                citations.add(gen.next_citation_id(), *gen.common(),
                              rng.randint(1, refs.source_count), ctype[StatementBill], link_id,
                              "stance", text[:120], "quote", "", "supports", "", "")  # fmt: skip
        if rng.random() < 0.5:
            topic_link_id += 1
            topics.add(topic_link_id, pk, TOPICS.index(topic) + 1)
        source = rng.randint(1, refs.source_count)
        citations.add(gen.next_citation_id(), *gen.common(), source, ctype[Statement], pk,
                      "", text[:200], "quote", "", "supports", "", "")  # fmt: skip
