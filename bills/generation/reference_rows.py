"""Rows for the records bills and statements point at: sources, topics, organizations (the
chambers first), people with their other names and posts, and events."""

from dataclasses import dataclass

from bills.generation.generator import Generator
from bills.generation.vocabulary import FAMILY, GIVEN, ORG_KINDS, PUBLISHERS, TOPICS
from bills.models import (
    Event,
    EventKind,
    Membership,
    Organization,
    Person,
    PersonName,
    Topic,
)
from sources.models import Source, SourceKind

# The fixed organizations, ids 1–5 in this order: bills and actions name them by key.
FIXED_ORGANIZATIONS = [
    ("parliament", "Parliament of the Republic of Kazakhstan", "", "legislature", None),
    ("mazhilis", "Mazhilis", "", "chamber", 1),
    ("senate", "Senate", "", "chamber", 1),
    ("government", "Government of the Republic of Kazakhstan", "", "executive", None),
    ("president", "Office of the President", "", "head_of_state", None),
]


@dataclass(frozen=True)
class References:
    """What the bills and statements draw from: ids run from 1 to each count."""

    source_count: int
    org_ids: dict[str, int]  # the fixed organizations by key
    org_count: int
    person_count: int
    family_of: list[str]  # family name by person id (index 0 unused)
    event_count: int


def add_references(gen: Generator, *, bills: int, statements: int) -> References:
    """Sources, topics, organizations, people and events, sized after the bills and
    statements to come."""
    source_count = add_sources(gen, max(20, bills * 3 // 10))
    add_topics(gen)
    org_ids, org_count = add_organizations(gen, max(len(FIXED_ORGANIZATIONS) + 10, bills // 10))
    person_count = max(20, bills * 3 // 10)
    family_of = add_people(gen, person_count, org_count)
    event_count = add_events(gen, max(5, statements // 100), org_count)
    return References(source_count, org_ids, org_count, person_count, family_of, event_count)


def add_sources(gen: Generator, count: int) -> int:
    """A few thousand documents at full size."""
    rng = gen.rng
    sources = gen.table(
        "sources", Source, "is_published", "url", "title", "publisher", "author",
        "published_on", "published_precision", "language", "kind", "accessed_on",
        "content_sha256",
    )  # fmt: skip
    kinds = sorted(SourceKind.values)
    for pk in range(1, count + 1):
        publisher, domain = rng.choice(PUBLISHERS)
        topic = rng.choice(TOPICS)
        published_on, precision = gen.dated()
        sources.add(
            pk, *gen.common(), True, f"https://{domain}/news/{pk}-" +
            topic.replace(" ", "-"), f"Deputies discuss {topic} ({pk})", publisher,
            f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", published_on, precision,
            rng.choice(("en", "ru", "kk")), rng.choice(kinds), gen.day(),
            f"{rng.getrandbits(256):064x}",
        )  # fmt: skip
    return count


def add_topics(gen: Generator) -> None:
    topics = gen.table("topics", Topic, "slug", "name", "description")
    for pk, name in enumerate(TOPICS, 1):
        topics.add(pk, *gen.common(), name.replace(" ", "-"), name.title(), "")


def add_organizations(gen: Generator, count: int) -> tuple[dict[str, int], int]:
    """The fixed organizations, then `count` in all; their ids by key, and `count`."""
    rng = gen.rng
    orgs = gen.table(
        "organizations", Organization, "is_published", "slug", "name", "abbreviation",
        "classification", "parent_id", "description",
    )  # fmt: skip
    org_ids = {key: pk for pk, (key, *_) in enumerate(FIXED_ORGANIZATIONS, 1)}
    for pk, (key, name, abbreviation, kind, parent) in enumerate(FIXED_ORGANIZATIONS, 1):
        orgs.add(pk, *gen.common(), True, key, name, abbreviation, kind, parent, "")
    for pk in range(len(FIXED_ORGANIZATIONS) + 1, count + 1):
        kind, pattern = rng.choice(ORG_KINDS)
        name = pattern.format(rng.choice(TOPICS).title())
        parent = org_ids["mazhilis"] if kind == "committee" else None
        slug = f"{name.lower().replace(' ', '-')}-{pk}"
        orgs.add(pk, *gen.common(), True, slug, name, "", kind, parent, "")
    return org_ids, count


def add_people(gen: Generator, count: int, org_count: int) -> list[str]:
    """People, an other name for every fifth, a post each; their family names by id."""
    rng = gen.rng
    people = gen.table(
        "people", Person, "is_published", "slug", "name", "given_name", "family_name", "summary"
    )
    names = gen.table("person_names", PersonName, "person_id", "name", "kind", "language", "note")
    posts = gen.table(
        "memberships", Membership, "is_published", "person_id", "organization_id", "role",
        "start_on", "start_precision",
    )  # fmt: skip
    family_of: list[str] = [""]
    for pk in range(1, count + 1):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        family_of.append(family)
        slug = f"{given}-{family}-{pk}".lower()
        summary = f"Public figure speaking on {rng.choice(TOPICS)}."
        people.add(pk, *gen.common(), True, slug, f"{given} {family}", given, family, summary)
        if pk % 5 == 0:
            names.add(pk // 5, *gen.common(), pk, f"{given} {family}a", "alternate", "ru", "")
        start_on, precision = gen.dated()
        posts.add(pk, *gen.common(), True, pk, rng.randint(1, org_count),
                  rng.choice(("Deputy", "Minister", "Chair", "Director", "Expert")), start_on,
                  precision)  # fmt: skip
    return family_of


def add_events(gen: Generator, count: int, org_count: int) -> int:
    rng = gen.rng
    events = gen.table(
        "events", Event, "is_published", "slug", "name", "kind", "starts_on",
        "starts_precision", "place", "organizer_id", "description",
    )  # fmt: skip
    event_kinds = sorted(EventKind.values)
    for pk in range(1, count + 1):
        topic = rng.choice(TOPICS)
        starts_on, precision = gen.dated()
        slug = f"roundtable-{topic.replace(' ', '-')}-{pk}"
        events.add(pk, *gen.common(), True, slug, f"Roundtable on {topic}",
                   rng.choice(event_kinds), starts_on, precision, "Astana",
                   rng.randint(1, org_count), "")  # fmt: skip
    return count
