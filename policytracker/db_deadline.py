"""A deadline on every database round trip of the web process, so a hung database is a fast
503 rather than a request that hangs until the server kills its worker.

PostgreSQL's own `statement_timeout` stops slow queries, and libpq's `connect_timeout` stops
slow connection attempts, but neither helps when the server process itself is frozen: the
query is sent and no answer ever comes. psycopg2 lets a wait callback replace its blocking
waits; this one waits with `select()` until the deadline and then raises OperationalError,
which the API answers as 503 (policytracker/problems.py). The connection is then unusable and
Django discards it. Only the web process installs it (policytracker/wsgi.py): migrations,
backups and other commands may legitimately run long statements.
"""

import select
import time

from psycopg2 import OperationalError, extensions

TIMEOUT_ENV = "DB_QUERY_TIMEOUT_SECONDS"
WEB_DEFAULT_SECONDS = "2"


def deadline_wait(timeout: float):
    """A psycopg2 wait callback that gives up after `timeout` seconds without an answer."""

    def wait(connection) -> None:
        deadline = time.monotonic() + timeout
        while True:
            state = connection.poll()
            if state == extensions.POLL_OK:
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise OperationalError(f"The database did not answer within {timeout:g} s.")
            if state == extensions.POLL_READ:
                select.select([connection.fileno()], [], [], remaining)
            elif state == extensions.POLL_WRITE:
                select.select([], [connection.fileno()], [], remaining)
            else:
                raise OperationalError(f"Unexpected connection state {state}.")

    return wait


def install(timeout: float) -> None:
    """Bound every database wait of this process by `timeout` seconds (0: no bound)."""
    extensions.set_wait_callback(deadline_wait(timeout) if timeout > 0 else None)
