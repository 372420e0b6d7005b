"""Bulk snapshots on disk and over HTTP (policytracker/exports/storage.py, serving.py, api.py):
which directories count, the list, the manifest, the files with their headers, byte ranges and
conditional requests, `latest`, pruning, and the middleware leaving the stored bytes alone."""

import hashlib
import io
import json
import os
import subprocess
import time
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.http import FileResponse
from django.utils.http import http_date

from policytracker.exports import storage
from tests.live import BIN, ROOT, free_port, get, service_env

pytestmark = pytest.mark.django_db

OLD, MIDDLE, NEW = "20261205T060000Z", "20261207T060102Z", "20261207T060102Z-2"
BILLS = b"".join(json.dumps({"id": n, "title": f"Bill {n}"}).encode() + b"\n" for n in range(40))
CSV = b"id,title\r\n" + b"".join(f"{n},Bill {n}\r\n".encode() for n in range(40))
IMMUTABLE = "public, max-age=31536000, immutable"
DATA = {
    "bills.jsonl": (BILLS, "application/x-ndjson", 40),
    "bills.csv": (CSV, "text/csv; charset=utf-8", 40),
    "README.md": (b"# Snapshot\n\nEvery public record.\n", "text/markdown; charset=utf-8", None),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_snapshot(root: Path, snapshot_id: str, *, manifest: bool = True) -> Path:
    """A snapshot directory as the writer leaves it: data files, README, manifest, zip and
    SHA256SUMS (covering every other file)."""
    directory = root / snapshot_id
    directory.mkdir(parents=True)
    files = {}
    for name, (content, media_type, rows) in DATA.items():
        (directory / name).write_bytes(content)
        files[name] = {"bytes": len(content), "sha256": sha256(content), "media_type": media_type}
        if rows is not None:
            files[name]["rows"] = rows
    zip_name = f"policytracker-{snapshot_id}.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, (content, _, _) in DATA.items():
            archive.writestr(name, content)
    (directory / zip_name).write_bytes(buffer.getvalue())
    body = {
        "id": snapshot_id,
        "schema_version": "1.0",
        "api_version": "v1",
        "generated_at": f"{snapshot_id[:4]}-{snapshot_id[4:6]}-{snapshot_id[6:8]}T06:01:02Z",
        "change_cursor": 1325,
        "base_url": "http://127.0.0.1:8000",
        "counts": {"bills": 40, "statements": 0},
        "files": files,
        "zip": {"name": zip_name},
    }
    if manifest:
        (directory / storage.MANIFEST).write_text(json.dumps(body))
    names = sorted(p.name for p in directory.iterdir())
    lines = [f"{sha256((directory / name).read_bytes())}  {name}\n" for name in names]
    (directory / storage.CHECKSUMS).write_text("".join(lines))
    return directory


@pytest.fixture
def root(tmp_path, settings):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    return settings.EXPORTS_ROOT


@pytest.fixture
def snapshots(root):
    for snapshot_id in (OLD, MIDDLE, NEW):
        make_snapshot(root, snapshot_id)
    make_snapshot(root, "20261208T000000Z", manifest=False)  # still being renamed into place
    (root / ".tmp-build").mkdir()
    (root / "notes.txt").write_text("not a snapshot")
    (root / "backup").mkdir()
    return root


def url(snapshot_id: str, name: str = "") -> str:
    return f"/api/v1/exports/{snapshot_id}/{name}"


def body(response) -> bytes:
    assert isinstance(response, FileResponse) and response.streaming
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


# -- the list and the manifest ------------------------------------------------------------------


def test_the_list_shows_complete_snapshots_newest_first(client, snapshots):
    response = client.get("/api/v1/exports/")
    assert response.status_code == 200
    data = response.json()
    assert [item["id"] for item in data["results"]] == [NEW, MIDDLE, OLD]
    assert data["latest"] == NEW
    item = data["results"][0]
    directory = snapshots / NEW
    zip_bytes = (directory / f"policytracker-{NEW}.zip").read_bytes()
    assert item == {
        "id": NEW,
        "generated_at": "2026-12-07T06:01:02Z",
        "change_cursor": 1325,
        "schema_version": "1.0",
        "url": f"http://testserver/api/v1/exports/{NEW}/",
        "bytes": sum(path.stat().st_size for path in directory.iterdir()),
        "counts": {"bills": 40, "statements": 0},
        "zip": {
            "name": f"policytracker-{NEW}.zip",
            "url": f"http://testserver/api/v1/exports/{NEW}/policytracker-{NEW}.zip",
            "bytes": len(zip_bytes),
            "sha256": sha256(zip_bytes),
        },
        "manifest_url": f"http://testserver/api/v1/exports/{NEW}/manifest.json",
    }


def test_the_list_reads_no_database(client, snapshots, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/v1/exports/").status_code == 200


@pytest.mark.parametrize("exists", [True, False], ids=["empty-root", "no-root"])
def test_without_snapshots_the_list_is_empty(client, root, exists):
    if exists:
        root.mkdir()
    assert client.get("/api/v1/exports/").json() == {"latest": None, "results": []}


def test_the_root_lists_exports(client):
    assert client.get("/api/v1/").json()["exports"] == "http://testserver/api/v1/exports/"


def test_a_snapshot_is_its_manifest_with_addresses(client, snapshots):
    data = client.get(url(MIDDLE)).json()
    base = f"http://testserver/api/v1/exports/{MIDDLE}/"
    assert data["id"] == MIDDLE and data["change_cursor"] == 1325 and data["api_version"] == "v1"
    assert data["url"] == base
    assert data["files"]["bills.jsonl"]["url"] == base + "bills.jsonl"
    assert data["files"]["bills.jsonl"]["rows"] == 40
    assert data["files"]["bills.csv"]["sha256"] == sha256(CSV)
    assert data["zip"]["url"] == base + f"policytracker-{MIDDLE}.zip"
    assert data["manifest_url"] == base + "manifest.json"
    assert data["checksums_url"] == base + "SHA256SUMS"
    for address in [*(f["url"] for f in data["files"].values()), data["zip"]["url"]]:
        response = client.get(address.removeprefix("http://testserver"))
        assert response.status_code == 200
        response.close()


@pytest.mark.parametrize("snapshot_id", ["20991231T000000Z", "20261208T000000Z", "latest2", "x"])
def test_an_unknown_or_incomplete_snapshot_is_a_problem_404(client, snapshots, snapshot_id):
    response = client.get(url(snapshot_id))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


# -- files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "media_type", "disposition"),
    [
        ("bills.jsonl", "application/x-ndjson", f"attachment; filename={NEW}-bills.jsonl"),
        ("bills.csv", "text/csv; charset=utf-8", f"attachment; filename={NEW}-bills.csv"),
        (f"policytracker-{NEW}.zip", "application/zip", f"attachment; filename={NEW}.zip"),
        ("manifest.json", "application/json", f"inline; filename={NEW}-manifest.json"),
        ("README.md", "text/markdown; charset=utf-8", f"inline; filename={NEW}-README.md"),
        ("SHA256SUMS", "text/plain; charset=utf-8", f"inline; filename={NEW}-SHA256SUMS"),
    ],
)
def test_a_file_is_streamed_with_its_headers(client, snapshots, name, media_type, disposition):
    path = snapshots / NEW / name
    stored = path.read_bytes()
    response = client.get(url(NEW, name))
    assert response.status_code == 200
    assert body(response) == stored
    assert response["Content-Type"] == media_type
    kind, filename = disposition.split("; filename=")
    assert response["Content-Disposition"] == f'{kind}; filename="policytracker-{filename}"'
    assert response["Content-Length"] == str(len(stored))
    assert response["Accept-Ranges"] == "bytes"
    assert response["Last-Modified"] == http_date(int(path.stat().st_mtime))
    assert response["Cache-Control"] == IMMUTABLE
    assert "accept-encoding" not in response.get("Vary", "").lower()  # one stored form
    assert "Set-Cookie" not in response
    if name != storage.CHECKSUMS:  # its own sum cannot be in it
        assert response["ETag"] == f'"{sha256(stored)}"'
    else:
        assert response["ETag"].startswith('"')


def test_a_file_download_reads_no_database(client, snapshots, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert body(client.get(url(NEW, "bills.jsonl"))) == BILLS


def test_head_gives_the_headers_without_the_body(client, snapshots):
    response = client.head(url(NEW, "bills.csv"))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(CSV))
    assert response["ETag"] == f'"{sha256(CSV)}"'
    assert body(response) == b""


@pytest.mark.parametrize(
    ("header", "part", "content_range"),
    [
        ("bytes=0-9", BILLS[:10], f"bytes 0-9/{len(BILLS)}"),
        ("bytes=100-", BILLS[100:], f"bytes 100-{len(BILLS) - 1}/{len(BILLS)}"),
        ("bytes=-7", BILLS[-7:], f"bytes {len(BILLS) - 7}-{len(BILLS) - 1}/{len(BILLS)}"),
        ("bytes=0-0", BILLS[:1], f"bytes 0-0/{len(BILLS)}"),
        (f"bytes=5-{len(BILLS) + 50}", BILLS[5:], f"bytes 5-{len(BILLS) - 1}/{len(BILLS)}"),
    ],
    ids=["first-ten", "open-ended", "suffix", "one-byte", "past-the-end"],
)
def test_a_range_is_served_as_206(client, snapshots, header, part, content_range):
    response = client.get(url(NEW, "bills.jsonl"), HTTP_RANGE=header)
    assert response.status_code == 206
    assert body(response) == part
    assert response["Content-Range"] == content_range
    assert response["Content-Length"] == str(len(part))
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Cache-Control"] == IMMUTABLE


def test_a_range_past_the_end_is_416(client, snapshots):
    response = client.get(url(NEW, "bills.jsonl"), HTTP_RANGE=f"bytes={len(BILLS)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(BILLS)}"
    assert response["Cache-Control"] == "private, no-store"  # an error: not kept
    assert body(response) == b""


@pytest.mark.parametrize("header", ["bytes=9-2", "items=0-9", "bytes=0-1,5-6"])
def test_an_invalid_range_is_ignored(client, snapshots, header):
    response = client.get(url(NEW, "bills.jsonl"), HTTP_RANGE=header)
    assert response.status_code == 200
    assert body(response) == BILLS


def test_if_range_gives_the_range_only_for_the_same_file(client, snapshots):
    etag = f'"{sha256(BILLS)}"'
    same = client.get(url(NEW, "bills.jsonl"), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert same.status_code == 206 and body(same) == BILLS[:10]
    other = client.get(url(NEW, "bills.jsonl"), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert other.status_code == 200 and body(other) == BILLS


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("form", ["exact", "weak", "list"])
def test_a_known_etag_is_answered_304(client, snapshots, method, form):
    first = client.get(url(NEW, "bills.csv"))
    body(first)
    etag = first["ETag"]
    sent = {"exact": etag, "weak": f"W/{etag}", "list": f'"stale", {etag}'}[form]
    response = getattr(client, method)(url(NEW, "bills.csv"), HTTP_IF_NONE_MATCH=sent)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == IMMUTABLE
    assert response["Last-Modified"] == first["Last-Modified"]
    assert body(response) == b""


def test_if_modified_since_is_answered_304(client, snapshots):
    first = client.get(url(NEW, "bills.csv"))
    body(first)
    response = client.get(url(NEW, "bills.csv"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 304


def test_if_match_naming_another_file_is_a_problem_412(client, snapshots):
    response = client.get(url(NEW, "bills.csv"), HTTP_IF_MATCH='"other"')
    assert response.status_code == 412
    assert response["Content-Type"] == "application/problem+json"
    same = client.get(url(NEW, "bills.csv"), HTTP_IF_MATCH=f'"{sha256(CSV)}"')
    assert same.status_code == 200 and body(same) == CSV


def test_a_file_pruned_after_the_lookup_is_404(client, snapshots, monkeypatch):
    def prune_then_find(snapshot_id, name, *, manifest=None):
        path = snapshots / snapshot_id / name
        found = (path, "text/csv")
        path.unlink()
        return found

    monkeypatch.setattr(storage, "snapshot_file", prune_then_find)
    response = client.get(url(NEW, "bills.csv"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_stale_etag_gets_the_file(client, snapshots):
    response = client.get(url(NEW, "bills.csv"), HTTP_IF_NONE_MATCH='"stale"')
    assert response.status_code == 200 and body(response) == CSV


def test_files_are_never_gzipped(client, snapshots):
    whole = client.get(url(NEW, "bills.jsonl"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in whole and body(whole) == BILLS
    assert whole["ETag"] == f'"{sha256(BILLS)}"'  # a strong ETag: the stored bytes
    part = client.get(url(NEW, "bills.jsonl"), HTTP_ACCEPT_ENCODING="gzip", HTTP_RANGE="bytes=0-9")
    assert "Content-Encoding" not in part and body(part) == BILLS[:10]
    cached = client.get(
        url(NEW, "bills.jsonl"), HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=whole["ETag"]
    )
    assert cached.status_code == 304 and "Content-Encoding" not in cached and body(cached) == b""
    refused = client.get(
        url(NEW, "bills.jsonl"), HTTP_ACCEPT_ENCODING="gzip", HTTP_RANGE="bytes=9999-"
    )
    assert refused.status_code == 416 and "Content-Encoding" not in refused
    # The JSON of the list is still compressed.
    listing = client.get("/api/v1/exports/", HTTP_ACCEPT_ENCODING="gzip")
    assert listing["Content-Encoding"] == "gzip"


def test_a_token_holder_gets_the_same_immutable_file(client, snapshots, curator_client):
    response = curator_client.get(url(NEW, "bills.csv"))
    assert response.status_code == 200 and body(response) == CSV
    assert response["Cache-Control"] == IMMUTABLE


def test_any_accept_header_gets_the_file(client, snapshots):
    response = client.get(url(NEW, "bills.csv"), HTTP_ACCEPT="application/xml")
    assert response.status_code == 200 and body(response) == CSV


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/exports/{NEW}/..",
        f"/api/v1/exports/{NEW}/%2e%2e",
        f"/api/v1/exports/{NEW}/../{OLD}/bills.csv",
        f"/api/v1/exports/{NEW}/..%2F{OLD}%2Fbills.csv",
        f"/api/v1/exports/{NEW}/%2Fetc%2Fpasswd",
        f"/api/v1/exports/{NEW}/.hidden",
        f"/api/v1/exports/{NEW}/secret.txt",
        f"/api/v1/exports/{NEW}/sub",
        f"/api/v1/exports/{NEW}/linked.csv",
        f"/api/v1/exports/{NEW}/bills.csv/",
        "/api/v1/exports/20991231T000000Z/bills.csv",
        "/api/v1/exports/20261208T000000Z/bills.csv",
        "/api/v1/exports/..%2F..%2Fsettings.py/x",
        "/api/v1/exports/.tmp-build/bills.csv",
    ],
)
def test_only_listed_files_of_complete_snapshots_are_served(client, snapshots, path):
    directory = snapshots / NEW
    (directory / ".hidden").write_text("no")
    (directory / "secret.txt").write_text("no")
    (directory / "sub").mkdir()
    (directory / "linked.csv").symlink_to(directory / "bills.csv")
    manifest = json.loads((directory / storage.MANIFEST).read_text())
    manifest["files"]["linked.csv"] = {"bytes": 1, "sha256": "0" * 64, "media_type": "text/csv"}
    manifest["files"]["../escape"] = {"bytes": 1, "sha256": "0" * 64, "media_type": "text/csv"}
    (directory / storage.MANIFEST).write_text(json.dumps(manifest))
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# -- latest -------------------------------------------------------------------------------------


def test_latest_redirects_to_the_newest_snapshot(client, snapshots, settings):
    response = client.get("/api/v1/exports/latest/")
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver/api/v1/exports/{NEW}/"
    assert response["Cache-Control"] == f"public, max-age={settings.CACHE_MAX_AGE_SECONDS}"
    file = client.get("/api/v1/exports/latest/bills.csv")
    assert file.status_code == 302
    assert file["Location"] == f"http://testserver/api/v1/exports/{NEW}/bills.csv"
    assert file["Cache-Control"] == f"public, max-age={settings.CACHE_MAX_AGE_SECONDS}"
    zipped = client.get(f"/api/v1/exports/latest/policytracker-{NEW}.zip")
    assert zipped.status_code == 302
    assert client.get("/api/v1/exports/latest/nothing.csv").status_code == 404


def test_latest_without_snapshots_is_404(client, root):
    for path in ["/api/v1/exports/latest/", "/api/v1/exports/latest/bills.csv"]:
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_the_response_cache_never_keeps_snapshots(client, snapshots, settings):
    settings.RESPONSE_CACHE_ENABLED = True
    assert client.get("/api/v1/exports/").json()["latest"] == NEW
    newer = "20261209T000000Z"
    make_snapshot(snapshots, newer)
    listing = client.get("/api/v1/exports/")
    assert listing.json()["latest"] == newer  # at once: no change-log event announces it
    assert "X-Response-Cache" not in listing
    assert client.get("/api/v1/exports/latest/")["Location"].endswith(f"/{newer}/")
    download = client.get(url(newer, "bills.csv"))
    assert "X-Response-Cache" not in download and body(download) == CSV


# -- storage ------------------------------------------------------------------------------------


def test_a_collision_numbers_the_id(root):
    at = datetime(2026, 12, 7, 12, 1, 2, tzinfo=timezone(timedelta(hours=6)))
    assert storage.new_snapshot_id(at) == "20261207T060102Z"
    (root / "20261207T060102Z").mkdir(parents=True)
    assert storage.new_snapshot_id(at) == "20261207T060102Z-2"
    (root / "20261207T060102Z-2").mkdir()
    assert storage.new_snapshot_id(at) == "20261207T060102Z-3"
    with pytest.raises(ValueError):
        storage.new_snapshot_id(datetime(2026, 12, 7))


def test_collisions_sort_by_number(root):
    for snapshot_id in ["20261207T060102Z", "20261207T060102Z-2", "20261207T060102Z-10"]:
        make_snapshot(root, snapshot_id)
    assert storage.snapshot_ids() == [
        "20261207T060102Z-10",
        "20261207T060102Z-2",
        "20261207T060102Z",
    ]


def test_pruning_keeps_the_newest_and_clears_stale_builds(snapshots):
    stale, fresh = snapshots / ".tmp-crashed", snapshots / ".tmp-running"
    stale.mkdir()
    fresh.mkdir()
    (stale / "bills.jsonl").write_text("half")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    assert storage.snapshots_prune(keep=2) == 1
    assert storage.snapshot_ids() == [NEW, MIDDLE]
    assert not (snapshots / OLD).exists()
    assert not stale.exists() and fresh.exists()
    assert (snapshots / "20261208T000000Z").exists()  # incomplete: not the pruner's to judge
    assert storage.snapshots_prune(keep=2) == 0
    assert storage.snapshots_prune(keep=0) == 2 and storage.snapshot_ids() == []
    with pytest.raises(ValueError):
        storage.snapshots_prune(keep=-1)


def test_pruning_an_empty_or_missing_root_does_nothing(root):
    assert storage.snapshots_prune(keep=1) == 0


def test_servable_files_are_plain_names_with_sane_media_types():
    manifest = {
        "files": {
            "bills.csv": {"media_type": "text/csv; charset=utf-8"},
            "popolo.json": {"media_type": "application/json"},
            "odd.bin": {"media_type": "text/html\r\nSet-Cookie: x=1"},
            "../escape": {"media_type": "text/plain"},
            ".hidden": {"media_type": "text/plain"},
            "a/b": {"media_type": "text/plain"},
        },
        "zip": {"name": "policytracker-20261207T060102Z.zip"},
    }
    assert storage.servable_files(manifest) == {
        "bills.csv": "text/csv; charset=utf-8",
        "popolo.json": "application/json",
        "odd.bin": "application/octet-stream",
        "manifest.json": "application/json",
        "SHA256SUMS": "text/plain; charset=utf-8",
        "policytracker-20261207T060102Z.zip": "application/zip",
    }
    assert storage.servable_files({}) == {
        "manifest.json": "application/json",
        "SHA256SUMS": "text/plain; charset=utf-8",
    }


def test_ids_are_matched_whole():
    assert storage.snapshot_dir("20261207T060102Z\n") is None
    assert storage.SNAPSHOT_ID.fullmatch("20261207T060102Z-3")
    assert not storage.SNAPSHOT_ID.fullmatch("20261207T060102")


# -- through gunicorn ---------------------------------------------------------------------------


def test_a_range_request_through_gunicorn(tmp_path):
    """The deployed server: sendfile for a whole file, a sliced stream for a range, and every
    header reaching the client as set."""
    make_snapshot(tmp_path, NEW)
    env = {**service_env(os.environ["DATABASE_URL"]), "EXPORTS_ROOT": str(tmp_path)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "policytracker.wsgi",
        "-c",
        "python:policytracker.gunicorn_conf",
    ]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while get(f"{base}/healthz")[0] != 200:
            assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        address = f"{base}{url(NEW, 'bills.jsonl')}"
        status, headers, part = get(address, {"Range": "bytes=0-9", "Accept-Encoding": "gzip"})
        whole_status, whole_headers, whole = get(address, {"Accept-Encoding": "gzip"})
        zip_status, _, zipped = get(f"{base}{url(NEW, f'policytracker-{NEW}.zip')}")
        late_status, _, _ = get(address, {"Range": f"bytes={len(BILLS)}-"})
        latest_status, latest_headers, _ = get(f"{base}/api/v1/exports/", {})
    finally:
        process.terminate()
        process.wait(timeout=15)
    assert status == 206 and part == BILLS[:10]
    assert headers["Content-Range"] == f"bytes 0-9/{len(BILLS)}"
    assert headers["Content-Length"] == "10"
    assert headers["Content-Type"] == "application/x-ndjson"
    assert headers["ETag"] == f'"{sha256(BILLS)}"'
    assert headers["Cache-Control"] == IMMUTABLE
    assert "Content-Encoding" not in headers
    assert whole_status == 200 and whole == BILLS
    assert whole_headers["Content-Length"] == str(len(BILLS))
    assert whole_headers["Accept-Ranges"] == "bytes"
    assert whole_headers["Content-Disposition"] == (
        f'attachment; filename="policytracker-{NEW}-bills.jsonl"'
    )
    assert zip_status == 200
    assert zipfile.ZipFile(io.BytesIO(zipped)).read("bills.csv") == CSV
    assert late_status == 416
    assert latest_status == 200 and latest_headers["Content-Type"] == "application/json"
