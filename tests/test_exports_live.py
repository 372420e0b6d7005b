"""Bulk data as users fetch it: the seeded service under gunicorn, a snapshot written by the
command, then the CSV stream, the exports listing, a file and the zip over real HTTP (headers,
redirects and streaming only break there)."""

import csv
import gzip
import hashlib
import io
import json
import tempfile
import zipfile

from tests.live import get, manage, private_postgres, running_service, service_env


def test_csv_stream_and_snapshot_downloads_through_gunicorn():
    with private_postgres("live_exports") as server:
        exports = tempfile.mkdtemp(prefix="pt-exports-")
        env = service_env(server.get_uri("live_exports"))
        env["EXPORTS_ROOT"] = exports
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with running_service(env) as base:
            printed = manage(env, "export_snapshot", "--base-url", base)
            csv_answer = get(f"{base}/api/v1/statements/?format=csv", {"Accept-Encoding": "gzip"})
            listing = get(f"{base}/api/v1/exports/")
            manifest = get(f"{base}/api/v1/exports/latest/manifest.json")  # follows the 302
            snapshot_id = json.loads(listing[2])["latest"]
            files = f"{base}/api/v1/exports/{snapshot_id}"
            bills = get(f"{files}/bills.csv")
            first_bytes = get(f"{files}/bills.jsonl", {"Range": "bytes=0-99"})
            archive = get(f"{files}/policytracker-{snapshot_id}.zip")
            bills_json = get(f"{base}/api/v1/bills/?page_size=100")
    assert "bills=7" in printed and "statements=28" in printed

    status, headers, body = csv_answer
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Encoding"] == "gzip"  # streamed, compressed on the way
    assert headers["Content-Disposition"] == 'attachment; filename="policytracker-statements.csv"'
    rows = list(csv.DictReader(io.StringIO(gzip.decompress(body).decode("utf-8"))))
    assert len({row["id"] for row in rows}) == 28
    assert {row["stance"] for row in rows} >= {"support", "unclear"}

    status, headers, body = listing
    assert status == 200 and headers["Content-Type"] == "application/json"
    [listed] = json.loads(body)["results"]
    assert listed["counts"]["bills"] == 7 and listed["change_cursor"] > 0

    status, headers, body = manifest
    assert status == 200 and json.loads(body)["id"] == snapshot_id

    status, headers, body = bills
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == (
        f'attachment; filename="policytracker-{snapshot_id}-bills.csv"'
    )
    assert headers["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
    slugs = {row["slug"] for row in csv.DictReader(io.StringIO(body.decode("utf-8")))}
    assert slugs == {bill["slug"] for bill in json.loads(bills_json[2])["results"]}

    status, headers, body = first_bytes
    assert status == 206 and len(body) == 100 and body.startswith(b'{"id":')

    status, headers, body = archive
    assert status == 200 and headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(body)).namelist()
    assert f"policytracker-{snapshot_id}/popolo.json" in names
    assert f"policytracker-{snapshot_id}/README.md" in names
