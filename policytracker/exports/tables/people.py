"""CSV tables of people, organizations, memberships, events, statements and topics."""

from policytracker.exports.columns import (
    ID,
    SLUG,
    URL,
    Column,
    Table,
    date,
    part_field,
    plain,
    precision,
    provenance,
    ref,
    timestamps,
)


def _speaker(key: str):
    def value(record, part):
        speaker = record.get("speaker_person") or record.get("speaker_organization")
        return speaker.get(key) if speaker else None

    return value


def _speaker_kind(record, part):
    if record.get("speaker_person"):
        return "person"
    return "organization" if record.get("speaker_organization") else None


def _other_names(record, part):
    names = record.get("other_names") or []
    return [name if isinstance(name, str) else f"{name['name']} ({name['kind']})" for name in names]


def _disputed_names(record, part):
    return [name["name"] for name in record.get("disputed_names") or []]


def _name_disputed(link: str):
    def value(record, part):
        person = record.get(link)
        return person.get("name_disputed") if isinstance(person, dict) else None

    return value


PEOPLE = Table(
    "people",
    "one person",
    (
        ID, SLUG, URL,
        plain("name", "Full name as recorded."),
        plain("given_name", "Given name."),
        plain("family_name", "Family name."),
        plain("summary", "One line about the person."),
        Column(
            "other_names",
            "Other names with their kind in brackets (conflicting: a name some sources give "
            "instead), '; '-separated.",
            _other_names,
        ),
        plain("name_disputed", "true when a source disputes the name (see disputed_names)."),
        Column(
            "disputed_names",
            "Conflicting names other sources give, '; '-separated (their sources: citations.csv).",
            _disputed_names,
        ),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip

ORGANIZATIONS = Table(
    "organizations",
    "one organization",
    (
        ID, SLUG, URL,
        plain("name", "Name."),
        plain("abbreviation", "Abbreviation (e.g. KNB)."),
        plain("classification", "Kind of body (chamber, agency, executive …)."),
        ref("parent", "Slug of the parent body, if any."),
        ref("parent_name", "Name of the parent body.", "name", "parent"),
        Column("other_names", "Other names, '; '-separated.", _other_names),
        plain("description", "What the organization is."),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip

MEMBERSHIPS = Table(
    "memberships",
    "one role a person held in an organization",
    (
        ID, URL,
        ref("person", "Slug of the person."),
        ref("person_name", "Name of the person.", "name", "person"),
        Column(
            "person_name_disputed",
            "true when a source disputes that name (people.csv names the alternatives).",
            _name_disputed("person"),
        ),
        ref("organization", "Slug of the organization."),
        ref("organization_name", "Name of the organization.", "name", "organization"),
        plain("role", "The role held."),
        date("start_on", "Date the role began."),
        precision("start_precision", "start date"),
        date("end_on", "Date the role ended."),
        precision("end_precision", "end date"),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip

EVENTS = Table(
    "events",
    "one event (a roundtable, sitting, address …)",
    (
        ID, SLUG, URL,
        plain("name", "Name of the event."),
        plain("kind", "Kind of event."),
        date("starts_on", "Date of the event."),
        precision("starts_precision", "event date"),
        plain("place", "Where it took place."),
        ref("organizer", "Slug of the organizing body, if known."),
        ref("organizer_name", "Name of the organizer.", "name", "organizer"),
        plain("description", "What happened."),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip


def _stances(record: dict) -> list:
    return record.get("bills") or []


def _stance_sources(key: str):
    def value(record, part):
        citations = (part or {}).get("sources") or []
        if key == "url":
            return list(dict.fromkeys(citation["source"]["url"] for citation in citations))
        return [citation[key] for citation in citations]

    return value


STATEMENTS = Table(
    "statements",
    "one statement and one bill it concerns, with the speaker's stance on that bill (a "
    "statement about no bill has one row with the bill columns empty)",
    (
        plain("id", "Stable numeric id of the statement (repeated on each of its rows)."),
        SLUG, URL,
        Column("speaker_kind", "person or organization (empty when unnamed).", _speaker_kind),
        Column("speaker", "Slug of the speaking person or organization.", _speaker("slug")),
        Column("speaker_name", "Name of the speaker.", _speaker("name")),
        Column(
            "speaker_name_disputed",
            "true when a source disputes the speaking person's name (see people.csv).",
            _name_disputed("speaker_person"),
        ),
        plain("attribution", "How the source attributes the statement."),
        plain("speaker_role", "The speaker's role when speaking."),
        ref("speaker_organization_at_time", "Slug of the speaker's organization then."),
        ref("on_behalf_of", "Slug of the organization spoken for, if any."),
        date("said_on", "Date the statement was made."),
        precision("said_precision", "statement date"),
        ref("event", "Slug of the event where it was made, if any."),
        ref("event_name", "Name of that event.", "name", "event"),
        plain("sequence", "Position in the order spoken at that event (1 first), if known."),
        plain("text", "The statement as reported (quoted or paraphrased: see form)."),
        plain("form", "direct_quote, paraphrase or reported_figure."),
        plain("language", "Language the text is reported in."),
        plain("topics", "Topic slugs, '; '-separated."),
        part_field("bill", "Slug of the bill this row is about.", "bill", "slug"),
        part_field("bill_short_title", "Short title of that bill.", "bill", "short_title"),
        part_field("stance", "The speaker's stance on that bill.", "stance"),
        Column(
            "stance_excerpts",
            "The excerpts showing that stance, '; '-separated (none when it is unclear).",
            _stance_sources("excerpt"),
        ),
        Column(
            "stance_source_urls",
            "Addresses of the documents those excerpts come from, '; '-separated.",
            _stance_sources("url"),
        ),
        *provenance(),
        *timestamps(),
    ),
    parts=_stances,
)  # fmt: skip

TOPICS = Table(
    "topics",
    "one topic",
    (
        ID, SLUG, URL,
        plain("name", "Name of the topic."),
        plain("description", "What it covers."),
        *timestamps(),
    ),
)  # fmt: skip
