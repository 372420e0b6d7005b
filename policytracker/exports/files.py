"""Files of a snapshot as they are written: byte counts and SHA-256 computed on the way, and
the Popolo document streamed collection by collection."""

import hashlib
from pathlib import Path

import orjson

from policytracker.exports import popolo

MEDIA_TYPES = {
    ".jsonl": "application/x-ndjson",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
}


class CountedFile:
    """A binary file that knows its size, SHA-256 and number of rows (lines) once closed."""

    def __init__(self, path: Path):
        self.path = path
        self._file = path.open("wb")
        self._hash = hashlib.sha256()
        self.bytes = 0
        self.rows = 0

    def write(self, data: bytes, rows: int = 0) -> None:
        self._file.write(data)
        self._hash.update(data)
        self.bytes += len(data)
        self.rows += rows

    def close(self) -> dict:
        """Close the file; its manifest entry."""
        self._file.close()
        entry = {"bytes": self.bytes, "sha256": self._hash.hexdigest()}
        entry["media_type"] = MEDIA_TYPES.get(self.path.suffix, "application/octet-stream")
        return entry


def file_digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# Which Popolo collection each exported entity feeds, and how a record becomes an object.
POPOLO_SOURCES = {
    "people": ("persons", popolo.person),
    "organizations": ("organizations", popolo.organization),
    "memberships": ("memberships", popolo.membership),
    "events": ("events", popolo.event),
    "statements": ("speeches", popolo.speech),
}


class PopoloDocument:
    """`popolo.json`: {"persons": [...], "organizations": [...], "memberships": [...],
    "posts": [...], "events": [...], "speeches": [...]}, written object by object. Posts are
    derived from the memberships (organization and role), so they follow them."""

    def __init__(self, path: Path):
        self.file = CountedFile(path)
        self._open: str | None = None
        self._first = True
        self._done: list[str] = []
        self._posts: dict[str, dict] = {}
        self.counts = dict.fromkeys(popolo.POPOLO_KINDS, 0)

    def add(self, entity: str, record: dict) -> None:
        if entity not in POPOLO_SOURCES:
            return
        kind, convert = POPOLO_SOURCES[entity]
        self._object(kind, convert(record))
        if kind == "memberships":
            post = popolo.post_for(record)
            if post is not None:
                self._posts.setdefault(post["id"], post)

    def _object(self, kind: str, obj: dict) -> None:
        self._start(kind)
        self.file.write((b"" if self._first else b",\n") + orjson.dumps(obj))
        self._first = False
        self.counts[kind] += 1

    def _start(self, kind: str) -> None:
        if self._open == kind:
            return
        for earlier in popolo.POPOLO_KINDS[: popolo.POPOLO_KINDS.index(kind)]:
            if earlier not in self._done and earlier != self._open:
                self._begin(earlier)  # an empty or derived collection before this one
        self._begin(kind)

    def _begin(self, kind: str) -> None:
        if self._open is not None:
            self._finish_open()
        opening = b"{\n" if not self._done else b",\n"
        self.file.write(opening + orjson.dumps(kind) + b": [\n")
        self._open, self._first = kind, True
        if kind == "posts":
            for post in self._posts.values():
                self._object("posts", post)

    def _finish_open(self) -> None:
        self.file.write(b"\n]")
        self._done.append(self._open)
        self._open = None

    def close(self) -> dict:
        for kind in popolo.POPOLO_KINDS:
            if kind not in self._done and kind != self._open:
                self._begin(kind)
        if self._open is not None:
            self._finish_open()
        self.file.write(b"\n}\n")
        entry = self.file.close()
        return entry | {"objects": dict(self.counts)}
