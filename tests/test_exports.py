"""Bulk snapshots (`manage.py export_snapshot`): counts and rows equal the API's, CSVs carry the
documented columns and precision-correct dates, nothing private appears in any file, the
Popolo export validates, and the files, checksums and zip agree."""

import csv
import datetime
import hashlib
import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from rest_framework.authtoken.models import Token

from bills import services as bill_services
from policytracker.exports import storage
from policytracker.exports.snapshot import snapshot_if_due, snapshot_write
from policytracker.exports.tables import TABLES
from policytracker.models import DatePrecision
from tests.bills.factories import BillFactory, PersonFactory, StatementFactory
from tests.popolo import validate
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
POPOLO_KIND = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "posts": "post",
    "events": "event",
    "speeches": "speech",
}


@pytest.fixture
def exports_root(settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    return settings.EXPORTS_ROOT


@pytest.fixture(scope="module")
def _seed_for_the_module(django_db_setup, django_db_blocker):
    # Loading the seed takes seconds: once for the module, in a transaction rolled back at its
    # end; each test runs in a savepoint inside it (tests that need no seed find their own
    # records by slug, whether the seed is there or not).
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()  # ids another module's database state left cached
        with transaction.atomic():
            call_command("load_seed", stdout=StringIO())
            yield
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()


@pytest.fixture
def seeded(_seed_for_the_module, db, settings):
    # Every record's detail is fetched: more requests than the anonymous rate allows.
    settings.API_THROTTLE_RATES = {"anonymous": "100000/minute", "user": "100000/minute"}


def written(**options):
    result = snapshot_write(base_url=BASE, **options)
    return result.path, result.manifest


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def csv_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def crawl(client, name: str) -> list[dict]:
    if name == "statuses":
        return client.get("/api/v1/statuses/").json()
    items, url = [], f"/api/v1/{name}/?page_size=200"
    while url:
        page = client.get(url).json()
        items += page["results"]
        url = page["next"]
    return items


def test_manifest_counts_and_jsonl_rows_equal_the_api(seeded, exports_root, api_client):
    path, manifest = written()
    assert manifest["counts"]["bills"] == 7
    assert manifest["counts"]["statements"] == 28
    for entity in manifest["entities"]:
        listed = crawl(api_client, entity["name"])
        assert manifest["counts"][entity["name"]] == len(listed) == entity["count"]
        rows = jsonl(path / entity["jsonl"])
        assert len(rows) == len(listed)
        if entity["name"] == "statuses":
            assert rows == listed
            continue
        assert [row["id"] for row in rows] == sorted(row["id"] for row in listed)
        for row in rows:  # each line is what the record's detail endpoint serves
            detail = api_client.get(row["url"].removeprefix(BASE))
            assert detail.status_code == 200
            assert detail.json() == row, row["url"]


def test_files_checksums_and_zip_agree(seeded, exports_root):
    path, manifest = written()
    assert path == exports_root / manifest["id"]
    assert storage.snapshot_ids() == [manifest["id"]]
    assert manifest["change_cursor"] > 0
    assert manifest["schema_version"] and manifest["generated_at"].endswith("Z")
    for name, entry in manifest["files"].items():
        data = (path / name).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    sums = dict(
        reversed(line.split("  ", 1)) for line in (path / "SHA256SUMS").read_text().splitlines()
    )
    zip_name = manifest["zip"]["name"]
    assert set(sums) == {*manifest["files"], "manifest.json", zip_name}
    for name, digest in sums.items():
        assert hashlib.sha256((path / name).read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(path / zip_name) as archive:
        folder = f"policytracker-{manifest['id']}/"
        names = {name.removeprefix(folder) for name in archive.namelist()}
        assert names == {*manifest["files"], "manifest.json"}
        for name in manifest["files"]:
            assert archive.read(folder + name) == (path / name).read_bytes()
    assert not [entry for entry in exports_root.iterdir() if entry.name.startswith(".")]


def test_csv_columns_are_the_documented_ones_and_readme_describes_each(seeded, exports_root):
    path, manifest = written()
    readme = (path / "README.md").read_text()
    assert f"?after={manifest['change_cursor']}" in readme
    for entity in manifest["entities"]:
        table = TABLES[entity["name"]]
        with (path / entity["csv"]).open(newline="", encoding="utf-8") as file:
            header = next(csv.reader(file))
        assert header == table.header
        assert f"### {entity['csv']}" in readme
        for column in table.columns:
            assert f"- `{column.name}`: {column.description}" in readme
    statements = csv_rows(path / "statements.csv")
    # One row per (statement, bill): a statement about two bills has two rows.
    per_bill = sum(max(1, len(row["bills"])) for row in jsonl(path / "statements.jsonl"))
    assert len(statements) == per_bill == manifest["files"]["statements.csv"]["rows"]
    assert {row["stance"] for row in statements} >= {"support", "unclear", ""}
    citations = csv_rows(path / "citations.csv")
    contradicting = [row for row in citations if row["relation"] == "contradicts"]
    assert contradicting and all(row["claimed_value"] for row in contradicting)
    assert any(row["claimed_value"] == "Nurgali" for row in contradicting)
    bills = {row["slug"]: row for row in csv_rows(path / "bills.csv")}
    signed = bills["kz-2016-counter-extremism-terrorism"]
    assert (signed["status"], signed["status_label"]) == ("signed", "Signed into law")
    assert signed["status_explanation"] and signed["signed_on"] == "2016-12-22"
    assert signed["in_force_on"] == "" and signed["in_force_precision"] == "unknown"


def test_csv_dates_are_written_to_their_known_precision(exports_root):
    bill = BillFactory(
        slug="precise",
        signed_on=datetime.date(2016, 11, 1),
        signed_precision=DatePrecision.MONTH,
        in_force_on=datetime.date(2017, 1, 1),
        in_force_precision=DatePrecision.YEAR,
        introduced_on=datetime.date(2016, 10, 26),
        introduced_precision=DatePrecision.DAY,
    )
    bill_services.bill_change_status(
        bill=bill,
        to_status="announced",
        occurred_on=datetime.date(2016, 9, 1),
        occurred_precision=DatePrecision.MONTH,
    )
    StatementFactory(slug="undated", said_on=None, said_precision=DatePrecision.UNKNOWN)
    path, _ = written()
    [row] = [row for row in csv_rows(path / "bills.csv") if row["slug"] == "precise"]
    assert row["signed_on"] == "2016-11" and row["signed_precision"] == "month"
    assert row["in_force_on"] == "2017" and row["introduced_on"] == "2016-10-26"
    assert row["status_changed_on"] == "2016-09"
    [action] = [row for row in csv_rows(path / "bill-actions.csv") if row["bill"] == "precise"]
    assert (action["occurred_on"], action["resulting_status_label"]) == ("2016-09", "Announced")
    [statement] = [row for row in csv_rows(path / "statements.csv") if row["slug"] == "undated"]
    assert statement["said_on"] == "" and statement["said_precision"] == "unknown"


def test_no_draft_user_token_or_curator_appears_in_any_file(seeded, exports_root):
    curator = User.objects.create_user(
        "curator-jane", email="jane.curator@example.org", password="pw", is_staff=True
    )
    token = Token.objects.create(user=curator)
    draft_source = SourceFactory(title="Secret draft source", is_published=False)
    draft = BillFactory(slug="secret-draft-bill", title="Secret draft bill", is_published=False)
    CitationFactory(record=draft, source=draft_source, excerpt="A secret excerpt.")
    PersonFactory(slug="secret-draft-person", name="Secret Person", is_published=False)
    public_statement = StatementFactory(slug="public-statement")
    CitationFactory(record=public_statement, source=draft_source, excerpt="Hidden citation.")
    path, manifest = written()
    texts = [(name, (path / name).read_bytes()) for name in manifest["files"]]
    with zipfile.ZipFile(path / manifest["zip"]["name"]) as archive:
        texts += [(name, archive.read(name)) for name in archive.namelist()]
    secrets = [
        "secret-draft-bill", "Secret draft bill", "Secret draft source", "A secret excerpt",
        "secret-draft-person", "Secret Person", "Hidden citation", "curator-jane",
        "jane.curator", token.key, "pbkdf2", "md5$",
    ]  # fmt: skip
    for name, data in texts:
        text = data.decode("utf-8", errors="replace")
        for secret in secrets:
            assert secret not in text, (secret, name)
    assert "public-statement" in (path / "statements.jsonl").read_text()


def test_popolo_export_validates_and_references_resolve(seeded, exports_root):
    path, manifest = written()
    document = json.loads((path / "popolo.json").read_text())
    assert list(document) == list(POPOLO_KIND)
    ids = set()
    for collection, kind in POPOLO_KIND.items():
        assert len(document[collection]) == manifest["files"]["popolo.json"]["objects"][collection]
        for obj in document[collection]:
            validate(kind, obj)
            ids.add(obj["id"])
    assert len(document["persons"]) == manifest["counts"]["people"]
    assert len(document["speeches"]) == manifest["counts"]["statements"]
    assert document["posts"], "posts are derived from memberships"
    for membership in document["memberships"]:
        for key in ("person_id", "organization_id", "post_id"):
            assert membership[key] is None or membership[key] in ids
    for speech in document["speeches"]:
        assert speech["creator_id"] is None or speech["creator_id"] in ids
        assert speech["event_id"] is None or speech["event_id"] in ids
    notes = [s["note"] for p in document["persons"] for s in p["sources"]]
    assert any("Nurgali" in note for note in notes)


def test_bom_option_for_excel(seeded, exports_root):
    call_command("export_snapshot", "--base-url", BASE, "--bom", stdout=StringIO())
    [snapshot_id] = storage.snapshot_ids()
    path = exports_root / snapshot_id
    assert storage.read_manifest(snapshot_id)["csv_bom"] is True
    for name in TABLES:
        assert (path / f"{name}.csv").read_bytes().startswith("\ufeff".encode())
        assert not (path / f"{name}.jsonl").read_bytes().startswith(b"\xef")
    rows = list(csv.reader(io.StringIO((path / "bills.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "id" and len(rows) == 8


def test_command_reports_and_refuses_a_bad_base_url(seeded, exports_root):
    out = StringIO()
    call_command("export_snapshot", "--base-url", BASE, stdout=out)
    assert "bills=7" in out.getvalue() and "change_cursor=" in out.getvalue()
    out = StringIO()
    call_command("export_snapshot", "--if-due", stdout=out)  # the one just written is fresh
    assert "none written" in out.getvalue()
    with pytest.raises(Exception, match="scheme and a host"):
        call_command("export_snapshot", "--base-url", "testserver/api", stdout=StringIO())
    assert len(storage.snapshot_ids()) == 1
    assert not [entry for entry in exports_root.iterdir() if entry.name.startswith(".")]


def test_worker_writes_a_snapshot_daily_and_keeps_the_newest(seeded, exports_root, settings):
    settings.PUBLIC_BASE_URL = BASE
    settings.EXPORTS_KEEP = 2
    assert snapshot_if_due() == 1
    assert snapshot_if_due() == 0  # the newest is fresh
    [first] = storage.snapshot_ids()
    manifest_path = exports_root / first / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["generated_at"] = "2016-09-22T00:00:00Z"
    manifest_path.write_text(json.dumps(manifest))
    assert snapshot_if_due() == 1
    assert snapshot_if_due() == 0
    assert len(storage.snapshot_ids()) == 2
    settings.EXPORTS_INTERVAL_HOURS = 0
    assert snapshot_if_due() == 1
    assert len(storage.snapshot_ids()) == 2 and first not in storage.snapshot_ids()


def test_the_worker_round_runs_the_snapshot_job():
    from policytracker.maintenance import JOBS

    assert any(job.run is snapshot_if_due for job in JOBS)
