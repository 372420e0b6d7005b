"""Flat, spreadsheet-friendly CSV rows from API representations: a `Table` is a list of
described `Column`s (the descriptions are the README's column reference), each reading one
value from a record (and, for tables with one row per part, such as a statement's stances,
from the part). Dates are written to their known precision: `2016-11-22`, `2016-11`, `2016`,
or empty when unknown, never a false exact day."""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

Value = Callable[[dict, dict | None], object]

PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}
LIST_SEPARATOR = "; "
BOM = "\ufeff"
PRECISION_NOTE = "Written to its known precision: YYYY-MM-DD, YYYY-MM, YYYY, or empty if unknown."


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Value


@dataclass(frozen=True)
class Table:
    """The CSV of one entity: `row` says what one row is; `parts`, when given, splits a
    record into one row per part (a record without parts still gets one row)."""

    entity: str
    row: str
    columns: tuple[Column, ...]
    parts: Callable[[dict], list] | None = field(default=None)

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, record: dict) -> Iterator[list[str]]:
        parts = (self.parts(record) if self.parts else None) or [None]
        for part in parts:
            yield [cell(column.value(record, part)) for column in self.columns]


def cell(value) -> str:
    """One CSV cell: empty for null, `true`/`false`, lists joined with '; '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(cell(item) for item in value)
    return str(value)


def precise(value: str | None, precision: str | None) -> str:
    """A stored date (the first day of its span) written to its precision."""
    if not value or precision not in PRECISION_LENGTH:
        return ""
    return value[: PRECISION_LENGTH[precision]]


# -- column builders ------------------------------------------------------------------------------


def plain(name: str, description: str, key: str | None = None) -> Column:
    """The record's own field `key` (default: the column's name)."""
    key = key or name
    return Column(name, description, lambda record, part: record.get(key))


def date(name: str, description: str) -> Column:
    """A `<x>_on` date written to the precision given by its `<x>_precision` sibling."""
    precision_key = name.removesuffix("_on") + "_precision"

    def value(record, part):
        return precise(record.get(name), record.get(precision_key))

    return Column(name, f"{description} {PRECISION_NOTE}", value)


def precision(name: str, what: str) -> Column:
    return plain(name, f"How precisely the {what} is known: day, month, year or unknown.")


def ref(name: str, description: str, key: str = "slug", source: str | None = None) -> Column:
    """A field of a referenced record (`null` when hidden or unknown: an empty cell)."""
    source = source or name

    def value(record, part):
        target = record.get(source)
        return target.get(key) if isinstance(target, dict) else None

    return Column(name, description, value)


def part_field(name: str, description: str, *path: str) -> Column:
    """A field of the row's part (e.g. the bill a stance is about)."""

    def value(record, part):
        for key in path:
            part = part.get(key) if isinstance(part, dict) else None
        return part

    return Column(name, description, value)


def timestamps() -> tuple[Column, Column]:
    return (
        plain("created_at", "When the record was created here (UTC, ISO 8601)."),
        plain("updated_at", "When the record or anything it shows last changed (UTC)."),
    )


def provenance() -> tuple[Column, Column]:
    """The cited documents and the fields some source contradicts (details: citations.csv)."""
    return (
        Column(
            "source_urls",
            "Addresses of the documents the record cites, '; '-separated (each citation, "
            "with its excerpt, is a row of citations.csv).",
            lambda record, part: _unique(c["source"]["url"] for c in record.get("sources", ())),
        ),
        Column(
            "contradicted_fields",
            "Fields that at least one cited source contradicts ('record' for the record as a "
            "whole); the claimed values are in citations.csv.",
            lambda record, part: _unique(
                citation["field"] or "record"
                for citation in record.get("sources", ())
                if citation["relation"] == "contradicts"
            ),
        ),
    )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


ID = plain("id", "Stable numeric id of the record (the change feed's record_id).")
SLUG = plain("slug", "Current slug (the address; an old slug redirects to the current one).")
URL = plain("url", "The record's API address.")


# -- writing ------------------------------------------------------------------------------------


class _Line:
    """A file-like sink for csv.writer that hands back what it was given."""

    def write(self, text: str) -> str:
        return text


def csv_writer():
    """A csv.writer whose `writerow` returns the formatted line (RFC 4180: CRLF, quotes)."""
    return csv.writer(_Line(), lineterminator="\r\n")
