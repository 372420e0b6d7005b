"""Which database a request reads (policytracker/db_router.py), and read-your-writes.

A safe-method request (GET, HEAD, OPTIONS) reads the replica when it is healthy and the user
has not written within the read-your-writes window; otherwise, and for every unsafe request, it
reads the primary. After a successful unsafe request of a signed-in user (API or admin) a
"wrote at" marker for that user goes into the Django cache. The cache (Redis) is shared by every
app instance, so the marker follows the user to whichever instance answers next, and it works
for token clients that keep no cookies. When the cache fails, or is a per-process memory cache
that other instances cannot see, signed-in users read the primary.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.authentication import get_authorization_header
from rest_framework.authtoken.models import Token

from policytracker.cache_guard import CACHE_ERRORS, cache_failed
from policytracker.db_router import (
    CHECK_INTERVAL_SECONDS,
    replica_configured,
    replica_reads,
    replica_status,
)

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MARKER_KEY = "db-routing:wrote:{user_id}"
TOKEN_KEYWORD = b"token"


def read_your_writes_window() -> float:
    """Seconds after a write during which the writer reads the primary: at least the staleness
    the replica may have while still counted healthy (its lag bound plus one check interval)."""
    return max(
        settings.READ_YOUR_WRITES_SECONDS,
        settings.REPLICA_MAX_LAG_SECONDS + CHECK_INTERVAL_SECONDS,
    )


def note_write(user_id: int) -> None:
    """Remember that `user_id` just wrote, for read_your_writes_window() seconds."""
    window = read_your_writes_window()
    try:
        cache.set(MARKER_KEY.format(user_id=user_id), time.time(), timeout=math.ceil(window))
    except CACHE_ERRORS as error:
        cache_failed(error, "a write was not noted for read-your-writes")


def wrote_recently(user_id: int) -> bool:
    """True when `user_id` wrote within the window, or when that cannot be known."""
    if isinstance(caches["default"], LocMemCache):
        return True
    try:
        wrote_at = cache.get(MARKER_KEY.format(user_id=user_id))
    except CACHE_ERRORS as error:
        cache_failed(error, "signed-in users read the primary")
        return True
    return wrote_at is not None and time.time() - wrote_at < read_your_writes_window()


def requesting_user_id(request) -> int | None:
    """The signed-in user's id (token or session), None for an anonymous request. Looked up
    here, before the view authenticates, because the choice of database comes first; both
    lookups read the primary (account tables)."""
    auth = get_authorization_header(request).split()
    if len(auth) == 2 and auth[0].lower() == TOKEN_KEYWORD:
        try:
            key = auth[1].decode()
        except UnicodeError:
            key = ""
        user_id = Token.objects.filter(key=key).values_list("user_id", flat=True).first()
        if user_id is not None:
            return user_id
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = request.user
        if user.is_authenticated:
            return user.pk
    return None


def reads_replica(request) -> bool:
    """Whether this safe-method request may read the replica."""
    user_id = requesting_user_id(request)
    if user_id is not None and wrote_recently(user_id):
        return False
    return replica_status() == "up"


class ReplicaRoutingMiddleware:
    """Routes the reads of each request (see the module docstring). After
    AuthenticationMiddleware, which gives sessions their user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        if request.method not in SAFE_METHODS:
            response = self.get_response(request)
            # DRF puts the token's user on the request too, so API and admin writes both count.
            user = getattr(request, "user", None)
            if response.status_code < 400 and user is not None and user.is_authenticated:
                note_write(user.pk)
            return response
        if not reads_replica(request):
            return self.get_response(request)
        with replica_reads() as routing:
            response = self.get_response(request)
        if response.status_code >= 500 and routing.replica_used:
            # The replica failed mid-request (stopped, hung, a query cancelled by recovery): a
            # safe request can be answered again, from the primary. The forced check keeps the
            # next requests off a replica that is gone.
            status = replica_status(force=True)
            logger.warning(
                "%s %s failed reading the replica (%s, replica %s); answered from the primary.",
                request.method,
                request.path,
                response.status_code,
                status,
            )
            response = self.get_response(request)
        return response
