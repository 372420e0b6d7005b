"""JSON built by PostgreSQL: expressions that make a record's representation inside the query.

A lean page whose JSON PostgreSQL writes costs Python one string per record instead of a dict
per field: the rows never become model instances or dicts, and the renderer embeds the text as
is (orjson.Fragment). Every expression here is a Django expression, so the querysets that feed
them are the gated ones (`Model.objects.visible(...)`) and the gate stays in one place.

`row_to_json` writes compact JSON with the keys in the order given, as the serializers do.
"""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, F, Func, OuterRef, QuerySet, Subquery, TextField, Value, When
from django.db.models.expressions import Expression, RawSQL

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _expression(value) -> Expression:
    if isinstance(value, str):
        return F(value)
    return value


class JSONRow(Func):
    """A JSON object of named expressions: `(SELECT row_to_json(r) FROM (SELECT a AS k, …) r)`.

    Values may be field names, expressions, nested JSONRow, `json_list()` or `json_ref()`."""

    output_field = TextField()

    def __init__(self, **fields):
        for name in fields:
            if not _NAME.match(name):
                raise ValueError(f"{name!r} is not a plain JSON key")
        self.names = tuple(fields)
        super().__init__(*(_expression(value) for value in fields.values()))

    def as_sql(self, compiler, connection, **extra_context):
        columns, params = [], []
        for name, expression in zip(self.names, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            columns.append(f"{sql} AS {connection.ops.quote_name(name)}")
            params.extend(expression_params)
        return f"(SELECT row_to_json(r) FROM (SELECT {', '.join(columns)}) r)", params


class AsText(Func):
    """The JSON as text: psycopg2 would parse a `json` column into dicts, the cost we avoid."""

    template = "(%(expressions)s)::text"
    output_field = TextField()


class Joined(Func):
    """Strings joined with `||` (a NULL part makes the whole NULL, which the callers rely on:
    an address of no record is null)."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()


def timestamp(name: str) -> Func:
    """A timestamp as DRF writes it: UTC, microseconds only when there are any, `Z`."""
    return Func(
        F(name),
        function="",
        template=(
            "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '.000000Z', 'Z')"
        ),
        output_field=TextField(),
    )


def address(template: tuple[str, str], value) -> Joined:
    """An absolute address from a route template (policytracker.lean.Addresses.template)."""
    text = Func(_expression(value), template="(%(expressions)s)::text")
    return Joined(Value(template[0]), text, Value(template[1]))


def choice_text(name: str, texts: dict, default=None) -> Case:
    """The text of a coded value (a status label) from a mapping; `default` otherwise."""
    whens = [When(**{name: code}, then=Value(text)) for code, text in texts.items()]
    return Case(*whens, default=default, output_field=TextField())


def json_list(queryset: QuerySet, document: Expression) -> ArraySubquery:
    """A JSON array of `document` over the rows of `queryset` (correlated with OuterRef), in
    the queryset's order; `[]` when there are none."""
    return ArraySubquery(queryset.values(document=document))


def json_ref(queryset: QuerySet, key: str, document: Expression) -> Subquery:
    """The `document` of the row of the gated `queryset` whose pk is the outer row's `key`;
    null when there is none (no reference, or one the caller may not see)."""
    one = queryset.filter(pk=OuterRef(key)).order_by()  # one row by pk: nothing to sort
    return Subquery(one.values(document=document)[:1])


def precompiled(model, expression: Expression) -> RawSQL:
    """`expression` (over rows of `model`) compiled to SQL once, for reuse in any query whose
    base table is `model`'s: outer references compile to the table's own name, which every
    such query keeps, and the nested subqueries' aliases are their own."""
    query = model._base_manager.annotate(document=expression).query
    compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.compile(query.annotations["document"])
    return RawSQL(sql, tuple(params), output_field=TextField())
