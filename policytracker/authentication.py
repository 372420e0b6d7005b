"""Token authentication that limits how often one address may present a wrong token."""

import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from policytracker.cache_guard import CACHE_ERRORS, cache_failed
from policytracker.throttling import client_address, parse_rate

AUTH_FAILURE_DETAIL = "Too many failed authentication attempts from this address."


class _FailureWindow:
    """The failed token checks of one client address in the current fixed window, counted with
    the cache's atomic `incr` so that concurrent guesses cannot slip past the limit."""

    def __init__(self, address: str) -> None:
        self.limit, self.period = parse_rate(settings.API_AUTH_FAILURE_RATE)
        now = time.time()
        window = int(now // self.period)
        self.key = f"auth_failures_{address}_{window}"
        self.wait = math.ceil((window + 1) * self.period - now)

    def refuse_if_spent(self) -> None:
        try:
            spent = cache.get(self.key, 0) >= self.limit
        except CACHE_ERRORS as error:
            cache_failed(error, "wrong tokens are not counted")
            return
        if spent:
            raise Throttled(wait=self.wait, detail=AUTH_FAILURE_DETAIL)

    def record(self) -> None:
        try:
            cache.add(self.key, 0, timeout=self.period)
            try:
                cache.incr(self.key)
            except ValueError:  # expired between add and incr: the next window starts at one
                cache.set(self.key, 1, timeout=self.period)
        except CACHE_ERRORS as error:
            cache_failed(error, "wrong tokens are not counted")


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's token check, refused with 429 once an address has presented API_AUTH_FAILURE_RATE
    wrong tokens in the period. Authentication runs before the throttles, so without this an
    invalid token would always get a cheap 401 and guessing would be unlimited. The budget is
    checked before the token is, so while it is spent even a right token gets 429: otherwise a
    guess that succeeds would still stand out. Requests without a token are not affected."""

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None
        failures = _FailureWindow(client_address(request))
        failures.refuse_if_spent()
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            failures.record()
            raise
