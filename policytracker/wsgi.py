"""The WSGI application (gunicorn serves it: see Makefile `serve` and docker-compose.yml).

Only web requests get a bound on database waits (policytracker/db_deadline.py): a hung database
answers 503 within seconds instead of holding a worker.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from policytracker import db_deadline

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policytracker.settings")
os.environ.setdefault(db_deadline.TIMEOUT_ENV, db_deadline.WEB_DEFAULT_SECONDS)

application = get_wsgi_application()
db_deadline.install(settings.DB_QUERY_TIMEOUT_SECONDS)
# The OpenAPI document is generated once per process, here, not on the first docs visit (it
# takes about two seconds of CPU and needs no database). Imported once Django is set up.
from policytracker.schema_view import CachedSchemaView  # noqa: E402

CachedSchemaView.prebuild()
