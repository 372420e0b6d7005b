"""Lean pages read with server-side prepared statements: PostgreSQL plans a page's query once
per connection instead of once per request.

A lean page's query writes every record's JSON in nested subqueries (bills/api/documents.py);
planning them costs PostgreSQL 3–8 ms, as much as a quarter of the query. psycopg2 sends each
query as text, so it is planned every time. Here a page's SQL is PREPAREd on the connection the
first time it is seen (keyed by its text; parameters are the page's filter values, cursor
position and size) and EXECUTEd with the values afterwards. Statements are per connection and
kept for its life (CONN_MAX_AGE), at most MAX_PER_CONNECTION of them.

Only the lean list and detail reads go through here, as a stand-in for the queryset that the
cursor paginator slices (`PreparedRows`); everything else runs as usual.
"""

import datetime
import decimal
import itertools
import weakref
from collections import OrderedDict

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet

MAX_PER_CONNECTION = 200

# PostgreSQL types of parameter values; a query with any other kind of value runs unprepared.
_TYPES = (
    (bool, "boolean"),
    (int, "bigint"),
    (float, "double precision"),
    (decimal.Decimal, "numeric"),
    (str, "text"),
    (datetime.datetime, "timestamptz"),
    (datetime.date, "date"),
)

# Statement names are never reused in a process: if a PREPARE's fate is unknown (the round
# trip failed), the next attempt prepares under a new name instead of colliding.
_names = itertools.count(1)

# The statements prepared on each live psycopg2 connection, oldest first.
_prepared: "weakref.WeakKeyDictionary[object, OrderedDict[str, str]]" = weakref.WeakKeyDictionary()


def _type_of(value) -> str | None:
    for kind, name in _TYPES:
        if isinstance(value, kind):
            return name
    return None


def _numbered(sql: str, count: int) -> str | None:
    """Django's `%s` placeholders as `$1…$n` (None if the text holds any other `%`)."""
    parts = sql.split("%s")
    if len(parts) != count + 1 or any("%" in part for part in parts):
        return None
    numbered = [parts[0]]
    for index, part in enumerate(parts[1:], start=1):
        numbered.append(f"${index}{part}")
    return "".join(numbered)


def fetch_dicts(queryset: QuerySet) -> list[dict]:
    """The rows of a `.values()` queryset, as dicts, through a prepared statement."""
    if not settings.LEAN_PREPARED_STATEMENTS:
        return list(queryset)
    connection = connections[queryset.db]
    sql, params = queryset.query.sql_with_params()
    types = [_type_of(value) for value in params]
    numbered = _numbered(sql, len(params))
    if numbered is None or None in types:
        return list(queryset)
    with connection.cursor() as cursor:
        raw = connection.connection
        statements = _prepared.setdefault(raw, OrderedDict())
        name = statements.get(sql)
        arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
        if name is None:
            name = f"lean_{next(_names)}"
            signature = f"({', '.join(types)})" if types else ""
            drop = ""
            if len(statements) >= MAX_PER_CONNECTION:
                _, oldest = statements.popitem(last=False)
                drop = f"DEALLOCATE {oldest}; "
            # One round trip (and one query to Django's counters): prepare, then run.
            cursor.execute(
                f"{drop}PREPARE {name} {signature} AS {numbered}; EXECUTE {name} {arguments}",
                params,
            )
            statements[sql] = name
        else:
            statements.move_to_end(sql)
            cursor.execute(f"EXECUTE {name} {arguments}", params)
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


class PreparedRows:
    """A `.values()` queryset as the cursor paginator uses it (order, filter, slice), whose
    slice is read through a prepared statement."""

    def __init__(self, queryset: QuerySet):
        self.queryset = queryset

    def order_by(self, *fields) -> "PreparedRows":
        return PreparedRows(self.queryset.order_by(*fields))

    def filter(self, *args, **kwargs) -> "PreparedRows":
        return PreparedRows(self.queryset.filter(*args, **kwargs))

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("PreparedRows is read in slices")
        return fetch_dicts(self.queryset[item])


def deallocate_all(connection) -> None:
    """Drop every statement prepared on `connection` (tests that read a page's SQL text)."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        _prepared.pop(connection.connection, None)
