"""The background worker's jobs (`manage.py run_worker`): housekeeping the web process never
waits for. Each job returns how many rows it handled (deleted, or for the webhook wake-up,
deliveries queued); `maintenance_round` runs them all."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from policytracker.exports.snapshot import snapshot_if_due
from policytracker.idempotency.services import idempotency_records_purge
from policytracker.webhooks import services as webhook_services
from policytracker.webhooks import tasks as webhook_tasks

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


def _webhook_cutoff():
    days = float(getattr(settings, "WEBHOOK_ATTEMPT_RETENTION_DAYS", 30))
    return timezone.now() - timedelta(days=days)


def purge_webhook_attempts() -> int:
    """Webhook delivery attempts older than WEBHOOK_ATTEMPT_RETENTION_DAYS (default 30)."""
    return webhook_services.deliveries_purge(older_than=_webhook_cutoff())


def purge_finished_tasks() -> int:
    """Finished (succeeded or failed) rows of the task queue, same retention."""
    return webhook_services.task_results_purge(older_than=_webhook_cutoff())


def wake_due_webhooks() -> int:
    """Queue deliveries for subscriptions owed events whose backoff has ended, when no task is
    waiting for them: a retry is never left to the next change."""
    return webhook_tasks.wake_due()


@dataclass(frozen=True)
class Job:
    """One maintenance job: `run` returns a count, reported as "<verb> <count> <name>"."""

    name: str
    run: Callable[[], int]
    verb: str = "deleted"


JOBS = (
    Job("idempotency records", purge_idempotency_records),
    Job("expired sessions", clear_expired_sessions),
    Job("webhook delivery attempts", purge_webhook_attempts),
    Job("finished task results", purge_finished_tasks),
    Job("due webhook subscriptions", wake_due_webhooks, verb="queued"),
    # The daily bulk snapshot (EXPORTS_INTERVAL_HOURS), served at /api/v1/exports/.
    Job("bulk data snapshots", snapshot_if_due, verb="wrote"),
)


def maintenance_round() -> dict[str, int]:
    """Run every job once; a failing job is logged and the others still run."""
    done = {}
    for job in JOBS:
        try:
            done[job.name] = job.run()
        except Exception:
            logger.exception("Maintenance job %r failed.", job.name)
            continue
        logger.info("Maintenance: %s %d %s.", job.verb, done[job.name], job.name)
    return done


def round_report(done: dict[str, int]) -> str:
    """One line for a round: what each job did, or that it failed."""
    parts = [
        f"{job.verb} {done[job.name]} {job.name}" if job.name in done else f"{job.name} failed"
        for job in JOBS
    ]
    return f"Maintenance round: {'; '.join(parts)}."
