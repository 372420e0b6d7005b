"""CSV tables of bills, their status history and sponsorships, and the status vocabulary."""

from bills.procedure import BillStatus
from policytracker.exports.columns import (
    ID,
    SLUG,
    URL,
    Column,
    Table,
    date,
    plain,
    precision,
    provenance,
    ref,
    timestamps,
)


def _sponsor(key: str):
    def value(record, part):
        sponsor = record.get("person") or record.get("organization")
        return sponsor.get(key) if sponsor else None

    return value


def _sponsor_name_disputed(record, part):
    person = record.get("person")
    return person.get("name_disputed") if person else None


def _sponsor_kind(record, part):
    if record.get("person"):
        return "person"
    return "organization" if record.get("organization") else None


def _status_label(record, part):
    code = record.get("resulting_status")
    return BillStatus(code).label if code in BillStatus.values else None


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
        plain(
            "fate",
            "What is known of the bill's fate in plain words ('Fate unknown after …' while "
            "no later step is recorded); empty once the procedure has ended.",
        ),
        plain(
            "last_verified_on",
            "When the record was last checked against the sources (a day); empty when not "
            "recorded.",
        ),
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
        Column(
            "sponsor_name_disputed",
            "true when a source disputes the sponsoring person's name (see people.csv).",
            _sponsor_name_disputed,
        ),
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
