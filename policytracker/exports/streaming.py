"""`?format=csv` (or `Accept: text/csv`) on a list endpoint: the filtered, ordered set of
records, every one (no pages), as the CSV rows of the entity's table
(policytracker/exports/tables/), streamed from a server-side cursor inside one read-only,
repeatable-read transaction, so memory stays flat and every chunk sees the same data."""

import contextlib
import itertools

import orjson
from django.db import connections, transaction
from django.http import StreamingHttpResponse
from rest_framework.exceptions import ValidationError

from policytracker.exports import chunks
from policytracker.exports.columns import BOM, Table, csv_writer
from policytracker.renderers import json_bytes

TRUE_VALUES = {"1", "true", "yes"}
FALSE_VALUES = {"0", "false", "no"}
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@contextlib.contextmanager
def consistent_reads(using: str = "default"):
    """One snapshot of the database for every query inside: a read-only repeatable-read
    transaction (or the caller's transaction, when one is open: its isolation stands)."""
    connection = connections[using]
    opened_here = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if opened_here:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield connection


def wants_bom(request) -> bool:
    """`?bom=1`: start the CSV with a byte order mark, which Excel needs to read UTF-8."""
    raw = request.query_params.get("bom")
    if raw is None:
        return False
    value = raw.strip().lower()
    if value not in TRUE_VALUES | FALSE_VALUES:
        raise ValidationError({"bom": ["Use 1 or 0 (true or false)."]})
    if request.accepted_renderer.format != "csv":
        raise ValidationError({"bom": ["Only with format=csv (a CSV download)."]})
    return value in TRUE_VALUES


def csv_lines(table: Table, items, *, bom: bool = False):
    """The header, then each item's rows, as encoded chunks (one per batch of items)."""
    writer = csv_writer()
    yield ((BOM if bom else "") + writer.writerow(table.header)).encode()
    for batch in items:
        lines = []
        for item in batch:
            for row in table.rows(item):
                lines.append(writer.writerow(row))
        if lines:
            yield "".join(lines).encode()


def _parsed_pages(view, rows, using: str):
    with consistent_reads(using):
        for page in chunks.lean_chunks(view, rows.using(using), chunk_size=chunks.CHUNK_SIZE):
            yield [orjson.loads(json_bytes(item)) for item in page]


def refuse_paging(request) -> None:
    """A CSV download is the whole filtered set: page parameters would be ignored, so they
    are refused, naming them."""
    paging = sorted({"cursor", "page_size"} & set(request.query_params))
    if paging:
        message = "A CSV download is the whole filtered set, without pages: omit it."
        raise ValidationError({name: [message] for name in paging})


def _closing(lines, pages):
    """`lines`, then `pages` closed however the stream ends (a client gone midway included):
    its transaction ends with the response, not when the garbage collector runs."""
    try:
        yield from lines
    finally:
        pages.close()


def csv_response(view, queryset, table: Table) -> StreamingHttpResponse:
    """The list's records (`queryset`: gated, filtered, ordered) as a streamed CSV download."""
    refuse_paging(view.request)
    bom = wants_bom(view.request)
    using = queryset.db  # the database this request reads (a healthy replica or the primary)
    # Everything that can refuse the request runs before the first byte is sent: the query's
    # parameters (`include=`, `citations=`) as it is built, and the query itself, whose first
    # chunk is read here. Once streaming, an error can only cut the body short.
    pages = _parsed_pages(view, view.lean_values(queryset), using)
    first = next(pages, None)
    read = pages if first is None else itertools.chain([first], pages)
    lines = _closing(csv_lines(table, read, bom=bom), pages)
    response = StreamingHttpResponse(lines, content_type=CSV_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="policytracker-{table.entity}.csv"'
    return response


def static_csv_response(table: Table, items: list[dict], request) -> StreamingHttpResponse:
    """A CSV of a fixed list (the status vocabulary)."""
    refuse_paging(request)
    bom = wants_bom(request)
    response = StreamingHttpResponse(
        csv_lines(table, [items], bom=bom), content_type=CSV_MEDIA_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="policytracker-{table.entity}.csv"'
    return response
