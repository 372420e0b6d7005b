"""`manage.py restore_data FILE`: load a `backup_data` archive into an empty database.

Every row comes back with its primary key, so relations, audit history and tokens stay intact.
A database that already holds tables is refused unless `--force` is given, which drops the
archive's objects first. Afterwards every sequence is at least at its column's largest value,
so new rows never reuse an id.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from bills.management.commands.backup_data import libpq_args, pg_tool, run_tool

USER_RELATIONS = """
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
      AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'
"""
# Sequences owned by a column (serial and identity columns), with that column.
OWNED_SEQUENCES = """
    SELECT seq.oid::regclass::text, tbl.oid::regclass::text, quote_ident(col.attname)
    FROM pg_depend dep
    JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
    JOIN pg_class tbl ON tbl.oid = dep.refobjid
    JOIN pg_attribute col ON col.attrelid = tbl.oid AND col.attnum = dep.refobjsubid
    WHERE dep.classid = 'pg_class'::regclass AND dep.refclassid = 'pg_class'::regclass
      AND dep.deptype IN ('a', 'i')
    ORDER BY 1
"""


def relation_count(alias: str) -> int:
    """Tables, views and sequences outside the system schemas."""
    with connections[alias].cursor() as cursor:
        cursor.execute(USER_RELATIONS)
        return cursor.fetchone()[0]


def advance_sequences(alias: str) -> tuple[int, int]:
    """Move each owned sequence past its column's largest value; (checked, advanced)."""
    advanced = 0
    with connections[alias].cursor() as cursor:
        cursor.execute(OWNED_SEQUENCES)
        owned = cursor.fetchall()
        for sequence, table, column in owned:
            cursor.execute(f"SELECT max({column}) FROM {table}")
            largest = cursor.fetchone()[0]
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
            last_value, is_called = cursor.fetchone()
            issued = last_value if is_called else last_value - 1
            if largest is not None and largest > issued:
                cursor.execute("SELECT setval(%s, %s, true)", [sequence, largest])
                advanced += 1
    return len(owned), advanced


class Command(BaseCommand):
    help = "Restore a backup_data archive into an empty database (--force: replace its contents)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Archive written by backup_data.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even if the database is not empty, dropping the archive's objects first.",
        )

    def handle(self, *args, **options):
        alias, source = options["database"], options["file"].resolve()
        if not source.is_file():
            raise CommandError(f"No archive at {source}.")
        name = connections[alias].settings_dict["NAME"]
        existing = relation_count(alias)
        if existing and not options["force"]:
            raise CommandError(
                f"Database {name} is not empty ({existing} tables, views or sequences). "
                "Restore into an empty database, or pass --force to replace its contents."
            )
        connection_args, env = libpq_args(alias)
        command = [pg_tool("pg_restore", alias), *connection_args]
        # Objects belong to the restoring role: the archive may come from another server.
        command += ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if existing:
            command += ["--clean", "--if-exists"]
        connections[alias].close()  # hold no session open while pg_restore replaces tables
        run_tool([*command, str(source)], env)
        checked, advanced = advance_sequences(alias)
        self.stdout.write(
            f"Restored {source} into database {name}: "
            f"{len(connections[alias].introspection.table_names())} tables, "
            f"{checked} sequences checked, {advanced} advanced past their largest id."
        )
