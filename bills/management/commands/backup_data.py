"""`manage.py backup_data FILE`: dump the whole project database with pg_dump (custom format).

The archive holds every table of the database (domain data, audit history, auth users, groups
and tokens, django-axes records, sessions...) with its sequences; `restore_data` loads it back.
The helpers here (finding the PostgreSQL client programs, libpq arguments) serve both commands.
"""

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient


def pgserver_bin_dir() -> Path | None:
    """The bin folder of the PostgreSQL bundled with the `pgserver` package, if installed."""
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"


def tool_major_version(path: str) -> int:
    """Major version of a PostgreSQL client program (`pg_dump (PostgreSQL) 16.2` -> 16)."""
    output = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(match.group(1)) if match else 0


def pg_tool(name: str, alias: str) -> str:
    """The newest `name` (pg_dump, pg_restore) on PATH or in pgserver's bin folder.

    pg_dump refuses servers newer than itself, so a program older than the server is an error.
    """
    bundled = pgserver_bin_dir()
    found = {shutil.which(name), shutil.which(name, path=str(bundled)) if bundled else None}
    candidates = sorted(((tool_major_version(path), path) for path in found if path), reverse=True)
    connection = connections[alias]
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if not candidates or candidates[0][0] < server_major:
        have = ", ".join(f"{path} ({major})" for major, path in candidates) or "none"
        raise CommandError(
            f"{name} {server_major} or newer is needed for this server; found: {have}. "
            "Install the PostgreSQL client programs or the pgserver package."
        )
    return candidates[0][1]


def libpq_args(alias: str) -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL programs, and their environment (password, SSL)."""
    settings_dict = connections[alias].settings_dict
    args = ["--no-password", "--dbname", settings_dict["NAME"] or "postgres"]
    # HOST may be a directory: libpq then connects through the unix socket found there.
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    _, extra_env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    return args, {**os.environ, **(extra_env or {})}


def run_tool(command: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL program; its stderr becomes the CommandError message on failure."""
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")


class Command(BaseCommand):
    help = "Dump every table of the database (data, history, users, tokens) to FILE."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Archive to write (pg_dump custom format).")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default)."
        )

    def handle(self, *args, **options):
        alias, target = options["database"], options["file"].resolve()
        connection_args, env = libpq_args(alias)
        pg_dump = pg_tool("pg_dump", alias)
        partial = target.with_name(target.name + ".partial")
        # Written under another name first: a failed dump never leaves a truncated archive.
        run_tool([pg_dump, "--format=custom", "--file", str(partial), *connection_args], env)
        os.replace(partial, target)
        tables = len(connections[alias].introspection.table_names())
        self.stdout.write(
            f"Wrote {target} ({target.stat().st_size} bytes): {tables} tables "
            f"of database {connections[alias].settings_dict['NAME']}."
        )
