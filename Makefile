# Two entry points: `make run` (serve with the seed loaded) and `make test`.
# Both create .venv with the pinned requirements first. Without DATABASE_URL an embedded
# PostgreSQL starts under .pgdata/ (see policytracker/embedded_db.py).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Local development defaults; production sets DEBUG=0, SECRET_KEY and ALLOWED_HOSTS itself.
export DEBUG ?= 1

.PHONY: install run serve test lint format migrate seed clean-db

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py load_seed

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style server: gunicorn behind whitenoise for static files.
serve: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn policytracker.wsgi --bind $(HOST):$(PORT) --workers 3

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) -m pytest

# Stops and deletes the embedded database (only used when DATABASE_URL is unset).
clean-db:
	-$(PY) -c "import pgserver; pgserver.get_server('.pgdata', cleanup_mode='delete').cleanup()"
	rm -rf .pgdata

# Load benchmark: serves the API under gunicorn (DEBUG=0) on a free loopback port and runs
# 50 concurrent clients against the read endpoints for 60 s (see scripts/load_test.py).
.PHONY: load
load: install
	$(PY) scripts/load_test.py
