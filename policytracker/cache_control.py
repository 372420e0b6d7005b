"""Cache-Control on every response: what a shared cache (the reverse proxy, a CDN) may keep.

Only anonymous reads of public API data are `public`: everyone gets the same bytes for them.
Anything a signed-in caller sees may include drafts, so it is `private, no-store`, as are writes,
the admin and errors (a 429 or a 503 must not be replayed to other clients). Probes and metrics
describe this instant: `no-store`. Static files and files marked `immutable` (bulk snapshot
files) keep the Cache-Control they were served with: the same bytes for everyone, forever.
"""

from django.conf import settings
from django.utils.cache import cc_delim_re, patch_vary_headers

PUBLIC_PREFIXES = ("/api/",)
# The public site's pages (site_pages/urls.py): the same page for every anonymous reader of a
# language (LocaleMiddleware adds Vary: Accept-Language; the switcher's choice is a cookie).
SITE_PAGES = frozenset({"/"})
SITE_PREFIXES = ("/bills/", "/people/", "/events/", "/search/")
NO_STORE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# A missing record is the same answer for everyone; other errors depend on the caller or moment.
CACHEABLE_ERRORS = frozenset({404, 410})
# Who may see what differs by these request headers.
VARY = ("Accept", "Origin", "Authorization", "Cookie")
PRIVATE = "private, no-store"
# Answers about an immutable file (a bulk snapshot's: policytracker/exports/serving.py).
IMMUTABLE_STATUSES = frozenset({200, 206, 304})


def is_immutable_file(response) -> bool:
    """The response serves a file that never changes and says so (`immutable`): the same
    stored bytes for every caller, so it keeps its own Cache-Control, like a static file."""
    directives = {d.strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    return response.status_code in IMMUTABLE_STATUSES and "immutable" in directives


def is_personal(request, response) -> bool:
    """The request carried credentials, or the response sets a cookie."""
    if request.META.get("HTTP_AUTHORIZATION") or response.cookies:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def cache_control(request, response) -> str | None:
    """The Cache-Control value for `response`, or None to keep the one it has (static files)."""
    path = request.path
    if path in NO_STORE_PATHS:
        return "no-store"
    if path.startswith(settings.STATIC_URL):  # "/static/": Django adds the script prefix
        return None  # whitenoise sets it; the same file for everyone
    if is_immutable_file(response) and not response.cookies:
        return None
    if request.method not in ("GET", "HEAD") or is_personal(request, response):
        return PRIVATE
    status = response.status_code
    public_path = path.startswith(PUBLIC_PREFIXES + SITE_PREFIXES) or path in SITE_PAGES
    if not public_path or (status >= 400 and status not in CACHEABLE_ERRORS):
        return PRIVATE
    return f"public, max-age={settings.CACHE_MAX_AGE_SECONDS}"


class CacheControlMiddleware:
    """Sets Cache-Control (and Vary on public responses) from `cache_control`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        value = cache_control(request, response)
        if value is not None:
            response["Cache-Control"] = value
            if value.startswith("public"):
                patch_vary_headers(response, VARY)
        return response
