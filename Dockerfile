FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
# msgfmt (Debian's gettext) compiles the public site's translations below.
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs importable settings only; these build-time values never reach runtime.
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-key-0123456789abcdefghij \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity 0
# The site's translations (locale/*.po → .mo, not committed); needs no settings.
RUN python -m django compilemessages --verbosity 0

RUN useradd --create-home app \
    # Bulk snapshots (EXPORTS_ROOT): a volume mounted here starts with this owner.
    && mkdir -p /app/var/exports && chown app /app/var/exports
USER app
EXPOSE 8000

# Alone: migrate, seed, serve. docker-compose.yml runs migrate once and the servers behind nginx.
# The gunicorn config sums metrics over the workers and logs JSON; the app writes the access log.
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_seed && exec gunicorn policytracker.wsgi --config python:policytracker.gunicorn_conf --bind 0.0.0.0:8000 --workers 3"]
