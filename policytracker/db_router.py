"""Reads from a streaming replica, writes to the primary.

`DATABASES["replica"]` exists when DATABASE_REPLICA_URL is set (settings). A read goes there only
while a request has chosen it (`replica_reads`, set by policytracker/db_routing_middleware.py:
a safe-method request whose user has not written lately, while the replica is healthy).
Everything else reads the primary: writes, unsafe requests, management commands, the seed
loader, tests, reads inside a transaction on the primary, and the account tables (users, tokens,
sessions, permissions), so a token or a login made a moment ago works at once.

The replica's health is checked at most every CHECK_INTERVAL_SECONDS per process: it must be a
standby that streams from the primary and whose replay lags at most REPLICA_MAX_LAG_SECONDS.
"""

import contextlib
import contextvars
import dataclasses
import logging
import math
import time
from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import DatabaseError

logger = logging.getLogger(__name__)

REPLICA = "replica"
CHECK_INTERVAL_SECONDS = 2.0
# Always read from the primary: a just-created token, session or permission must count at once.
ACCOUNT_APPS = frozenset({"auth", "authtoken", "sessions", "contenttypes", "axes", "admin"})

# One row on the standby: is a WAL receiver streaming (its status is hidden from roles without
# pg_read_all_stats, hence IS NULL), and how far replay is behind. Behind means WAL received but
# not yet replayed; the lag is then the age of the last replayed commit, which over-estimates
# (never under-estimates) how stale the replica's answers are. Unknown while behind: infinite.
REPLICA_STATE_SQL = """
SELECT
    pg_is_in_recovery()
        AND EXISTS (
            SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming' OR status IS NULL
        ),
    CASE
        WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(
            EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8,
            'Infinity'::float8
        )
    END
"""


@dataclasses.dataclass
class _Routing:
    use_replica: bool = False
    replica_used: bool = False


# None outside `replica_reads`: read the primary.
_routing: contextvars.ContextVar[_Routing | None]
_routing = contextvars.ContextVar("db_routing", default=None)
_health = {"checked_at": -math.inf, "status": "none", "detail": ""}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads(enabled: bool = True) -> Iterator[_Routing]:
    """Within the block, reads of the domain tables go to the replica (when `enabled`)."""
    state = _Routing(use_replica=enabled)
    token = _routing.set(state)
    try:
        yield state
    finally:
        _routing.reset(token)


class PrimaryReplicaRouter:
    """Writes and migrations: the primary. Reads: the replica only inside `replica_reads`."""

    def db_for_read(self, model, **hints) -> str:
        state = _routing.get()
        if (
            state is not None
            and state.use_replica
            and model._meta.app_label not in ACCOUNT_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            state.replica_used = True
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica is a copy of the primary: same rows, same keys

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


def replica_status(*, force: bool = False) -> str:
    """The replica's state: "none" (not configured), "up", "down" (unreachable or not
    streaming) or "lagging" (replay behind by more than REPLICA_MAX_LAG_SECONDS). Cached for
    CHECK_INTERVAL_SECONDS unless `force`; a change to a bad state is logged as a warning."""
    if not replica_configured():
        return "none"
    if not force and time.monotonic() - _health["checked_at"] < CHECK_INTERVAL_SECONDS:
        return _health["status"]
    status, detail = _check_replica()
    previous = _health["status"]
    _health.update(checked_at=time.monotonic(), status=status, detail=detail)
    if status != "up":
        if status != previous:
            logger.warning("Replica %s (%s); reads go to the primary.", status, detail)
    elif previous in {"down", "lagging"}:
        logger.warning("Replica up again; anonymous reads go back to it.")
    return status


def _check_replica() -> tuple[str, str]:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(REPLICA_STATE_SQL)
            streaming, lag = cursor.fetchone()
    except DatabaseError as error:
        # A broken connection is dropped, so the next check connects afresh.
        with contextlib.suppress(DatabaseError):
            connection.close()
        return "down", f"{type(error).__name__}: {str(error).strip()}"
    if not streaming:
        return "down", "not streaming from the primary"
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        return "lagging", f"replay {lag:.1f} s behind, bound {settings.REPLICA_MAX_LAG_SECONDS:g} s"
    return "up", f"replay {lag:.1f} s behind"
