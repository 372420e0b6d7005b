"""A snapshot file as an HTTP response, through whitenoise: streamed from disk (never read into
memory; gunicorn sends a whole file with sendfile), with ETag, Last-Modified, byte ranges
(206, 416) and conditional requests (304).

Snapshot files never change once written, so they are `immutable` for a year and the same for
every caller. `Accept-Ranges: bytes` marks every answer about them (200, 206, 304, 416): the
gzip middleware leaves such answers as stored, since ranges, lengths and the published
checksums all refer to the stored bytes.
"""

import calendar
from http import HTTPStatus
from pathlib import Path

from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from rest_framework.request import Request
from whitenoise.middleware import WhiteNoiseFileResponse
from whitenoise.responders import Response, SlicedFile, StaticFile

from policytracker.exports.storage import CHECKSUMS, MANIFEST
from policytracker.problems import PreconditionFailed

ONE_YEAR = 365 * 24 * 60 * 60
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
ACCEPT_RANGES = ("Accept-Ranges", "bytes")
# Shown in the browser; every other file is a download.
INLINE_FILES = frozenset({MANIFEST, CHECKSUMS, "README.md"})


class SnapshotFile(StaticFile):
    """whitenoise's StaticFile with RFC 9110's reading of two range edge cases: a one-byte
    range (`bytes=0-0`) is served, not refused, and a range whose last byte comes before its
    first is invalid, so it is ignored (the whole file), not refused."""

    def get_range_response(self, range_header, base_headers, file_handle):
        first, last = self.parse_byte_range(range_header)  # ValueError: the caller ignores it
        if first >= 0 and last is not None and last < first:
            raise ValueError("The range ends before it starts.")
        size = int(dict(base_headers)["Content-Length"])
        start, end = self.get_byte_range(range_header, size)
        if start > end:  # starts past the end, or the file is empty
            if file_handle is not None:
                file_handle.close()
            headers = [("Content-Range", f"bytes */{size}"), ACCEPT_RANGES]
            return Response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, headers, None)
        headers = [item for item in base_headers if item[0] != "Content-Length"]
        headers += [
            ("Content-Range", f"bytes {start}-{end}/{size}"),
            ("Content-Length", str(end - start + 1)),
        ]
        if file_handle is not None:
            file_handle = SlicedFile(file_handle, start, end)
        return Response(HTTPStatus.PARTIAL_CONTENT, headers, file_handle)


def content_disposition(snapshot_id: str, name: str, *, zip_name: str | None) -> str:
    """Downloads are named after the snapshot (the zip already is); the manifest, README and
    checksums open in the browser."""
    if name == zip_name:
        return f'attachment; filename="{name}"'
    kind = "inline" if name in INLINE_FILES else "attachment"
    return f'{kind}; filename="policytracker-{snapshot_id}-{name}"'


def _django_response(response: Response) -> WhiteNoiseFileResponse:
    # As WhiteNoiseMiddleware.serve does: a FileResponse that adds no headers of its own.
    http_response = WhiteNoiseFileResponse(response.file or (), status=int(response.status))
    del http_response["Content-Type"]
    for key, value in response.headers:
        http_response[key] = value
    return http_response


def _range_applies(request: Request, etag: str, last_modified: int | None) -> bool:
    """If-Range (RFC 9110 13.1.5): a range only of the representation the client holds part
    of, named by its strong ETag or exact Last-Modified; otherwise the whole file."""
    if_range = request.META.get("HTTP_IF_RANGE", "").strip()
    if not if_range:
        return True
    if if_range.startswith(("W/", '"')):
        return if_range == etag and not etag.startswith("W/")
    return last_modified is not None and parse_http_date_safe(if_range) == last_modified


def file_response(
    request: Request, *, path: Path, media_type: str, disposition: str, sha256: str | None
) -> WhiteNoiseFileResponse:
    """The answer to a GET or HEAD of the file at `path`. Its ETag is its sha256 (from
    SHA256SUMS: the same on every server) when known, else whitenoise's (mtime and size)."""
    headers = [
        ("Content-Type", media_type),
        ("Content-Disposition", disposition),
        ("Cache-Control", IMMUTABLE),
        ACCEPT_RANGES,
    ]
    if sha256:
        headers.append(("ETag", f'"{sha256}"'))
    static_file = SnapshotFile(str(path), headers)
    stamp = static_file.last_modified
    last_modified = calendar.timegm(stamp) if stamp else None
    # Django evaluates the preconditions (ETag lists, weak comparison, dates; GET and HEAD
    # alike); whitenoise would only compare one exact ETag.
    decided = get_conditional_response(request, etag=static_file.etag, last_modified=last_modified)
    if decided is not None and decided.status_code == HTTPStatus.NOT_MODIFIED:
        not_modified = _django_response(static_file.not_modified_response)
        not_modified["Accept-Ranges"] = "bytes"
        if last_modified is not None:
            not_modified["Last-Modified"] = http_date(last_modified)
        return not_modified
    if decided is not None:
        raise PreconditionFailed("The file does not match If-Match or If-Unmodified-Since.")
    meta = request.META
    if "HTTP_RANGE" in meta and not _range_applies(request, static_file.etag, last_modified):
        meta = {key: value for key, value in meta.items() if key != "HTTP_RANGE"}
    return _django_response(static_file.get_response(request.method, meta))
