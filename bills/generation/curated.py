"""The curated tables as a whole: refuse to load over records, truncate them, and after a
load move their id sequences past the ids written and refresh the planner's statistics."""

from django.apps import apps
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models

from bills.models import Bill, Organization, Person, Statement, Topic
from sources.models import Source

NOT_EMPTY = (
    "The database already holds {what}; generate_data only loads into empty tables. "
    "Pass --clear to truncate every curated table first."
)


def curated_models() -> list[type[models.Model]]:
    """Every table --clear empties: both apps (with m2m and history tables), the change log
    and slug aliases."""
    found = []
    for label in ("bills", "sources", "changes", "aliases"):
        found += apps.get_app_config(label).get_models(include_auto_created=True)
    return found


def refuse_unless_empty() -> None:
    """Raise CommandError while the database holds any curated record the load would collide
    with (generated ids start at 1)."""
    for model in (Bill, Statement, Person, Organization, Source, Topic):
        if model.objects.exists():
            raise CommandError(NOT_EMPTY.format(what=model._meta.verbose_name_plural))


def truncate_curated_tables(cursor) -> None:
    """Empty every curated table and restart its ids (inside the caller's transaction)."""
    tables = ", ".join(f'"{model._meta.db_table}"' for model in curated_models())
    # Checks still deferred in an enclosing transaction would block the TRUNCATE.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def reset_sequences(cursor) -> None:
    """COPY wrote explicit ids: the next row saved through the services takes the one after."""
    for statement in connection.ops.sequence_reset_sql(no_style(), curated_models()):
        cursor.execute(statement)


def analyze_curated_tables() -> None:
    """Fresh statistics, so the benchmark's plans are those of a loaded database."""
    with connection.cursor() as cursor:
        for model in curated_models():
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
