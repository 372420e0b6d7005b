"""The background worker's jobs (`manage.py run_worker`): housekeeping the web process never
waits for. Each job returns how many rows it removed; `maintenance_round` runs them all."""

import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from policytracker.idempotency.services import idempotency_records_purge

logger = logging.getLogger(__name__)


def purge_idempotency_records() -> int:
    """Stored Idempotency-Key outcomes older than IDEMPOTENCY_KEY_RETENTION_HOURS."""
    cutoff = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_RETENTION_HOURS)
    return idempotency_records_purge(older_than=cutoff)


def clear_expired_sessions() -> int:
    """Expired sessions, as `manage.py clearsessions` does, through the session engine."""
    engine = import_module(settings.SESSION_ENGINE)
    # Counted only where sessions are rows; other engines expire theirs on their own terms.
    counted = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    expired = Session.objects.filter(expire_date__lt=timezone.now()).count() if counted else 0
    engine.SessionStore.clear_expired()
    return expired


JOBS = {
    "idempotency records": purge_idempotency_records,
    "expired sessions": clear_expired_sessions,
}


def maintenance_round() -> dict[str, int]:
    """Run every job once; a failing job is logged and the others still run."""
    done = {}
    for name, job in JOBS.items():
        try:
            done[name] = job()
        except Exception:
            logger.exception("Maintenance job %r failed.", name)
            continue
        logger.info("Maintenance: deleted %d %s.", done[name], name)
    return done
