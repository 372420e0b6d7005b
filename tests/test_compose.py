"""The production shape in docker-compose.yml (read, not run: the tests have no Docker engine):
the proxy alone is published, two app instances behind it trust exactly one proxy, a primary
with a streaming replica, Redis and the worker, and no secret has a default. A placeholder key
such as the old compose default refuses to start."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
OLD_COMPOSE_KEY = "compose-development-secret-key-change-me-0123456789"
APP_SERVERS = ("app1", "app2")


@pytest.fixture(scope="module")
def services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def environment(service: dict) -> dict:
    return service.get("environment") or {}


def test_only_the_proxy_publishes_a_port(services):
    published = sorted(name for name, service in services.items() if service.get("ports"))
    assert published == ["proxy"]
    assert services["proxy"]["image"].startswith("nginx")


def test_the_proxy_runs_the_repository_nginx_config(services):
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in services["proxy"]["volumes"]}
    assert mounts["/etc/nginx/conf.d/default.conf"] == "./deploy/nginx/policytracker.conf"
    upstreams = mounts["/etc/nginx/policytracker-upstreams.conf"]
    assert upstreams == "./deploy/nginx/compose-upstreams.conf"
    named = (ROOT / upstreams).read_text()
    assert all(f"server {app}:8000;" in named for app in APP_SERVERS)


def test_two_app_instances_serve_gunicorn_behind_one_proxy(services):
    for name in APP_SERVERS:
        app = services[name]
        assert app["command"][0] == "gunicorn"
        assert "0.0.0.0:8000" in app["command"]
        env = environment(app)
        assert env["NUM_PROXIES"] == "1"
        assert env["DEBUG"] == "0"
        assert env["DATABASE_URL"].endswith("@db:5432/policytracker")
        assert env["DATABASE_REPLICA_URL"].endswith("@db-replica:5432/policytracker")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert float(env["DB_QUERY_TIMEOUT_SECONDS"]) > 0
        assert app["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "healthcheck" in app
    assert services["app1"] == services["app2"]


def test_every_service_that_runs_the_app_trusts_exactly_one_proxy(services):
    for name, service in services.items():
        env = environment(service)
        if "SECRET_KEY" in env:
            assert env["NUM_PROXIES"] == "1", name


def test_a_primary_a_streaming_replica_redis_and_the_worker(services):
    assert services["db"]["image"] == services["db-replica"]["image"] == "postgres:16"
    primary = services["db"]
    assert "wal_level=replica" in primary["command"]
    assert any("primary-init.sh" in volume for volume in primary["volumes"])
    replica = services["db-replica"]
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    assert "replica-entrypoint.sh" in " ".join(replica["entrypoint"])
    script = (ROOT / "deploy/postgres/replica-entrypoint.sh").read_text()
    assert "pg_basebackup" in script and "--write-recovery-conf" in script
    assert services["redis"]["image"].startswith("redis")
    assert services["worker"]["command"] == ["python", "manage.py", "run_worker"]
    migrate = services["migrate"]["command"][-1]
    assert "migrate --noinput" in migrate and "load_seed" in migrate
    for name in ("proxy", "db", "db-replica", "redis", *APP_SERVERS):
        assert "healthcheck" in services[name], name
    # Background processes serve no HTTP: the app's probe inherited from the anchor would fail.
    for name in ("worker", "tasks"):
        assert services[name]["healthcheck"] == {"disable": True}, name


def test_the_tasks_worker_delivers_webhooks_from_the_database_queue(services):
    tasks = services["tasks"]
    script = tasks["command"][-1]
    assert tasks["command"][:2] == ["sh", "-c"]
    # Queue what subscribers are owed, then run the queue (the process gets the signals).
    assert script.index("webhooks_resume") < script.index("exec python manage.py db_worker")
    assert "--no-reload" in script
    assert tasks["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert tasks["environment"]["DATABASE_URL"] == services["app1"]["environment"]["DATABASE_URL"]
    assert not tasks.get("ports")


def test_no_secret_has_a_default(services):
    for name, service in services.items():
        for variable, value in environment(service).items():
            if "PASSWORD" in variable or variable == "SECRET_KEY" or "password" in str(value):
                # ${NAME:?message} refuses to start without it; ${NAME:-default} would not.
                assert ":-" not in str(value), (name, variable)
    for name in APP_SERVERS:
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment(services[name])["SECRET_KEY"])


def test_the_shell_scripts_are_valid_bash():
    for script in (ROOT / "deploy/postgres").glob("*.sh"):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, (script.name, result.stderr)


def start_settings(secret_key: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "api.example.org",
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "DJANGO_SETTINGS_MODULE": "policytracker.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "secret_key",
    [
        OLD_COMPOSE_KEY,
        "CHANGE_ME_" + "x" * 40,
        "my-example-secret-key-for-the-deployment-of-policytracker",
        "placeholder-0123456789012345678901234567890123456789",
    ],
)
def test_production_refuses_a_placeholder_secret_key(secret_key):
    result = start_settings(secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY looks like a placeholder" in result.stderr


def test_production_starts_with_a_random_secret_key():
    result = start_settings("q8Zt3vLm0Xr2Kp5Wn7Yb1Hc4Jd6Fg9Ss0Aa2Ee4Ii6Oo8Uu")
    assert result.returncode == 0, result.stderr
