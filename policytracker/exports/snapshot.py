"""`manage.py export_snapshot` and the worker's daily job: a public-only bulk snapshot.

Everything is read in one read-only, repeatable-read transaction, together with the change
log's newest `seq` (the snapshot's `change_cursor`): events commit in `seq` order
(policytracker/changes), so the snapshot holds exactly the changes up to the cursor, and
loading it, then following `/api/v1/changes/?after=<change_cursor>`, reproduces the live data.
Records are read as an anonymous reader sees them, through the list endpoints' lean path
(policytracker/exports/records.py): no draft, user, token or curator identity can appear.

Per entity: `<name>.jsonl` (one detail representation per line, by id) and `<name>.csv`
(policytracker/exports/tables/); `popolo.json`; `README.md` describing every file and column;
`manifest.json`; the zip of them all; `SHA256SUMS`. The directory is built under a temporary
name and renamed into place (policytracker/exports/storage.py), so readers never see half.
"""

import logging
import os
import shutil
import time
import zipfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import orjson
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from policytracker.changes.models import ChangeEvent
from policytracker.exports import storage
from policytracker.exports.columns import BOM, csv_writer
from policytracker.exports.files import CountedFile, PopoloDocument, file_digest
from policytracker.exports.readme import readme_text
from policytracker.exports.records import CHUNK_SIZE, anonymous_request, entities, public_lines
from policytracker.exports.streaming import consistent_reads
from policytracker.exports.tables import TABLES
from policytracker.lean import datetime_text

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"  # bump on any change of files or columns (the README says what)
API_VERSION = "v1"


@dataclass(frozen=True)
class Written:
    snapshot_id: str
    path: Path
    manifest: dict
    seconds: float


def snapshot_write(
    *, base_url: str | None = None, bom: bool = False, chunk_size: int = CHUNK_SIZE
) -> Written:
    """Write a new snapshot under EXPORTS_ROOT and return where it is."""
    started = time.monotonic()
    base_url = (base_url or settings.PUBLIC_BASE_URL).rstrip("/")
    request = anonymous_request(base_url)
    root = storage.exports_root()
    root.mkdir(parents=True, exist_ok=True)
    build = root / f"{storage.BUILD_PREFIX}{os.getpid()}-{time.time_ns()}"
    build.mkdir()
    try:
        generated_at = timezone.now()
        with consistent_reads():
            cursor = ChangeEvent.objects.aggregate(last=Max("seq"))["last"] or 0
            contents = _write_entities(build, request, bom=bom, chunk_size=chunk_size)
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "api_version": API_VERSION,
            "generated_at": datetime_text(generated_at),
            "change_cursor": cursor,
            "base_url": base_url,
            "csv_bom": bom,
            **contents,
        }
        snapshot_id = storage.new_snapshot_id(generated_at)
        manifest = {
            "id": snapshot_id,
            **manifest,
            "zip": {"name": f"policytracker-{snapshot_id}.zip"},
        }
        _finish(build, manifest)
        path = root / snapshot_id
        build.rename(path)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    storage.snapshots_prune(keep=settings.EXPORTS_KEEP)
    return Written(snapshot_id, path, manifest, time.monotonic() - started)


def _write_entities(build: Path, request, *, bom: bool, chunk_size: int) -> dict:
    files: dict[str, dict] = {}
    counts: dict[str, int] = {}
    listed = []
    popolo_document = PopoloDocument(build / "popolo.json")
    writer = csv_writer()
    for entity in entities():
        table = TABLES[entity.name]
        jsonl = CountedFile(build / f"{entity.name}.jsonl")
        csv = CountedFile(build / f"{entity.name}.csv")
        csv.write(((BOM if bom else "") + writer.writerow(table.header)).encode())
        count = 0
        for data, record in public_lines(entity, request, chunk_size=chunk_size):
            jsonl.write(data + b"\n", rows=1)
            rows = [writer.writerow(row) for row in table.rows(record)]
            csv.write("".join(rows).encode(), rows=len(rows))
            popolo_document.add(entity.name, record)
            count += 1
        counts[entity.name] = count
        files[jsonl.path.name] = jsonl.close() | {"rows": jsonl.rows}
        files[csv.path.name] = csv.close() | {"rows": csv.rows}
        listed.append(
            {
                "name": entity.name,
                "record_type": entity.record_type or None,
                "count": count,
                "jsonl": jsonl.path.name,
                "csv": csv.path.name,
            }
        )
    files["popolo.json"] = popolo_document.close()
    return {"counts": counts, "entities": listed, "files": files}


def _finish(build: Path, manifest: dict) -> None:
    """README, manifest, the zip of every file, and the checksums of all."""
    readme = CountedFile(build / "README.md")
    readme.write(readme_text(manifest).encode())
    manifest["files"]["README.md"] = readme.close()
    (build / storage.MANIFEST).write_bytes(
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n"
    )
    names = [storage.MANIFEST, "README.md", *sorted(set(manifest["files"]) - {"README.md"})]
    zip_name = manifest["zip"]["name"]
    with zipfile.ZipFile(build / zip_name, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zip_:
        for name in names:
            zip_.write(build / name, arcname=f"policytracker-{manifest['id']}/{name}")
    sums = [(manifest["files"].get(name, {}).get("sha256") or file_digest(build / name), name)
            for name in [*names, zip_name]]  # fmt: skip
    (build / storage.CHECKSUMS).write_text("".join(f"{digest}  {name}\n" for digest, name in sums))


def snapshot_due() -> bool:
    """No snapshot yet, or the newest is EXPORTS_INTERVAL_HOURS old."""
    ids = storage.snapshot_ids()
    if not ids:
        return True
    generated = (storage.read_manifest(ids[0]) or {}).get("generated_at")
    due = timezone.now() - timedelta(hours=settings.EXPORTS_INTERVAL_HOURS)
    return not generated or datetime.fromisoformat(generated.replace("Z", "+00:00")) <= due


def snapshot_if_due() -> int:
    """The worker's job: a new snapshot when one is due; 1 if one was written."""
    if not snapshot_due():
        return 0
    written = snapshot_write(bom=settings.EXPORTS_CSV_BOM)
    logger.info("Snapshot %s written in %.1f s.", written.snapshot_id, written.seconds)
    return 1
