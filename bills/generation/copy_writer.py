"""Rows sent to PostgreSQL with COPY, in its text format, one table at a time."""

import datetime
import io

from django.core.management.base import CommandError
from django.db import models

ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(ESCAPES)
    if isinstance(value, list):
        return "{" + ",".join('"' + str(item).replace('"', '\\"') + '"' for item in value) + "}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class Table:
    """Rows for one model's table, sent with COPY; columns not named take the field default
    (so a column added later with a default does not break the generator)."""

    CHUNK = 50_000

    def __init__(self, model: type[models.Model], columns: list[str], cursor):
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        by_attname = {field.attname: field for field in fields}
        missing = [field for field in fields if field.attname not in columns]
        for field in missing:
            # What Django itself would store: the default, "" for text, else NULL if allowed.
            if not (field.null or field.has_default() or field.empty_strings_allowed):
                raise CommandError(f"generate_data does not fill {model.__name__}.{field.name}")
        self.model = model
        self.table = model._meta.db_table
        self.columns = [by_attname[name].column for name in columns] + [f.column for f in missing]
        self.suffix = "".join("\t" + copy_value(f.get_default()) for f in missing)
        self.cursor = cursor
        self.lines: list[str] = []
        self.count = 0

    def add(self, *values) -> None:
        self.lines.append("\t".join(map(copy_value, values)) + self.suffix)
        if len(self.lines) >= self.CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        names = ", ".join(f'"{column}"' for column in self.columns)
        data = io.StringIO("\n".join(self.lines) + "\n")
        self.cursor.copy_expert(f'COPY "{self.table}" ({names}) FROM STDIN', data)
        self.count += len(self.lines)
        self.lines = []
