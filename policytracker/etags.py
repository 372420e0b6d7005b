"""The HTTP spelling of a record's version: the ETag of its detail responses, and If-Match.

A detail ETag is `"<version>-<digest>"`: the version is the concurrency token the services
check, and the digest (of the bytes served) keeps conditional GETs truthful for representations
that embed other records (`?include=`). If-Match compares only the version, so any GET of the
record — any `include`, any Host — gives a token a PATCH may send.
"""

import hashlib
import re

from rest_framework.exceptions import ValidationError

from policytracker.problems import PreconditionFailed, PreconditionRequired

RECORD_VERSION_ATTRIBUTE = "record_version"
_TOKEN = re.compile(r'^\s*(?:W/)?"(\d+)(?:-[0-9a-f]*)?"\s*$')
# Room for a few of our ETags (each about 25 characters); the OpenAPI schema states the same.
MAX_IF_MATCH_LENGTH = 1000


def mark_version(response, version: int) -> None:
    """Let `VersionETagMiddleware` derive the response's ETag from `version`."""
    setattr(response, RECORD_VERSION_ATTRIBUTE, version)


def version_etag(version: int, content: bytes) -> str:
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()[:16]
    return f'"{version}-{digest}"'


def expected_version(if_match: str | None, current: int) -> int | None:
    """The version an If-Match header asks to change: 428 without one, 412 for a token that
    names no version; `*` asks for none (any version)."""
    if not if_match or not if_match.strip():
        raise PreconditionRequired()
    if len(if_match) > MAX_IF_MATCH_LENGTH:
        raise ValidationError({"If-Match": [f"At most {MAX_IF_MATCH_LENGTH} characters."]})
    tokens = [token for token in if_match.split(",") if token.strip()]
    if not tokens:  # only commas: a list of no ETags, which no version matches
        raise PreconditionFailed()
    versions = []
    for token in tokens:
        match = _TOKEN.match(token)
        if match is None and token.strip() != "*":
            raise PreconditionFailed()  # every member is checked, `*` does not excuse the rest
        if match is not None:
            versions.append(int(match.group(1)))
    if len(versions) < len(tokens):  # a `*` among them
        return None
    # Several tokens: the current version if offered (the service re-checks under a lock).
    return current if current in versions else versions[0]


class VersionETagMiddleware:
    """Sets the version ETag on responses a view marked; runs before ConditionalGetMiddleware
    answers 304, so If-None-Match compares against it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        version = getattr(response, RECORD_VERSION_ATTRIBUTE, None)
        if version is not None and 200 <= response.status_code < 300 and not response.streaming:
            response["ETag"] = version_etag(version, response.content)
        return response
