"""gunicorn settings: `gunicorn policytracker.wsgi -c python:policytracker.gunicorn_conf`.

- Metrics: each worker is a process, so prometheus-client keeps its figures in files under
  PROMETHEUS_MULTIPROC_DIR, which `/metrics` sums. Without one set, the master makes a private
  directory (two instances on one machine never share one) and removes it on exit; a given one
  is emptied on start, since figures of an earlier run would be summed in. A dead worker's
  gauges are dropped (`child_exit`).
- Logs: gunicorn's own lines use the same format as the app's (JSON unless LOG_FORMAT=plain or
  DEBUG is on, as in policytracker/settings.py). The app writes the access log itself, with
  the request id, so gunicorn's is off.
- Limits: request lines up to 8190 bytes. Slow clients are the proxy's job (deploy/nginx/):
  sync workers are only ever published behind it.

Command-line options (--bind, --workers) take precedence over these values. Read by the master
before Django is set up, so it reads its environment directly.
"""

import os
import shutil
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
limit_request_line = 8190
# A worker busy for this long is killed and replaced (the database bounds its own waits).
timeout = 30
graceful_timeout = 20
accesslog = None
errorlog = "-"

_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
_json = os.environ.get("LOG_FORMAT", "plain" if _debug else "json").strip().lower() == "json"
if _json:
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "policytracker.logging_json.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }

# The folder this master made, to remove on exit.
_own_multiproc_dir: str | None = None


def on_starting(server):
    # Here rather than at import: only a master that serves makes a folder (not --check-config),
    # and before any worker forks and imports prometheus-client (the app is not preloaded).
    global _own_multiproc_dir
    if not os.environ.get(MULTIPROC_ENV):
        _own_multiproc_dir = tempfile.mkdtemp(prefix="policytracker-metrics-")
        os.environ[MULTIPROC_ENV] = _own_multiproc_dir
    directory = Path(os.environ[MULTIPROC_ENV])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_multiproc_dir:
        shutil.rmtree(_own_multiproc_dir, ignore_errors=True)
