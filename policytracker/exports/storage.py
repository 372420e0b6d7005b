"""Where bulk snapshots live: one directory per snapshot under EXPORTS_ROOT, no database rows.

`EXPORTS_ROOT/<id>/` holds a snapshot's files side by side (no subdirectories): the data files
its `manifest.json` lists, `README.md`, `SHA256SUMS` and the zip of them all. The id is the UTC
time it was generated (`20261207T060102Z`, `-2`, `-3` … on a collision). The writer builds in
`EXPORTS_ROOT/.tmp-<something>/` and renames the directory into place when it is done, and
`manifest.json` is what marks it complete: a directory without one is never listed or served.
Anything else in the root (dot-directories, files, other names) is ignored.
"""

import json
import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

SNAPSHOT_ID = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
ID_TIME_FORMAT = "%Y%m%dT%H%M%SZ"
MANIFEST = "manifest.json"
CHECKSUMS = "SHA256SUMS"
BUILD_PREFIX = ".tmp-"
# A build directory untouched this long belongs to a writer that died.
STALE_BUILD_SECONDS = 3600
# Names a snapshot may serve: flat, no leading dot, nothing a path or a header could misread.
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$")
MEDIA_TYPE = re.compile(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+(;[ -~]*)?$", re.IGNORECASE)
DEFAULT_MEDIA_TYPE = "application/octet-stream"
FIXED_MEDIA_TYPES = {MANIFEST: "application/json", CHECKSUMS: "text/plain; charset=utf-8"}
ZIP_MEDIA_TYPE = "application/zip"
_CHECKSUM_LINE = re.compile(r"^([0-9a-fA-F]{64}) [ *](.+)$")


def exports_root() -> Path:
    """The directory holding the snapshots (the EXPORTS_ROOT setting, read at call time)."""
    return Path(settings.EXPORTS_ROOT)


def _order(snapshot_id: str) -> tuple[str, int]:
    # The time, then the collision suffix: `…Z` is the first of its second, `…Z-2` the next.
    stamp, _, suffix = snapshot_id.partition("-")
    return stamp, int(suffix or 1)


def snapshot_ids() -> list[str]:
    """Ids of the complete snapshots, newest first."""
    try:
        entries = list(exports_root().iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    ids = [
        entry.name
        for entry in entries
        if SNAPSHOT_ID.fullmatch(entry.name) and (entry / MANIFEST).is_file()
    ]
    return sorted(ids, key=_order, reverse=True)


def snapshot_dir(snapshot_id: str) -> Path | None:
    """The directory of a complete snapshot, or None (unknown, incomplete or not an id)."""
    if not SNAPSHOT_ID.fullmatch(snapshot_id):
        return None
    directory = exports_root() / snapshot_id
    return directory if (directory / MANIFEST).is_file() else None


def read_manifest(snapshot_id: str) -> dict | None:
    """The snapshot's manifest, or None when there is no such complete snapshot (or it was
    pruned while being read)."""
    directory = snapshot_dir(snapshot_id)
    if directory is None:
        return None
    try:
        manifest = json.loads((directory / MANIFEST).read_bytes())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def read_checksums(snapshot_id: str) -> dict[str, str]:
    """File name → sha256 (lowercase hex) from the snapshot's SHA256SUMS; {} without one."""
    directory = snapshot_dir(snapshot_id)
    if directory is None:
        return {}
    try:
        text = (directory / CHECKSUMS).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return {}
    sums = {}
    for line in text.splitlines():
        if match := _CHECKSUM_LINE.match(line):
            sums[match.group(2)] = match.group(1).lower()
    return sums


def new_snapshot_id(generated_at: datetime) -> str:
    """The id for a snapshot generated at `generated_at` (an aware datetime): its UTC time,
    with `-2`, `-3` … when a directory of that name already exists."""
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware.")
    base = generated_at.astimezone(UTC).strftime(ID_TIME_FORMAT)
    root = exports_root()
    candidate, number = base, 1
    while (root / candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def snapshots_prune(*, keep: int) -> int:
    """Delete the complete snapshots older than the newest `keep`, and build directories
    (`.tmp-*`) left untouched for STALE_BUILD_SECONDS; returns how many snapshots went.

    A snapshot is first renamed to a build-like name, so it leaves the listing at once and a
    deletion that stops half-way is finished by a later prune. Downloads already under way
    keep reading their open files."""
    if keep < 0:
        raise ValueError("keep must be zero or more.")
    root = exports_root()
    deleted = 0
    for snapshot_id in snapshot_ids()[keep:]:
        doomed = root / f"{BUILD_PREFIX}pruned-{snapshot_id}"
        try:
            (root / snapshot_id).rename(doomed)
        except OSError:
            continue  # already gone (another prune), or the root is read-only
        shutil.rmtree(doomed, ignore_errors=True)
        deleted += 1
    cutoff = time.time() - STALE_BUILD_SECONDS
    for entry in root.glob(f"{BUILD_PREFIX}*") if root.is_dir() else ():
        try:
            stale = entry.is_dir() and not entry.is_symlink() and entry.stat().st_mtime < cutoff
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
    return deleted


def servable_files(manifest: dict) -> dict[str, str]:
    """Every file a snapshot serves, name → media type: the manifest's files, the manifest
    itself, SHA256SUMS and the zip. Names that are not plain file names are left out."""
    files = manifest.get("files")
    servable = {}
    for name, meta in files.items() if isinstance(files, dict) else ():
        if not isinstance(name, str) or not FILE_NAME.fullmatch(name):
            continue
        media_type = meta.get("media_type") if isinstance(meta, dict) else None
        valid = isinstance(media_type, str) and MEDIA_TYPE.fullmatch(media_type)
        servable[name] = media_type if valid else DEFAULT_MEDIA_TYPE
    servable |= FIXED_MEDIA_TYPES
    zip_name = zip_file_name(manifest)
    if zip_name is not None:
        servable[zip_name] = ZIP_MEDIA_TYPE
    return servable


def zip_file_name(manifest: dict) -> str | None:
    """The name of the snapshot's zip, as its manifest gives it (None if it gives none)."""
    zip_info = manifest.get("zip")
    name = zip_info.get("name") if isinstance(zip_info, dict) else None
    return name if isinstance(name, str) and FILE_NAME.fullmatch(name) else None


def snapshot_file(
    snapshot_id: str, name: str, *, manifest: dict | None = None
) -> tuple[Path, str] | None:
    """(path, media type) of a file the snapshot serves, or None: unknown snapshot, a name
    its manifest (read unless given) does not list, or no regular file by that name (links
    are not followed)."""
    if manifest is None:
        manifest = read_manifest(snapshot_id)
    if manifest is None or not SNAPSHOT_ID.fullmatch(snapshot_id):
        return None
    media_type = servable_files(manifest).get(name)
    if media_type is None:
        return None
    path = exports_root() / snapshot_id / name
    if path.is_symlink() or not path.is_file():
        return None
    return path, media_type


def file_sizes(snapshot_id: str, names) -> dict[str, int]:
    """Sizes in bytes of those of `names` that are files of the snapshot."""
    if not SNAPSHOT_ID.fullmatch(snapshot_id):
        return {}
    directory = exports_root() / snapshot_id
    sizes = {}
    for name in names:
        try:
            sizes[name] = (directory / name).stat().st_size
        except OSError:
            continue
    return sizes
