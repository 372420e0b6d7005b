"""Degrade, don't die: the cache (Redis) only holds rate-limit counters, so when it is down or
hung the limits are skipped ("fail open") and the API keeps answering. Its client gives up
after REDIS_TIMEOUT_SECONDS (settings), and each failure is logged, at most once per interval
per process so an outage does not flood the logs."""

import logging
import time

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache call raises when Redis is down (refused), hung (timeout) or unreachable.
CACHE_ERRORS = (RedisError, OSError)
WARNING_INTERVAL_SECONDS = 10.0
_last_warning = {"at": float("-inf")}


def cache_failed(error: Exception, skipped: str) -> None:
    """Log that the cache failed and what was skipped because of it."""
    now = time.monotonic()
    if now - _last_warning["at"] >= WARNING_INTERVAL_SECONDS:
        _last_warning["at"] = now
        logger.warning("Cache unavailable (%s: %s); %s.", type(error).__name__, error, skipped)
