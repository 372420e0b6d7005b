"""Per-client rate limits counted in the Django cache, with the numbers exposed as headers."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

RATE_LIMIT_ATTRIBUTE = "_policytracker_rate_limit"


class _ReportingThrottle(SimpleRateThrottle):
    """A sliding-window throttle whose rate is read from settings at call time and which leaves
    (limit, remaining, reset seconds) on the request for RateLimitHeadersMiddleware."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        if self.key is not None:
            remaining = max(self.num_requests - len(self.history), 0)
            reset = int(self.duration - (self.now - self.history[-1])) if self.history else 0
            setattr(request._request, RATE_LIMIT_ATTRIBUTE, (self.num_requests, remaining, reset))
        return allowed


class AnonymousRateThrottle(_ReportingThrottle):
    """Anonymous clients, counted per IP address."""

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
