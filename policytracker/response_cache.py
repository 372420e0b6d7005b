"""A shared response cache for anonymous reads of the public API, kept exact by the change log.

An anonymous GET of `/api/v1/...` (JSON, the change feed and the Atom feeds) is stored in the
Django cache (Redis) with the change log's position when it was rendered: the newest public
event, `(seq, recorded_at)`. It is served only while that is still the newest public event, a
one-row read of the `(public, seq)` index on every request. Every write goes through the
services and logs its event in the same transaction, events commit in `seq` order, and an
anonymous reader's representation changes only with a public event; the position is read
before the view renders, so an entry can only be older-labelled than its content, never newer.
So a hit is byte for byte what the view would render now, across any number of app instances
(the check is in the shared database, not in a signal that arrives after commit), and
RESPONSE_CACHE_SECONDS only bounds how long an unused entry takes up memory. Loads that bypass
the services (`generate_data`, a restore) bypass the log too: clear the cache after them.

The position is read on the database the view reads (the middleware runs inside
ReplicaRoutingMiddleware), so an entry rendered from a lagging replica is labelled with the
replica's position, never the primary's newer one.

Cached: anonymous requests only (no Authorization header, no session cookie), 200 answers
without cookies and not marked private or no-store, whose Vary names only headers in the key.
Not cached: errors and 404s (cheap to render, and caching them lets any invented URL take up
memory), redirects, HEAD renders (a HEAD is answered from the GET's entry), streaming answers,
and the bulk snapshots under /api/v1/exports/ (files on disk, not in the change log).

The key is the absolute URL (scheme and host too: bodies carry absolute links) and the request
headers that shape the answer: Accept, Accept-Language and whether gzip is accepted. An entry
is stored as the outer middleware would finish it: its ETag as VersionETagMiddleware or
ConditionalGetMiddleware would set it (from the uncompressed bytes), then gzip-compressed for a
client that accepts it, so a hit costs no hashing or compression and the outer layers pass it
through (ConditionalGetMiddleware still answers 304). A hit still counts against the caller's
rate limit when the view would have (DRF's throttles run, and a refused hit falls through to
the view's own 429). `X-Response-Cache: hit|miss` says what happened.

When the cache fails, the response cache is skipped for a few seconds (no error; the failure
is logged like the rate limits' in policytracker/cache_guard.py).
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import cc_delim_re, get_max_age, set_response_etag
from rest_framework.request import Request
from rest_framework.settings import api_settings

from policytracker.cache_guard import CACHE_ERRORS, cache_failed
from policytracker.changes.models import ChangeEvent
from policytracker.etags import RECORD_VERSION_ATTRIBUTE, version_etag
from policytracker.locale import mark_content_language
from policytracker.problems import DATABASE_RETRY_AFTER_SECONDS, PROBLEM_CONTENT_TYPE, problem
from policytracker.throttling import RATE_LIMIT_ATTRIBUTE

logger = logging.getLogger(__name__)

CACHED_PREFIX = "/api/v1/"
# Bulk snapshots are files on disk that change without a change-log event (a new one daily, old
# ones pruned), and their downloads stream: never from this cache.
UNCACHED_PREFIXES = ("/api/v1/exports/",)
HEADER = "X-Response-Cache"
# Bump when a deploy changes representations, so entries of the old code are not served.
KEY_VERSION = "1"
KEY_PREFIX = f"response:{KEY_VERSION}:"
DEFAULT_SECONDS = 300
# Larger answers are rendered every time rather than pushing everything else out of Redis.
MAX_ENTRY_BYTES = 8 * 1024 * 1024
# Request headers a cached answer may vary on: those in the key, and those that make a
# request uncacheable (credentials); Origin only changes CORS headers, added outside.
KEYED_VARY = frozenset({"accept", "accept-language", "accept-encoding"})
HARMLESS_VARY = frozenset({"authorization", "cookie", "origin"})
GZIP_MIDDLEWARE = (
    "policytracker.response_cache.PublicGZipMiddleware",
    "django.middleware.gzip.GZipMiddleware",
)
RETRY_AFTER_FAILURE_SECONDS = 5.0
_unavailable_until = {"at": float("-inf")}


# -- gzip ---------------------------------------------------------------------------------------


def carries_credentials(request) -> bool:
    """The request could be answered with what only its sender may see."""
    return bool(
        request.META.get("HTTP_AUTHORIZATION") or settings.SESSION_COOKIE_NAME in request.COOKIES
    )


class PublicGZipMiddleware(GZipMiddleware):
    """Django's gzip (BREACH padding included) for API answers to requests without a session
    cookie. A browser sends the session cookie by itself, so an answer to it could be an oracle
    for BREACH (an attacker's page makes the victim's browser fetch pages mixing its input with
    drafts and the admin's tokens, and watches the compressed sizes); token clients set their
    header themselves and no other site can make them send it, so their answers are compressed.
    The admin is never compressed. Place it just above ConditionalGetMiddleware, so the ETag
    is computed from the uncompressed bytes (gzip then makes it weak) and matches either way."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        if response.cookies:
            return response
        if response.has_header("Accept-Ranges") or response.has_header("Content-Range"):
            # Served as stored (a snapshot file): byte ranges, lengths and published checksums
            # refer to the stored bytes, and a zip is compressed already.
            return response
        return super().process_response(request, response)


_gzip = PublicGZipMiddleware(get_response=lambda request: None)


def _gzip_installed() -> bool:
    return any(path in settings.MIDDLEWARE for path in GZIP_MIDDLEWARE)


# -- what is cached, under which key ------------------------------------------------------------


def enabled() -> bool:
    return bool(getattr(settings, "RESPONSE_CACHE_ENABLED", True))


def eligible(request) -> bool:
    """An anonymous read of the public API."""
    return (
        request.method in ("GET", "HEAD")
        and request.path.startswith(CACHED_PREFIX)
        and not request.path.startswith(UNCACHED_PREFIXES)
        and not carries_credentials(request)
    )


def encoding(request) -> str:
    """The content coding the answer will have: what the gzip middleware would choose."""
    accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    return "gzip" if accepts and _gzip_installed() else "identity"


def cache_key(request) -> str:
    """The absolute URL and the request headers that shape the answer, hashed."""
    parts = (
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        request.META.get("HTTP_ACCEPT", ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
        encoding(request),
    )
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return KEY_PREFIX + digest


def log_position() -> tuple | None:
    """The newest change an anonymous reader may see: (seq, recorded_at), None on an empty log.
    `recorded_at` guards against a log that was emptied and numbered again (a restore)."""
    events = ChangeEvent.objects.visible_to(AnonymousUser()).order_by("-seq")
    return events.values_list("seq", "recorded_at").first()


def database_unavailable(request, error: Exception) -> HttpResponse:
    """The API's 503 problem (policytracker/problems.py) for a database that does not answer."""
    logger.warning("Database unavailable: %s", error)
    body = problem(
        503, "The database is unavailable; retry shortly.", instance=request.get_full_path()
    )
    response = JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


def storable(response) -> bool:
    """A 200 that is the same for every anonymous caller and the request headers in the key."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    directives = {d.strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if directives & {"private", "no-store", "no-cache"} or get_max_age(response) == 0:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if "*" in vary or vary - KEYED_VARY - HARMLESS_VARY:
        return False
    return len(response.content) <= MAX_ENTRY_BYTES


def finish(request, response) -> None:
    """What the outer middleware would do to the body's headers, done once before storing: the
    ETag (VersionETagMiddleware's for a record, else ConditionalGetMiddleware's) of the
    uncompressed bytes, then gzip for a client that accepts it; and the language it is in
    (ReaderLocaleMiddleware's, which a replay does not reach the view to learn)."""
    mark_content_language(request, response)
    version = getattr(response, RECORD_VERSION_ATTRIBUTE, None)
    if version is not None:
        response["ETag"] = version_etag(version, response.content)
        setattr(response, RECORD_VERSION_ATTRIBUTE, None)  # done; not again over gzip bytes
    elif not response.has_header("ETag"):
        set_response_etag(response)
    if encoding(request) == "gzip":
        _gzip.process_response(request, response)


# -- the cache ----------------------------------------------------------------------------------


def _store():
    if time.monotonic() < _unavailable_until["at"]:
        return None
    return caches[getattr(settings, "RESPONSE_CACHE_ALIAS", "default")]


def _failed(error: Exception) -> None:
    _unavailable_until["at"] = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS
    cache_failed(error, "responses are rendered without the response cache")


def _throttle_refuses(request) -> bool:
    """Run the default throttles as the view would for this anonymous request; they count it
    and leave the budget for RateLimitHeadersMiddleware."""
    drf_request = Request(request, authenticators=())
    return any(
        not throttle().allow_request(drf_request, None)
        for throttle in api_settings.DEFAULT_THROTTLE_CLASSES
    )


def _replay(entry: tuple) -> HttpResponse:
    _position, status, headers, content, _throttled = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    response[HEADER] = "hit"
    return response


class ResponseCacheMiddleware:
    """Serves and stores anonymous API reads (see the module docstring). Inside
    ReplicaRoutingMiddleware (the log position is read on the database the view reads) and
    RateLimitHeadersMiddleware (a hit gets the caller's budget headers), below
    ConditionalGetMiddleware, VersionETagMiddleware and the gzip middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (enabled() and eligible(request)):
            return self.get_response(request)
        store = _store()
        if store is None:
            return self._miss(request, self.get_response(request))
        key = cache_key(request)
        try:
            position = log_position()  # before rendering: content is never older than its label
        except DatabaseError as error:
            # The database is down or frozen (policytracker/db_deadline.py gave up): answer the
            # 503 the view would, now, rather than wait for the database a second time.
            return database_unavailable(request, error)
        try:
            entry = store.get(key)
        except CACHE_ERRORS as error:
            _failed(error)
            return self._miss(request, self.get_response(request))
        if entry is not None and entry[0] == position:
            if entry[4] and _throttle_refuses(request):
                return self.get_response(request)  # the view answers 429 and counts nothing
            return _replay(entry)
        response = self.get_response(request)
        if request.method == "GET" and storable(response):
            finish(request, response)
            headers = [(name, str(value)) for name, value in response.items()]
            throttled = hasattr(request, RATE_LIMIT_ATTRIBUTE)
            entry = (position, response.status_code, headers, response.content, throttled)
            seconds = getattr(settings, "RESPONSE_CACHE_SECONDS", DEFAULT_SECONDS)
            try:
                store.set(key, entry, timeout=seconds)
            except CACHE_ERRORS as error:
                _failed(error)
        return self._miss(request, response)

    @staticmethod
    def _miss(request, response):
        response[HEADER] = "miss"
        return response
