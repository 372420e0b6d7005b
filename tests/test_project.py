"""Project-level promises: migrations in sync, production settings fail fast, probes answer."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_migrations_are_in_sync_with_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="policytracker.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_settings(DEBUG="0", ALLOWED_HOSTS="api.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = _import_settings(DEBUG="0", SECRET_KEY="short", ALLOWED_HOSTS="api.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be a real secret" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_settings(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_real_settings():
    result = _import_settings(DEBUG="0", SECRET_KEY="k3y-" * 15, ALLOWED_HOSTS="api.example.org")
    assert result.returncode == 0, result.stderr


def test_healthz_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "up"


def test_ci_script_is_valid_bash_and_runs_the_readme_test_command():
    script = ROOT / ".ci" / "run"
    assert subprocess.run(["bash", "-n", str(script)], capture_output=True).returncode == 0
    lines = [line.strip() for line in script.read_text().splitlines()]
    assert lines[-1] == "make test"
    assert "make test" in (ROOT / "README.md").read_text().split("\n\n")[1]
