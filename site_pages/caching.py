"""Rendered pages kept for anonymous readers, exact by the change log (as the API's
response cache, policytracker/response_cache.py): an entry is served only while the change log's
newest public event is the one it was rendered at, so a published change shows at once.

The key is the address and the page's language (chosen by LocaleMiddleware from the switcher's
cookie or Accept-Language), so a reader never gets another language's page. A request with a
session or credentials is rendered every time (the site is the same for everyone, but such a
request is rare and keeps nothing personal out of a shared store by construction).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.translation import get_language

from policytracker.cache_guard import CACHE_ERRORS, cache_failed
from policytracker.response_cache import HEADER, carries_credentials, log_position

# Bump when a deploy changes the pages, so entries of the old templates are not served.
KEY_VERSION = "1"
DEFAULT_SECONDS = 300


def _key(request) -> str:
    parts = (
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        get_language() or "",
    )
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return f"site:{KEY_VERSION}:{digest}"


def _eligible(request) -> bool:
    return (
        getattr(settings, "RESPONSE_CACHE_ENABLED", True)
        and request.method in ("GET", "HEAD")
        and not carries_credentials(request)
    )


def cached_page(view):
    """Serve `view`'s 200 and 404 pages from the shared cache while the change log has no
    newer public event (see the module docstring)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _eligible(request):
            return view(request, *args, **kwargs)
        store = caches[getattr(settings, "RESPONSE_CACHE_ALIAS", "default")]
        key = _key(request)
        position = log_position()  # before rendering: content is never older than its label
        try:
            entry = store.get(key)
        except CACHE_ERRORS as error:
            cache_failed(error, "pages are rendered without the cache")
            return view(request, *args, **kwargs)
        if entry is not None and entry[0] == position:
            response = HttpResponse(entry[2], status=entry[1], content_type=entry[3])
            response[HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render"):
            response.render()
        if request.method == "GET" and response.status_code in (200, 404) and not response.cookies:
            entry = (position, response.status_code, response.content, response["Content-Type"])
            try:
                store.set(key, entry, timeout=settings.RESPONSE_CACHE_SECONDS or DEFAULT_SECONDS)
            except CACHE_ERRORS as error:
                cache_failed(error, "pages are rendered without the cache")
        response[HEADER] = "miss"
        return response

    return wrapper
