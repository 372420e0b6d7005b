"""Starting up: production needs a DATABASE_URL, development may use the embedded PostgreSQL, and
configuration mistakes are reported by `manage.py` in one line, not a traceback."""

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from policytracker.embedded_db import embedded_server_stop, system_bin_dirs_on_path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-" * 15,
    "ALLOWED_HOSTS": "api.example.org",
}
NO_DATABASE_URL = (
    "Configuration error: DATABASE_URL must be set when DEBUG is off "
    "(the embedded PostgreSQL is for development only).\n"
)


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run `args` in the checkout with only `env` on top of the caller's unrelated variables."""
    own = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMBEDDED_PGDATA"}
    clean = {name: value for name, value in os.environ.items() if name not in own}
    clean.update(env, DJANGO_SETTINGS_MODULE="policytracker.settings")
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def pgdata() -> Iterator[Path]:
    """A folder for a private embedded server, stopped and deleted afterwards."""
    # A short path keeps the unix socket path under the kernel's length limit.
    data_dir = Path(tempfile.mkdtemp(prefix="ptstart")) / "pgdata"
    yield data_dir
    embedded_server_stop(data_dir)
    shutil.rmtree(data_dir.parent, ignore_errors=True)


def test_production_without_database_url_fails_in_one_line():
    result = run("manage.py", "check", **PRODUCTION)
    assert result.returncode == 1
    assert result.stderr == NO_DATABASE_URL
    assert result.stdout == ""


def test_production_without_database_url_never_starts_the_embedded_server(tmp_path):
    run("manage.py", "check", **PRODUCTION, EMBEDDED_PGDATA=str(tmp_path / "pgdata"))
    assert not (tmp_path / "pgdata").exists()


def test_other_configuration_errors_are_one_line_too():
    result = run("manage.py", "check", DEBUG="0", ALLOWED_HOSTS="api.example.org")
    assert result.returncode == 1
    assert result.stderr == "Configuration error: SECRET_KEY must be set when DEBUG is off.\n"


def test_production_with_database_url_passes_the_check():
    result = run("manage.py", "check", **PRODUCTION, DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_without_database_url_uses_the_embedded_server(pgdata):
    result = run(
        "manage.py", "check", "--database", "default", DEBUG="1", EMBEDDED_PGDATA=str(pgdata)
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert (pgdata / "PG_VERSION").exists()


def test_embedded_server_url_serves_production_mode_children(pgdata):
    # What `make test` and `make load` hand to the processes they start with DEBUG off.
    url = run("-m", "policytracker.embedded_db", str(pgdata))
    assert url.returncode == 0, url.stderr
    result = run(
        "manage.py", "check", "--database", "default", **PRODUCTION, DATABASE_URL=url.stdout.strip()
    )
    assert result.returncode == 0, result.stderr


def test_root_finds_useradd_under_a_minimal_path(monkeypatch):
    # As root pgserver creates its system user with `useradd`, which lives in /usr/sbin.
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    with system_bin_dirs_on_path():
        assert "/usr/sbin" in os.environ["PATH"].split(os.pathsep)
    assert os.environ["PATH"] == "/usr/bin:/bin"
