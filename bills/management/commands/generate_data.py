"""`manage.py generate_data`: a large, seeded, published data set for the benchmark.

    manage.py generate_data --bills 10000 --statements 100000 [--seed 1] [--clear]

The one documented exception to the write door (ARCHITECTURE.md): this is a benchmark fixture
generator, not a curation path, so it loads rows with PostgreSQL's COPY instead of calling the
services (which would take hours for 600,000 rows). It therefore writes no history rows and no
change-log events, and it only ever loads into empty tables: it refuses to run while the
database holds bills, statements, people, organizations or sources, unless `--clear` truncates
every curated table (both apps, the change log and slug aliases) first.

What the services would guarantee is kept by construction: every record is published, at
version 1, with `created_at`/`updated_at`; each bill has 2 sponsorships (person or organization)
and 5 actions along the transition table of its procedure, and its `status`/`status_changed_on`
are those of its last action; citations point at their record through the generic
`content_type`/`object_id` pair, a contradicting one always states its `claimed_value`; every
statement cites a source and concerns 1–3 bills. Search vectors are generated columns and fill
themselves. The same `--seed` gives the same rows, ids and timestamps.
"""

import datetime
import io
import random
import time

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    Event,
    EventKind,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Stance,
    Statement,
    StatementBill,
    StatementForm,
    Topic,
)
from bills.procedure import DEFAULT_PROCEDURE, BillStatus, procedure_for
from sources.models import Citation, Source, SourceKind

S = BillStatus
ACTIONS_PER_BILL = 5
BASE_TIME = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
FIRST_DAY = datetime.date(2014, 1, 1)
NOT_EMPTY = (
    "The database already holds {what}; generate_data only loads into empty tables. "
    "Pass --clear to truncate every curated table first."
)
TOPICS = (  # noqa: SIM905 (word lists read better as text)
    "information security|counter-terrorism|extremism|religious activity|ngo registration|"
    "mass media|internet regulation|personal data|surveillance|criminal procedure|"
    "public assembly|elections|civil service|national security|migration|telecommunications|"
    "cyber security|state secrets|border control|firearms|banking supervision|"
    "energy policy|agriculture|public health|education|land code|taxation|"
    "anti-corruption|local government|defence"
).split("|")
TOPICS_RU = (  # noqa: SIM905 (word lists read better as text)
    "информационной безопасности|противодействия терроризму|экстремизма|религиозной "
    "деятельности|национальной безопасности|средств массовой информации|персональных данных"
).split("|")
GIVEN = (  # noqa: SIM905 (word lists read better as text)
    "Nurlan Aigerim Yerlan Dana Serik Gulnara Askar Madina Bolat Saule Marat Aliya Daniyar "
    "Zhanar Timur Ainur Kairat Asel Ruslan Dinara Arman Gaukhar Yerzhan Olga Sergei Irina"
).split()
FAMILY = (  # noqa: SIM905 (word lists read better as text)
    "Nurgali Abenov Sadykova Tokayev Zhakupov Iskakova Omarov Bekova Mukhamediuly Kassymov "
    "Akhmetova Baimukhamet Dosmagambetov Ivanova Petrov Suleimenov Kenzhebek Utegenova "
    "Shaikenov Zhumabayeva Ospanov Nazarbek Tulegenova Kuanyshev Sarsenbayev Yessimova"
).split()
ORG_KINDS = [
    ("ministry", "Ministry of {}"),
    ("agency", "Agency for {}"),
    ("committee", "Mazhilis Committee on {}"),
    ("ngo", "Foundation for {}"),
    ("media", "{} Review"),
    ("international", "International Centre for {}"),
    ("party", "Party of {}"),
    ("local_government", "Akimat Commission on {}"),
]
VERBS = (  # noqa: SIM905 (word lists read better as text)
    "supports|opposes|questions|welcomes|criticises|warns about|calls for changes to|defends"
).split("|")
CLAIMS = [
    "the bill strengthens {t} and protects citizens",
    "the draft gives the special services too much power over {t}",
    "NGOs were not consulted on the provisions on {t}",
    "the new rules on {t} meet international standards",
    "registration requirements for {t} will burden small organizations",
    "the amendments on {t} close gaps exploited by extremist groups",
    "the norms on {t} restrict freedom of expression online",
    "public hearings on {t} should be held before the second reading",
]
PUBLISHERS = [
    ("Kazinform", "inform.kz"),
    ("Tengrinews", "tengrinews.kz"),
    ("Vlast.kz", "vlast.kz"),
    ("Adilet", "adilet.zan.kz"),
    ("Parliament of Kazakhstan", "parlam.kz"),
    ("Kursiv", "kursiv.media"),
    ("Human Rights Bureau", "bureau.kz"),
    ("OSCE", "osce.org"),
]


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
    if status in (S.ANNOUNCED, S.DRAFTED, S.SUBMITTED, S.WITHDRAWN):
        return "government"
    if status in (S.SENT_TO_PRESIDENT, S.RETURNED_BY_PRESIDENT, S.SIGNED, S.DEEMED_SIGNED):
        return "president"
    if status in (S.IN_SENATE, S.SENATE_ADOPTED, S.SENATE_RETURNED, S.SENATE_REJECTED):
        return "senate"
    return "mazhilis"


ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, list):
        return "{" + ",".join('"' + str(item).replace('"', '\\"') + '"' for item in value) + "}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class Table:
    """Rows for one model's table, sent with COPY; columns not named take the field default
    (so a column added later with a default does not break the generator)."""

    CHUNK = 50_000

    def __init__(self, model: type[models.Model], columns: list[str]):
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        by_attname = {field.attname: field for field in fields}
        missing = [field for field in fields if field.attname not in columns]
        for field in missing:
            # What Django itself would store: the default, "" for text, else NULL if allowed.
            if not (field.null or field.has_default() or field.empty_strings_allowed):
                raise CommandError(f"generate_data does not fill {model.__name__}.{field.name}")
        self.model = model
        self.table = model._meta.db_table
        self.columns = [by_attname[name].column for name in columns] + [f.column for f in missing]
        self.suffix = "".join("\t" + copy_value(f.get_default()) for f in missing)
        self.lines: list[str] = []
        self.count = 0

    def add(self, cursor, *values) -> None:
        self.lines.append("\t".join(map(copy_value, values)) + self.suffix)
        if len(self.lines) >= self.CHUNK:
            self.flush(cursor)

    def flush(self, cursor) -> None:
        if not self.lines:
            return
        names = ", ".join(f'"{column}"' for column in self.columns)
        data = io.StringIO("\n".join(self.lines) + "\n")
        cursor.copy_expert(f'COPY "{self.table}" ({names}) FROM STDIN', data)
        self.count += len(self.lines)
        self.lines = []


def curated_models() -> list[type[models.Model]]:
    """Every table --clear empties: both apps (with m2m and history tables), the change log
    and slug aliases."""
    found = []
    for label in ("bills", "sources", "changes", "aliases"):
        found += apps.get_app_config(label).get_models(include_auto_created=True)
    return found


class Command(BaseCommand):
    help = "Generate a large, seeded, published data set for the benchmark (COPY, no services)."

    def add_arguments(self, parser):
        parser.add_argument("--bills", type=int, default=10_000)
        parser.add_argument("--statements", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--clear", action="store_true", help="Truncate every curated table first."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        if options["bills"] < 1 or options["statements"] < 0:
            raise CommandError("--bills must be at least 1 and --statements at least 0.")
        with transaction.atomic(), connection.cursor() as cursor:
            if options["clear"]:
                tables = ", ".join(f'"{m._meta.db_table}"' for m in curated_models())
                # Checks still deferred in an enclosing transaction would block the TRUNCATE.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                for model in (Bill, Statement, Person, Organization, Source, Topic):
                    if model.objects.exists():
                        raise CommandError(NOT_EMPTY.format(what=model._meta.verbose_name_plural))
            counts = Generator(random.Random(options["seed"]), cursor).run(
                bills=options["bills"], statements=options["statements"]
            )
            for statement in connection.ops.sequence_reset_sql(no_style(), curated_models()):
                cursor.execute(statement)
        # Cached responses are keyed by the change log, which this load bypasses.
        try:
            cache.clear()
        except Exception as error:  # a cache that is down holds nothing stale either
            self.stderr.write(f"cache not cleared: {error}")
        with connection.cursor() as cursor:
            for model in curated_models():
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        self.stdout.write(" ".join(f"{name}={count}" for name, count in counts.items()))
        self.stdout.write(f"elapsed={time.monotonic() - started:.1f}s")


class Generator:
    """Builds the rows with one seeded random generator, in a fixed order."""

    def __init__(self, rng: random.Random, cursor):
        self.rng = rng
        self.cursor = cursor
        self.tick = 0

    def stamp(self) -> str:
        """A created_at/updated_at that only depends on the order of generation."""
        self.tick += 1
        return (BASE_TIME + datetime.timedelta(seconds=self.tick)).isoformat()

    def day(self, start: datetime.date = FIRST_DAY, span: int = 3600) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(span))

    def dated(self) -> tuple[datetime.date | None, str]:
        """A date with its precision, snapped as the precision requires."""
        roll = self.rng.random()
        value = self.day()
        if roll < 0.02:
            return None, "unknown"
        if roll < 0.05:
            return value.replace(month=1, day=1), "year"
        if roll < 0.15:
            return value.replace(day=1), "month"
        return value, "day"

    def common(self) -> tuple:
        stamp = self.stamp()
        return (stamp, stamp, 1)

    def run(self, *, bills: int, statements: int) -> dict[str, int]:
        rng, cursor = self.rng, self.cursor
        tables: dict[str, Table] = {}
        ctype = {m: ContentType.objects.get_for_model(m).pk for m in (Bill, BillAction)}
        ctype |= {m: ContentType.objects.get_for_model(m).pk for m in (Sponsorship, Statement)}

        def table(name, model, *columns) -> Table:
            tables[name] = Table(model, ["id", "created_at", "updated_at", "version", *columns])
            return tables[name]

        # Sources: a few thousand documents.
        sources = table(
            "sources", Source, "is_published", "url", "title", "publisher", "author",
            "published_on", "published_precision", "language", "kind", "accessed_on",
            "content_sha256",
        )  # fmt: skip
        source_count = max(20, bills * 3 // 10)
        kinds = sorted(SourceKind.values)
        for pk in range(1, source_count + 1):
            publisher, domain = rng.choice(PUBLISHERS)
            topic = rng.choice(TOPICS)
            published_on, precision = self.dated()
            sources.add(
                cursor, pk, *self.common(), True, f"https://{domain}/news/{pk}-" +
                topic.replace(" ", "-"), f"Deputies discuss {topic} ({pk})", publisher,
                f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", published_on, precision,
                rng.choice(("en", "ru", "kk")), rng.choice(kinds), self.day(),
                f"{rng.getrandbits(256):064x}",
            )  # fmt: skip

        # Topics, organizations (the chambers first), people and their posts.
        topics = table("topics", Topic, "slug", "name", "description")
        for pk, name in enumerate(TOPICS, 1):
            topics.add(cursor, pk, *self.common(), name.replace(" ", "-"), name.title(), "")
        orgs = table(
            "organizations", Organization, "is_published", "slug", "name", "abbreviation",
            "classification", "parent_id", "description",
        )  # fmt: skip
        fixed = [
            ("parliament", "Parliament of the Republic of Kazakhstan", "", "legislature", None),
            ("mazhilis", "Mazhilis", "", "chamber", 1),
            ("senate", "Senate", "", "chamber", 1),
            ("government", "Government of the Republic of Kazakhstan", "", "executive", None),
            ("president", "Office of the President", "", "head_of_state", None),
        ]
        org_ids = {key: pk for pk, (key, *_) in enumerate(fixed, 1)}
        for pk, (key, name, abbreviation, kind, parent) in enumerate(fixed, 1):
            orgs.add(cursor, pk, *self.common(), True, key, name, abbreviation, kind, parent, "")
        org_count = max(len(fixed) + 10, bills // 10)
        for pk in range(len(fixed) + 1, org_count + 1):
            kind, pattern = rng.choice(ORG_KINDS)
            name = pattern.format(rng.choice(TOPICS).title())
            parent = org_ids["mazhilis"] if kind == "committee" else None
            slug = f"{name.lower().replace(' ', '-')}-{pk}"
            orgs.add(cursor, pk, *self.common(), True, slug, name, "", kind, parent, "")
        people = table(
            "people", Person, "is_published", "slug", "name", "given_name", "family_name", "summary"
        )
        names = table("person_names", PersonName, "person_id", "name", "kind", "language", "note")
        posts = table(
            "memberships", Membership, "is_published", "person_id", "organization_id", "role",
            "start_on", "start_precision",
        )  # fmt: skip
        person_count = max(20, bills * 3 // 10)
        family_of: list[str] = [""]
        for pk in range(1, person_count + 1):
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            family_of.append(family)
            slug = f"{given}-{family}-{pk}".lower()
            summary = f"Public figure speaking on {rng.choice(TOPICS)}."
            people.add(cursor, pk, *self.common(), True, slug, f"{given} {family}", given, family,
                       summary)  # fmt: skip
            if pk % 5 == 0:
                names.add(cursor, pk // 5, *self.common(), pk, f"{given} {family}a", "alternate",
                          "ru", "")  # fmt: skip
            start_on, precision = self.dated()
            posts.add(cursor, pk, *self.common(), True, pk, rng.randint(1, org_count),
                      rng.choice(("Deputy", "Minister", "Chair", "Director", "Expert")), start_on,
                      precision)  # fmt: skip

        events = table(
            "events", Event, "is_published", "slug", "name", "kind", "starts_on",
            "starts_precision", "place", "organizer_id", "description",
        )  # fmt: skip
        event_count = max(5, statements // 100)
        event_kinds = sorted(EventKind.values)
        for pk in range(1, event_count + 1):
            topic = rng.choice(TOPICS)
            starts_on, precision = self.dated()
            slug = f"roundtable-{topic.replace(' ', '-')}-{pk}"
            events.add(cursor, pk, *self.common(), True, slug, f"Roundtable on {topic}",
                       rng.choice(event_kinds), starts_on, precision, "Astana",
                       rng.randint(1, org_count), "")  # fmt: skip

        self.bills(tables, bills, org_ids, org_count, person_count, source_count, ctype)
        self.statements(tables, statements, bills, org_count, person_count, event_count,
                        source_count, family_of, ctype)  # fmt: skip
        for each in tables.values():
            each.flush(cursor)
        return {name: each.count for name, each in tables.items()}

    def bills(self, tables, count, org_ids, org_count, person_count, source_count, ctype):
        rng, cursor = self.rng, self.cursor
        paths = status_paths(ACTIONS_PER_BILL)
        procedure = procedure_for(DEFAULT_PROCEDURE)

        def table(name, model, *columns) -> Table:
            tables[name] = Table(model, ["id", "created_at", "updated_at", "version", *columns])
            return tables[name]

        packages = table("packages", BillPackage, "is_published", "slug", "name", "description")
        package_count = max(1, count // 100)
        for pk in range(1, package_count + 1):
            packages.add(cursor, pk, *self.common(), True, f"package-{pk}",
                         f"Legislative package {pk}", "")  # fmt: skip
        bill_rows = table(
            "bills", Bill, "is_published", "slug", "title", "title_status", "title_ru",
            "title_kk", "short_title", "summary", "package_id", "originating_chamber_id",
            "initiator_kind", "introduced_on", "introduced_precision", "procedure", "status",
            "status_changed_on",
        )  # fmt: skip
        bill_topics = Table(Bill.topics.through, ["id", "bill_id", "topic_id"])
        tables["bill_topics"] = bill_topics
        identifiers = table("identifiers", BillIdentifier, "bill_id", "scheme", "identifier")
        actions = table(
            "actions", BillAction, "bill_id", "order", "occurred_on", "occurred_precision",
            "actor_id", "classification", "resulting_status", "description",
            "skips_unrecorded_steps",
        )  # fmt: skip
        sponsorships = table(
            "sponsorships", Sponsorship, "is_published", "bill_id", "person_id",
            "organization_id", "role", "chamber_id", "capacity", "started_on",
            "started_precision",
        )  # fmt: skip
        citations = tables.setdefault("citations", self.citation_table())
        citation_id = topic_link_id = 0

        def cite(model, pk, source, field_name, text):
            nonlocal citation_id
            citation_id += 1
            contradicts = field_name != "" and rng.random() < 0.04
            claimed = str(self.day()) if contradicts else ""
            citations.add(cursor, citation_id, *self.common(), source, ctype[model], pk,
                          field_name, text, "quote", f"para. {rng.randint(1, 40)}",
                          "contradicts" if contradicts else "supports", claimed, "")  # fmt: skip

        for pk in range(1, count + 1):
            path = rng.choice(paths)
            topic_ids = sorted(rng.sample(range(1, len(TOPICS) + 1), rng.randint(1, 3)))
            topic = TOPICS[topic_ids[0] - 1]
            day = self.day(span=3000)
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
                cursor, pk, *self.common(), True, slug, title, title_status, title_ru,
                title_ru if pk % 2 else "", f"{topic.title()} bill {pk}", summary, package,
                org_ids["mazhilis"], rng.choice(("government", "deputies", "president")),
                introduced, "day" if introduced else "unknown", DEFAULT_PROCEDURE, path[-1],
                dates[-1],
            )  # fmt: skip
            for topic_id in topic_ids:
                topic_link_id += 1
                bill_topics.add(cursor, topic_link_id, pk, topic_id)
            if pk % 2 == 0:
                identifiers.add(cursor, pk // 2, *self.common(), pk, "adilet", f"P{pk:08d}")
            bill_sources = [rng.randint(1, source_count) for _ in range(2)]
            cite(Bill, pk, bill_sources[0], "", f"The draft law on {topic} was published.")
            field_name = "introduced_on" if introduced else "title"
            cite(Bill, pk, bill_sources[1], field_name, f"Deputies received the bill on {topic}.")
            for order, (status, occurred_on) in enumerate(zip(path, dates, strict=True), 1):
                action_id = (pk - 1) * ACTIONS_PER_BILL + order
                actions.add(
                    cursor, action_id, *self.common(), pk, order, occurred_on, "day",
                    org_ids[actor_key(status)], procedure.default_classification[status], status,
                    f"{BillStatus(status).label}.", False,
                )  # fmt: skip
                excerpt = f"On {occurred_on:%d %B %Y} the bill was {status.replace('_', ' ')}."
                cite(BillAction, action_id, rng.choice(bill_sources), "occurred_on", excerpt)
            # Two sponsors in different roles: never the same (bill, sponsor, role, chamber).
            for number, role in enumerate(("initiator", rng.choice(("cosponsor", "presenter"))), 1):
                sponsorship_id = (pk - 1) * 2 + number
                by_person = rng.random() < 0.5
                person = rng.randint(1, person_count) if by_person else None
                organization = None if by_person else rng.randint(1, org_count)
                chamber = org_ids["mazhilis"] if role == "presenter" else None
                sponsorships.add(
                    cursor, sponsorship_id, *self.common(), True, pk, person, organization, role,
                    chamber, "Deputy of the Mazhilis" if by_person else "", dates[0], "day",
                )  # fmt: skip
                cite(Sponsorship, sponsorship_id, bill_sources[0], "",
                     f"The bill was initiated by {role}s on {topic}.")  # fmt: skip
        self.citation_id = citation_id

    def citation_table(self) -> Table:
        return Table(
            Citation,
            ["id", "created_at", "updated_at", "version", "source_id", "content_type_id",
             "object_id", "field_name", "excerpt", "excerpt_kind", "locator", "relation",
             "claimed_value", "resolution_note"],
        )  # fmt: skip

    def statements(self, tables, count, bill_count, org_count, person_count, event_count,
                   source_count, family_of, ctype):  # fmt: skip
        rng, cursor = self.rng, self.cursor
        rows = Table(
            Statement,
            ["id", "created_at", "updated_at", "version", "is_published", "slug",
             "speaker_person_id", "speaker_organization_id", "attribution", "speaker_role",
             "speaker_membership_id", "on_behalf_of_id", "said_on", "said_precision", "event_id",
             "text", "form", "language"],
        )  # fmt: skip
        links = Table(
            StatementBill, ["id", "created_at", "updated_at", "version", "statement_id", "bill_id",
                            "stance"],
        )  # fmt: skip
        topics = Table(Statement.topics.through, ["id", "statement_id", "topic_id"])
        tables |= {"statements": rows, "stances": links, "statement_topics": topics}
        citations = tables["citations"]
        forms, stances = sorted(StatementForm.values), sorted(Stance.values)
        link_id = topic_link_id = 0
        slugs = {topic: topic.replace(" ", "-") for topic in TOPICS}
        for pk in range(1, count + 1):
            roll = rng.random()
            person = rng.randint(1, person_count) if roll < 0.7 else None
            organization = rng.randint(1, org_count) if 0.7 <= roll < 0.9 else None
            family = family_of[person] if person else "participants"
            if person:
                attribution = f"{family}, deputy"
            else:
                attribution = "the press office" if organization else "participants"

            topic = rng.choice(TOPICS)
            said_on, precision = self.dated()
            text = (
                f"{attribution.capitalize()} {rng.choice(VERBS)} the bill: "
                + rng.choice(CLAIMS).format(t=topic) + ". "
                + rng.choice(CLAIMS).format(t=rng.choice(TOPICS)).capitalize() + "."
            )  # fmt: skip
            rows.add(
                cursor, pk, *self.common(), True, f"{family.lower()}-{slugs[topic]}-{pk}",
                person, organization, attribution, "Deputy" if person else "",
                person if person and rng.random() < 0.5 else None,
                rng.randint(1, org_count) if rng.random() < 0.2 else None, said_on, precision,
                rng.randint(1, event_count) if rng.random() < 0.3 else None, text,
                rng.choice(forms), "en",
            )  # fmt: skip
            concerned = rng.sample(range(1, bill_count + 1), min(bill_count, rng.randint(1, 3)))
            for bill in sorted(concerned):
                link_id += 1
                links.add(cursor, link_id, *self.common(), pk, bill, rng.choice(stances))
            if rng.random() < 0.5:
                topic_link_id += 1
                topics.add(cursor, topic_link_id, pk, TOPICS.index(topic) + 1)
            self.citation_id += 1
            source = rng.randint(1, source_count)
            citations.add(cursor, self.citation_id, *self.common(), source, ctype[Statement], pk,
                          "", text[:200], "quote", "", "supports", "", "")  # fmt: skip
