"""Per-client rate limits counted in the Django cache, with the numbers exposed as headers."""

import ipaddress

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from policytracker.cache_guard import CACHE_ERRORS, cache_failed

RATE_LIMIT_ATTRIBUTE = "_policytracker_rate_limit"
UNKNOWN_CLIENT = "unknown"
RATE_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _ip(value: str) -> str | None:
    """`value` as a canonical IP address, or None if it is not one. Scoped IPv6 addresses are
    refused: their zone is free text, and no proxy reports a client that way."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if getattr(address, "scope_id", None):
        return None
    return str(address)


def client_address(request) -> str:
    """The address requests are counted by: REMOTE_ADDR, unless NUM_PROXIES trusted proxies
    stand in front of the app; then the right-most X-Forwarded-For hop they did not add (the
    NUM_PROXIES-th from the right, or the left-most when there are fewer hops). Anything but an
    IP address falls back to REMOTE_ADDR, so a forged header cannot pick a cache key."""
    meta = request.META
    remote = _ip(meta.get("REMOTE_ADDR") or "")
    proxies = settings.NUM_PROXIES
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if proxies > 0 and forwarded:
        hops = forwarded.rsplit(",", proxies)
        hop = _ip(hops[-proxies] if len(hops) >= proxies else hops[0])
        if hop is not None:
            return hop
    return remote or UNKNOWN_CLIENT


def login_client_address(request) -> str | None:
    """`client_address` for the admin lockout (django-axes), which records an unknown address as
    none rather than as a placeholder (a request built without REMOTE_ADDR, e.g. by a script)."""
    address = client_address(request)
    return None if address == UNKNOWN_CLIENT else address


def parse_rate(rate: str) -> tuple[int, int]:
    """`"20/minute"` as (20, 60): requests and the period in seconds, as DRF reads rates."""
    count, period = rate.split("/")
    return int(count), RATE_PERIODS[period[0]]


class _ReportingThrottle(SimpleRateThrottle):
    """A sliding-window throttle whose rate is read from settings at call time and which leaves
    (limit, remaining, reset seconds) on the request for RateLimitHeadersMiddleware."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            allowed = super().allow_request(request, view)
        except CACHE_ERRORS as error:
            cache_failed(error, "rate limits are not applied")
            return True
        if self.key is not None:
            remaining = max(self.num_requests - len(self.history), 0)
            reset = int(self.duration - (self.now - self.history[-1])) if self.history else 0
            setattr(request._request, RATE_LIMIT_ATTRIBUTE, (self.num_requests, remaining, reset))
        return allowed


class AnonymousRateThrottle(_ReportingThrottle):
    """Anonymous clients, counted per client address."""

    scope = "anonymous"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenRateThrottle(_ReportingThrottle):
    """Authenticated clients (staff tokens and sessions), counted per user."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
