# Two entry points: `make run` (serve with the seed loaded) and `make test`.
# Both create .venv with the pinned requirements first. Without DATABASE_URL an embedded
# PostgreSQL starts under .pgdata/ (see policytracker/embedded_db.py).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and
# DATABASE_URL itself.
export DEBUG ?= 1

# DATABASE_URL, or else the embedded server's (started if needed). The tests and the benchmark
# start processes with production settings (DEBUG=0), which refuse to start without it.
DATABASE_URL_OR_EMBEDDED = $${DATABASE_URL:-$$($(PY) -m policytracker.embedded_db "$${EMBEDDED_PGDATA:-.pgdata}")}

.PHONY: install run serve test lint format migrate seed clean-db

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "$(PYTHON) is missing or older than Python 3.11; run make PYTHON=/path/to/python3.11" >&2; \
	  exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed messages

# The public site's translations: locale/*.po compiled to .mo by Django's compilemessages
# (msgfmt, from Debian's gettext package; without settings it finds ./locale by itself). A fresh
# machine without gettext compiles the same catalogs with Babel's pure-Python compiler.
.PHONY: messages
messages: $(VENV)/.installed
	if command -v msgfmt >/dev/null 2>&1; then \
	  env -u DJANGO_SETTINGS_MODULE $(PY) -m django compilemessages --ignore .venv \
	    --ignore .pgdata --ignore staticfiles --ignore var --verbosity 0; \
	else \
	  $(VENV)/bin/pybabel --quiet compile --directory locale --domain django; \
	fi

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed

# A bulk snapshot for /api/v1/exports/ when there is none from the last day (the worker
# writes them daily in production).
run: seed
	$(PY) manage.py export_snapshot --if-due --base-url http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style server: gunicorn (policytracker/gunicorn_conf.py: metrics over all workers,
# JSON logs unless DEBUG) with static files from whitenoise. In production it runs behind the
# proxy in deploy/nginx/.
serve: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn policytracker.wsgi --config python:policytracker.gunicorn_conf \
	  --bind $(HOST):$(PORT) --workers 3

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	url="$(DATABASE_URL_OR_EMBEDDED)" && DATABASE_URL="$$url" $(PY) -m pytest

# Stops and deletes the embedded database (only used when DATABASE_URL is unset).
clean-db:
	-$(PY) -m policytracker.embedded_db --stop .pgdata
	rm -rf .pgdata

# Load benchmark: two gunicorn instances (DEBUG=0) on one database and a private Redis, behind
# nginx with deploy/nginx/policytracker.conf, all on loopback; 64 concurrent clients send
# anonymous reads for 60 s (see scripts/load_test.py and the README's Benchmarks).
.PHONY: load
load: install
	url="$(DATABASE_URL_OR_EMBEDDED)" && DATABASE_URL="$$url" $(PY) scripts/load_test.py

# Read-path benchmark (scripts/bench.py): generated data in a dedicated database
# (policytracker_bench on the same server), the project under gunicorn against a bare WSGI
# floor. BENCH_ARGS=--quick for a fast check, --reuse to keep the generated data.
.PHONY: bench
bench: install
	url="$(DATABASE_URL_OR_EMBEDDED)" && DATABASE_URL="$$url" $(PY) scripts/bench.py $(BENCH_ARGS)

# Bulk export benchmark (scripts/bench_export.py): export_snapshot's time and peak memory on
# the same generated data, and a whole list streamed as CSV through gunicorn.
.PHONY: bench-export
bench-export: install
	url="$(DATABASE_URL_OR_EMBEDDED)" && DATABASE_URL="$$url" $(PY) scripts/bench_export.py $(BENCH_ARGS)
