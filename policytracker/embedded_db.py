"""Start (or reuse) an embedded PostgreSQL server when no DATABASE_URL is configured.

A fresh machine with no database server still runs and tests: the `pgserver` package ships real
PostgreSQL binaries. The server keeps running after this process exits so later runs reuse it.
"""

from pathlib import Path

DATABASE_NAME = "policytracker"


def embedded_database_config(data_dir: Path) -> dict:
    """Django DATABASES entry for the embedded server under `data_dir`, started if needed."""
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns about a missing XDG_RUNTIME_DIR on headless machines; harmless here.
        warnings.simplefilter("ignore")
        import pgserver  # imported lazily: only needed when no DATABASE_URL is set

        server = pgserver.get_server(data_dir, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(data_dir.resolve()),  # a directory: psycopg connects through the unix socket
        "PORT": "",
    }
