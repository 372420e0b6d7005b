"""The OpenAPI description of `/api/v1/exports/`: shapes (documentation only; the views build
plain dicts), parameters, responses and the words around them."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from policytracker.exports.storage import FILE_NAME, SNAPSHOT_ID
from policytracker.problems import PROBLEM_CONTENT_TYPE as PROBLEM_TYPE

EXAMPLE_ID = "20261207T060102Z"
PROBLEM = {"$ref": "#/components/schemas/Problem"}


class ExportZipSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="policytracker-<id>.zip: every file of the snapshot.")
    url = serializers.URLField()
    bytes = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_null=True, help_text="From the snapshot's SHA256SUMS.")


class ExportSummarySerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The UTC time it was generated (-2, -3 … if repeated).")
    generated_at = serializers.DateTimeField(allow_null=True)
    change_cursor = serializers.IntegerField(
        allow_null=True,
        help_text="The newest change-feed `seq` it contains: follow /api/v1/changes/?after= "
        "this number to stay current.",
    )
    schema_version = serializers.CharField(allow_null=True)
    url = serializers.URLField(help_text="This snapshot's manifest, with its files' addresses.")
    bytes = serializers.IntegerField(help_text="Size of all its files together.")
    counts = serializers.DictField(
        child=serializers.IntegerField(), help_text="Records of each kind."
    )
    zip = ExportZipSerializer(allow_null=True)
    manifest_url = serializers.URLField()


class ExportListSerializer(serializers.Serializer):
    latest = serializers.CharField(allow_null=True, help_text="The newest snapshot's id.")
    results = ExportSummarySerializer(many=True)


class ExportFileSerializer(serializers.Serializer):
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    rows = serializers.IntegerField(required=False, help_text="Records in a data file.")
    media_type = serializers.CharField()
    url = serializers.URLField()


class ExportDetailSerializer(serializers.Serializer):
    id = serializers.CharField()
    schema_version = serializers.CharField(required=False)
    api_version = serializers.CharField(required=False)
    generated_at = serializers.DateTimeField(required=False)
    change_cursor = serializers.IntegerField(required=False)
    base_url = serializers.CharField(required=False, help_text="The API the records came from.")
    counts = serializers.DictField(child=serializers.IntegerField(), required=False)
    files = serializers.DictField(child=ExportFileSerializer(), help_text="By file name.")
    zip = ExportZipSerializer(allow_null=True)
    url = serializers.URLField()
    manifest_url = serializers.URLField()
    checksums_url = serializers.URLField(help_text="SHA256SUMS, in `sha256sum -c` format.")


LIST_DESCRIPTION = """Every published snapshot of the public data, newest first (a few are
kept). A snapshot is a consistent copy of every public record as of one position of the change
feed (`change_cursor`), in JSON lines, CSV and Popolo JSON, with a manifest, a README and
SHA256SUMS; the zip holds them all.

**Load a snapshot, then follow the feed:** download the zip (or the files you need), check it
against SHA256SUMS, load it, then read `/api/v1/changes/?after=<change_cursor>` and apply the
events as that endpoint describes."""
DETAIL_DESCRIPTION = """A snapshot's manifest (what it holds, how many records of each kind,
each file's size, rows and sha256), with the address of every file."""
FILE_DESCRIPTION = """A file of a snapshot, exactly as stored (never compressed on the way, so
sizes, byte ranges and checksums hold). Files never change: they may be cached for a year.
Byte ranges (`Range: bytes=0-1023`, `bytes=1024-`, `bytes=-512`) resume a download (206, or
416 past the end; `If-Range` with the ETag restarts it if the file is not the one you hold);
`If-None-Match` with the ETag (the file's sha256) answers 304."""
LATEST_DESCRIPTION = """Redirects (302) to the newest snapshot. Addresses of snapshots never
change; this one does, so shared caches keep it only briefly."""
LATEST_FILE_DESCRIPTION = """Redirects (302) to this file of the newest snapshot, e.g.
`latest/bills.csv`."""

SNAPSHOT_ID_PARAMETER = OpenApiParameter(
    "snapshot_id",
    {"type": "string", "pattern": SNAPSHOT_ID.pattern},
    OpenApiParameter.PATH,
    description="A snapshot's id: the UTC time it was generated.",
    examples=[OpenApiExample("A snapshot", value=EXAMPLE_ID)],
)
FILE_NAME_PARAMETER = OpenApiParameter(
    "name",
    {"type": "string", "pattern": FILE_NAME.pattern},
    OpenApiParameter.PATH,
    description="A file the snapshot's manifest lists, manifest.json, SHA256SUMS or the zip.",
    examples=[OpenApiExample("Bills as JSON lines", value="bills.jsonl")],
)
FILE_HEADERS = [
    OpenApiParameter(
        "Content-Disposition",
        str,
        OpenApiParameter.HEADER,
        response=[200, 206],
        description="attachment (named policytracker-<id>-<name>, the zip by its own name); "
        "inline for the manifest, README.md and SHA256SUMS.",
    ),
    OpenApiParameter(
        "Accept-Ranges", str, OpenApiParameter.HEADER, response=[200, 206, 416], description="bytes"
    ),
    OpenApiParameter(
        "Content-Range",
        str,
        OpenApiParameter.HEADER,
        response=[206, 416],
        description="The range sent and the file's size (`bytes 0-1023/52311`; `bytes */52311` "
        "with 416).",
    ),
    OpenApiParameter(
        "Last-Modified",
        str,
        OpenApiParameter.HEADER,
        response=[200, 206],
        description="When the file was written.",
    ),
]
# What the snapshot writer stores; anything else is application/octet-stream.
BINARY_MEDIA_TYPES = (
    "application/zip",
    "application/x-ndjson",
    "text/csv",
    "text/markdown",
    "text/plain",
    "application/octet-stream",
)


def _content(status: int, description: str) -> dict:
    responses = {
        (status, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for media_type in BINARY_MEDIA_TYPES
    }
    # The manifest and popolo.json: JSON documents, described by the manifest and the README.
    responses[(status, "application/json")] = OpenApiResponse(
        OpenApiTypes.ANY, description=description
    )
    return responses


FILE_RESPONSES = {
    **_content(200, "The whole file."),
    **_content(206, "Partial Content: the byte range asked for, placed by Content-Range."),
    304: OpenApiResponse(description="Not Modified: If-None-Match names the file's ETag."),
    (412, PROBLEM_TYPE): OpenApiResponse(
        PROBLEM, description="Precondition failed: If-Match names another ETag."
    ),
    416: OpenApiResponse(
        description="Range Not Satisfiable: the range starts past the end; Content-Range "
        "gives the size."
    ),
}
FILE_RESPONSES[(404, PROBLEM_TYPE)] = OpenApiResponse(
    PROBLEM, description="Not found: no snapshot with this id, or no file of this name in it."
)
DETAIL_NOT_FOUND = OpenApiResponse(PROBLEM, description="Not found: no snapshot with this id.")
LOCATION = OpenApiParameter(
    "Location", OpenApiTypes.URI, OpenApiParameter.HEADER, response=[302], description="Where."
)
LATEST_RESPONSES = {
    302: OpenApiResponse(description="Found: the newest snapshot's address is in Location."),
    (404, PROBLEM_TYPE): OpenApiResponse(PROBLEM, description="Not found: no snapshot yet."),
}
LATEST_FILE_RESPONSES = {
    302: OpenApiResponse(
        description="Found: the file's address in the newest snapshot is in Location."
    ),
    (404, PROBLEM_TYPE): OpenApiResponse(
        PROBLEM, description="Not found: no snapshot yet, or none of this name in the newest."
    ),
}

_BASE = "https://api.example.org/api/v1/exports/20261207T060102Z/"
_ZIP = {
    "name": "policytracker-20261207T060102Z.zip",
    "url": _BASE + "policytracker-20261207T060102Z.zip",
    "bytes": 48213,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
}
_COUNTS = {"bills": 7, "statements": 28}
LIST_EXAMPLE = OpenApiExample(
    "Two snapshots",
    {
        "latest": EXAMPLE_ID,
        "results": [
            {
                "id": EXAMPLE_ID,
                "generated_at": "2026-12-07T06:01:02.123456Z",
                "change_cursor": 1325,
                "schema_version": "1.0",
                "url": _BASE,
                "bytes": 151002,
                "counts": _COUNTS,
                "zip": _ZIP,
                "manifest_url": _BASE + "manifest.json",
            }
        ],
    },
)
DETAIL_EXAMPLE = OpenApiExample(
    "A snapshot",
    {
        "id": EXAMPLE_ID,
        "schema_version": "1.0",
        "api_version": "v1",
        "generated_at": "2026-12-07T06:01:02.123456Z",
        "change_cursor": 1325,
        "base_url": "https://api.example.org",
        "counts": _COUNTS,
        "files": {
            "bills.jsonl": {
                "bytes": 21734,
                "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                "rows": 7,
                "media_type": "application/x-ndjson",
                "url": _BASE + "bills.jsonl",
            }
        },
        "zip": _ZIP,
        "url": _BASE,
        "manifest_url": _BASE + "manifest.json",
        "checksums_url": _BASE + "SHA256SUMS",
    },
)
