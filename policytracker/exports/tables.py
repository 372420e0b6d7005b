"""The CSV table of every exported entity: its columns, described for the README. A column
reads the record's API representation (policytracker/exports/columns.py), so a CSV shows
exactly what the API shows, through the same gate."""

from django.db import models

from bills.procedure import BillStatus
from policytracker.exports.columns import (
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


def _sponsor(key: str):
    def value(record, part):
        sponsor = record.get("person") or record.get("organization")
        return sponsor.get(key) if sponsor else None

    return value


def _sponsor_kind(record, part):
    if record.get("person"):
        return "person"
    return "organization" if record.get("organization") else None


def _other_names(record, part):
    names = record.get("other_names") or []
    return [name if isinstance(name, str) else f"{name['name']} ({name['kind']})" for name in names]


def _status_label(record, part):
    code = record.get("resulting_status")
    return BillStatus(code).label if code in BillStatus.values else None


ID = plain("id", "Stable numeric id of the record (the change feed's record_id).")
SLUG = plain("slug", "Current slug (the address; an old slug redirects to the current one).")
URL = plain("url", "The record's API address.")

BILLS = Table(
    "bills",
    "one bill",
    (
        ID, SLUG, URL,
        plain("title", "Official title in English, empty when not known."),
        plain("title_status", "verified, provisional (working title) or unknown."),
        plain("title_ru", "Official title in Russian, if recorded."),
        plain("title_kk", "Official title in Kazakh, if recorded."),
        plain("short_title", "A short name for lists."),
        plain("status", "Current status code (see statuses.csv)."),
        plain("status_label", "The current status in plain words."),
        plain("status_explanation", "What the current status means for the bill."),
        date("status_changed_on", "Date of the step that set the current status."),
        precision("status_changed_precision", "date of the current status"),
        plain("procedure", "Legislative procedure the status vocabulary belongs to."),
        plain("package", "Slug of the package the bill was announced in, if any."),
        plain("topics", "Topic slugs, '; '-separated."),
        ref("originating_chamber", "Slug of the chamber the bill started in."),
        ref("originating_chamber_name", "Name of that chamber.", "name", "originating_chamber"),
        plain("initiator_kind", "Who initiated it: government, deputies, president or unknown."),
        date("introduced_on", "Date it was introduced to the Mazhilis."),
        precision("introduced_precision", "introduction date"),
        plain("law_number", "Number of the law once signed (e.g. 28-VI)."),
        date("signed_on", "Date the law was signed."),
        precision("signed_precision", "signing date"),
        date("in_force_on", "Date of entry into force."),
        precision("in_force_precision", "entry-into-force date"),
        plain("in_force_rule", "The rule for entry into force, as the law states it."),
        Column(
            "identifiers",
            "Official identifiers as scheme:identifier, '; '-separated.",
            lambda record, part: [
                f"{item['scheme']}:{item['identifier']}" for item in record["identifiers"]
            ],
        ),
        plain("summary", "What the bill does, as the sources describe it."),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip

BILL_ACTIONS = Table(
    "bill-actions",
    "one recorded step of a bill's status history",
    (
        ID, URL,
        plain("bill", "Slug of the bill."),
        plain("order", "Position in the bill's history (1 is the first step)."),
        date("occurred_on", "Date of the step."),
        precision("occurred_precision", "date of the step"),
        ref("actor", "Slug of the organization that took the step."),
        ref("actor_name", "Name of that organization.", "name", "actor"),
        plain("classification", "Kind of step (e.g. reading_passed)."),
        plain("resulting_status", "Status code the step led to."),
        Column("resulting_status_label", "That status in plain words.", _status_label),
        plain("description", "What happened, in words."),
        plain("skips_unrecorded_steps", "true when steps before it are not recorded."),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip

SPONSORSHIPS = Table(
    "sponsorships",
    "one sponsor (a person or an organization) of a bill",
    (
        ID, URL,
        plain("bill", "Slug of the bill."),
        plain("role", "Sponsor's role: initiator, developer, presenter, co-sponsor …"),
        Column("sponsor_kind", "person or organization.", _sponsor_kind),
        Column("sponsor", "Slug of the sponsoring person or organization.", _sponsor("slug")),
        Column("sponsor_name", "Name of the sponsor.", _sponsor("name")),
        ref("chamber", "Slug of the chamber the sponsorship was made in, if any."),
        plain("capacity", "In what capacity the sponsor acted."),
        date("started_on", "Date the sponsorship began."),
        precision("started_precision", "start date"),
        date("ended_on", "Withdrawal date, if any."),
        precision("ended_precision", "withdrawal date"),
        *provenance(),
        *timestamps(),
    ),
)  # fmt: skip

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
        plain("attribution", "How the source attributes the statement."),
        plain("speaker_role", "The speaker's role when speaking."),
        ref("speaker_organization_at_time", "Slug of the speaker's organization then."),
        ref("on_behalf_of", "Slug of the organization spoken for, if any."),
        date("said_on", "Date the statement was made."),
        precision("said_precision", "statement date"),
        ref("event", "Slug of the event where it was made, if any."),
        ref("event_name", "Name of that event.", "name", "event"),
        plain("text", "The statement as reported (quoted or paraphrased: see form)."),
        plain("form", "direct_quote, paraphrase or reported_figure."),
        plain("language", "Language the text is reported in."),
        plain("topics", "Topic slugs, '; '-separated."),
        part_field("bill", "Slug of the bill this row is about.", "bill", "slug"),
        part_field("bill_short_title", "Short title of that bill.", "bill", "short_title"),
        part_field("stance", "The speaker's stance on that bill.", "stance"),
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

SOURCES = Table(
    "sources",
    "one source document",
    (
        ID, URL,
        plain("document_url", "Address of the document itself."),
        plain("title", "Title (in brackets when descriptive, not the document's own)."),
        plain("publisher", "Publisher."),
        plain("author", "Author, if named."),
        date("published_on", "Publication date."),
        precision("published_precision", "publication date"),
        plain("language", "Language of the document."),
        plain("kind", "Kind of document."),
        plain("archived_url", "Address of an archived copy, if any."),
        plain("accessed_on", "When a curator last read the document (a day)."),
        plain("content_sha256", "SHA-256 of the document text as read, if kept."),
        plain("notes", "Curators' notes on reliability or caveats."),
        *timestamps(),
    ),
)  # fmt: skip

CITATIONS = Table(
    "citations",
    "one citation: a source backing (supports) or disputing (contradicts) a record or one "
    "of its fields",
    (
        ID, URL,
        plain("record_type", "Type of the cited record (bill, statement, person …)."),
        plain("record_id", "Its id (the id column of that type's CSV)."),
        ref("source_id", "Id of the source (sources.csv).", "id", "source"),
        ref("source_url", "Address of the source document.", "url", "source"),
        ref("source_title", "Title of the source.", "title", "source"),
        ref("source_publisher", "Publisher of the source.", "publisher", "source"),
        plain("excerpt", "The passage of the source, quoted or paraphrased."),
        plain("excerpt_kind", "quote or paraphrase."),
        plain("locator", "Where in the source (page, paragraph, file)."),
        plain("field", "The field the citation is about; empty for the whole record."),
        plain("relation", "supports or contradicts."),
        plain("claimed_value", "For contradicts: the value the source gives instead."),
        plain("resolution_note", "How a conflict was weighed, if it was."),
        *timestamps(),
    ),
)  # fmt: skip

STATUSES = Table(
    "statuses",
    "one status of the legislative procedure",
    (
        plain("code", "Status code."),
        plain("label", "The status in plain words."),
        plain("explanation", "What it means for a bill."),
        plain("next_step", "What normally comes next."),
        plain("stage", "Stage number along the procedure."),
        plain("terminal", "true when no step can follow."),
        plain("allowed_next", "Status codes that may follow, '; '-separated."),
    ),
)  # fmt: skip

RECORD_TYPES = {
    "bills": "bill", "bill-actions": "billaction", "sponsorships": "sponsorship",
    "people": "person", "organizations": "organization", "memberships": "membership",
    "events": "event", "statements": "statement", "topics": "topic", "sources": "source",
    "citations": "citation",
}  # fmt: skip

TABLES = {
    table.entity: table
    for table in (
        BILLS, BILL_ACTIONS, SPONSORSHIPS, PEOPLE, ORGANIZATIONS, MEMBERSHIPS, EVENTS,
        STATEMENTS, TOPICS, STATUSES, SOURCES, CITATIONS,
    )
}  # fmt: skip


def table_for(model: type[models.Model]) -> Table:
    """The table of a model's records (the list endpoint of that model streams it)."""
    record_type = model._meta.model_name
    return next(TABLES[name] for name, kind in RECORD_TYPES.items() if kind == record_type)
