"""One run's shared state: the seeded random generator, the clock that stamps rows, and the
COPY tables by name (their order is the order of the command's report)."""

import datetime
import random

from django.db import models

from bills.generation.copy_writer import Table

BASE_TIME = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
FIRST_DAY = datetime.date(2014, 1, 1)
COMMON_COLUMNS = ["id", "created_at", "updated_at", "version"]


class Generator:
    """Builds the rows with one seeded random generator, in a fixed order: the same seed gives
    the same rows, ids and timestamps as long as every draw happens in the same order."""

    def __init__(self, rng: random.Random, cursor):
        self.rng = rng
        self.cursor = cursor
        self.tick = 0
        self.tables: dict[str, Table] = {}
        self.citation_id = 0

    def table(self, name: str, model: type[models.Model], *columns: str) -> Table:
        """A table for a record model: id, timestamps and version, then `columns`."""
        return self.link_table(name, model, *COMMON_COLUMNS, *columns)

    def link_table(self, name: str, model: type[models.Model], *columns: str) -> Table:
        """A table with exactly `columns` (an auto-created many-to-many table has no stamps)."""
        self.tables[name] = Table(model, list(columns), self.cursor)
        return self.tables[name]

    def flush(self) -> dict[str, int]:
        """Send the rows still buffered; the number of rows written per table."""
        for table in self.tables.values():
            table.flush()
        return {name: table.count for name, table in self.tables.items()}

    def stamp(self) -> str:
        """A created_at/updated_at that only depends on the order of generation."""
        self.tick += 1
        return (BASE_TIME + datetime.timedelta(seconds=self.tick)).isoformat()

    def common(self) -> tuple:
        """created_at, updated_at and version of a new record."""
        stamp = self.stamp()
        return (stamp, stamp, 1)

    def day(self, start: datetime.date = FIRST_DAY, span: int = 3600) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange(span))

    def dated(self) -> tuple[datetime.date | None, str]:
        """A date with its precision, snapped as the precision requires."""
        roll = self.rng.random()
        value = self.day()
        if roll < 0.02:
            return None, "unknown"
        if roll < 0.05:
            return value.replace(month=1, day=1), "year"
        if roll < 0.15:
            return value.replace(day=1), "month"
        return value, "day"

    def next_citation_id(self) -> int:
        """Citations of every record share one id range."""
        self.citation_id += 1
        return self.citation_id
