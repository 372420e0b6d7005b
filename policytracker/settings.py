"""Django settings for policytracker.

Every value comes from the environment through `env` below (see `.env.example`). With DEBUG off,
SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL are required: the process refuses to start without
them.
"""

import math
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from policytracker.embedded_db import embedded_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """The single reader of environment variables for the project."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DEBUG is off.")
    return value


# ---------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    # Development only: a key that is obviously not a secret; check --deploy flags it.
    SECRET_KEY = env("SECRET_KEY") or "django-insecure-development-key-not-for-production-use"
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
else:
    SECRET_KEY = required("SECRET_KEY")
    if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 40:
        raise ImproperlyConfigured("SECRET_KEY must be a real secret of at least 40 characters.")
    # Placeholders copied from examples or compose files are long enough but public.
    placeholder = next(
        (
            word
            for word in ("changeme", "development", "example", "insecure", "placeholder")
            if word in SECRET_KEY.lower().replace("-", "").replace("_", "")
        ),
        None,
    )
    if placeholder:
        raise ImproperlyConfigured(
            f'SECRET_KEY looks like a placeholder (contains "{placeholder}"); '
            "set a long random secret."
        )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    # Before the admin: its translated fields and admin classes (bills/translation.py).
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    "corsheaders",
    "csp",
    "axes",
    "simple_history",
    "django_prometheus",
    "policytracker.idempotency",
    "policytracker.changes",
    "django_tasks",
    "django_tasks_db",
    "policytracker.webhooks",
    "policytracker.aliases",
    "sources",
    "bills",
    # The public site: server-rendered pages for readers, in Russian, Kazakh and English.
    "site_pages",
]

MIDDLEWARE = [
    # Request counts and latencies (with PrometheusAfterMiddleware last) for /metrics.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Outermost, so the header values every other layer set reach the WSGI server as plain str.
    "policytracker.middleware.PlainHeaderValuesMiddleware",
    # The request id for every log line of the request, and the access log line.
    "policytracker.request_id.RequestIdMiddleware",
    # What a shared cache may keep; sees every response, including redirects and refusals.
    "policytracker.cache_control.CacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Hostile input is refused before anything parses it: oversized bodies, NUL bytes.
    "policytracker.middleware.RequestGuardMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the switcher's cookie, else Accept-Language, else LANGUAGE_CODE;
    # under /api/ the content follows ?lang= or Accept-Language, messages stay English
    # (policytracker/locale.py).
    "policytracker.locale.ReaderLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # gzip for API answers (never to a session cookie: BREACH); above ConditionalGetMiddleware
    # so the ETag is the uncompressed bytes' (made weak) and matches either way.
    "policytracker.response_cache.PublicGZipMiddleware",
    # ETag on every GET and 304 answers to If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    # A record's detail ETag carries its version (If-Match); set before the 304 check above.
    "policytracker.etags.VersionETagMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Reads of safe requests from the replica, read-your-writes for writers (needs the user).
    "policytracker.db_routing_middleware.ReplicaRoutingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "policytracker.middleware.RateLimitHeadersMiddleware",
    # Last, as django-axes requires: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Anonymous API reads from the cache while the change log has no newer public event. Inside
    # the replica routing (checks the database the view reads), the rate-limit headers and the
    # request metrics (a hit is still counted), so innermost.
    "policytracker.response_cache.ResponseCacheMiddleware",
]

ROOT_URLCONF = "policytracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "policytracker.wsgi.application"

# ---------------------------------------------------------------------------------------------
# Database: PostgreSQL only. DATABASE_URL wins; in development (DEBUG on) an embedded server in
# the checkout stands in for it. Production never falls back to a database of its own.
# ---------------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DATABASE_URL must be set when DEBUG is off (the embedded PostgreSQL is for "
            "development only)."
        )
    DATABASE_URL = embedded_database_url(Path(env("EMBEDDED_PGDATA", str(BASE_DIR / ".pgdata"))))
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL.")
# Bounds on a hung or slow database, for the web process (policytracker/wsgi.py sets a default;
# commands such as migrate run unbounded): connecting, each statement on the server, and each
# wait for an answer on the client (policytracker/db_deadline.py). 0 means no bound.
DB_QUERY_TIMEOUT_SECONDS = float(env("DB_QUERY_TIMEOUT_SECONDS", "0") or 0)
# Optional streaming replica (policytracker/db_router.py): anonymous reads and those of users who
# have not written within READ_YOUR_WRITES_SECONDS go there while it streams and its replay lags
# at most REPLICA_MAX_LAG_SECONDS; otherwise, and for every write, the primary.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True
    )
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point to PostgreSQL.")
    # Tests read the replica alias from the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["policytracker.db_router.PrimaryReplicaRouter"]
READ_YOUR_WRITES_SECONDS = float(env("READ_YOUR_WRITES_SECONDS", "60"))
REPLICA_MAX_LAG_SECONDS = float(env("REPLICA_MAX_LAG_SECONDS", "10"))
if DB_QUERY_TIMEOUT_SECONDS > 0:
    for database in DATABASES.values():
        database_options = database.setdefault("OPTIONS", {})
        # libpq takes whole seconds, at least 2.
        database_options["connect_timeout"] = max(2, math.ceil(DB_QUERY_TIMEOUT_SECONDS))
        statement_timeout = f"-c statement_timeout={int(DB_QUERY_TIMEOUT_SECONDS * 1000)}"
        database_options["options"] = f"{database_options.get('options', '')} {statement_timeout}"

# Forms treat scheme-less URLs as https (the Django 6 default) rather than http.
FORMS_URLFIELD_ASSUME_HTTPS = True

# Lets two test runs share one server without colliding (e.g. TEST_DATABASE_NAME=test_pt_2).
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The public site's languages (site_pages); translations in locale/, compiled by the build.
LANGUAGES = [("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]

# Content in several languages (bills/translation.py): each translated field has a column per
# language (title_en, title_ru, title_kk); the original column (title) holds the English text,
# which a missing translation falls back to. Records are written in English whatever the
# writer's language (Bill.save), so the original column never takes a reader's language.
CONTENT_LANGUAGES = ("en", "ru", "kk")
CONTENT_DEFAULT_LANGUAGE = "en"
CONTENT_LANGUAGE_CHOICES = [(code, code) for code in CONTENT_LANGUAGES]
MODELTRANSLATION_LANGUAGES = CONTENT_LANGUAGES
MODELTRANSLATION_DEFAULT_LANGUAGE = CONTENT_DEFAULT_LANGUAGE
MODELTRANSLATION_FALLBACK_LANGUAGES = (CONTENT_DEFAULT_LANGUAGE,)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# ---------------------------------------------------------------------------------------------
# REST framework and OpenAPI
# ---------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "policytracker.schema.PolicytrackerAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["policytracker.renderers.ORJSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "policytracker.api.StrictContentNegotiation",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token check, with a limit on wrong tokens per address (token guessing).
        "policytracker.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["policytracker.permissions.ReadOnlyOrModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "policytracker.api.StrictQueryParamsBackend",
        "policytracker.api.FilterBackend",
        "policytracker.api.StrictOrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": ["policytracker.parsers.SafeJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "policytracker.throttling.AnonymousRateThrottle",
        "policytracker.throttling.TokenRateThrottle",
    ],
    "DEFAULT_PAGINATION_CLASS": "policytracker.api.StableCursorPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "policytracker.problems.problem_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "policytracker API",
    "DESCRIPTION": (
        "Pending legislation, its sponsors, its status history and what public figures said "
        "about it, every fact tied to its source."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs pages load nothing from other hosts (CSP: 'self' only): Swagger UI and Redoc
    # from drf-spectacular-sidecar's static files, no web fonts, no online validator badge.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "validatorUrl": None,
        "displayRequestDuration": True,
        "defaultModelsExpandDepth": 0,  # the models list is long; each operation shows its own
        "docExpansion": "none",
    },
    # Rendered as attributes of the <redoc> element (policytracker/schema_view.py), not inline
    # script. Responses folded and samples 4 levels deep: Redoc renders in ~7 s, not ~15.
    "REDOC_UI_SETTINGS": {
        "requiredPropsFirst": True,
        "jsonSampleExpandLevel": 2,
        "generatedPayloadSamplesMaxDepth": 4,
        "theme": {
            "typography": {
                "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
                "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', sans-serif"},
                "code": {"fontFamily": "ui-monospace, 'SFMono-Regular', Menlo, monospace"},
            }
        },
    },
    # Operations are grouped by resource (the first path segment after the prefix), in the
    # order of TAGS (policytracker/schema.py checks that every group is described here).
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "TAGS": [
        {
            "name": "bills",
            "description": "Pending and passed legislation with its current "
            "status; `include=` embeds sponsors, status history and statements about a bill.",
        },
        {
            "name": "bill-actions",
            "description": "Dated steps of every bill's status history, each with its sources.",
        },
        {
            "name": "statuses",
            "description": "The procedure's status vocabulary, each status "
            "explained in plain language with its next step.",
        },
        {
            "name": "sponsorships",
            "description": "Who stands behind a bill: initiators, "
            "drafters, presenters and cosponsors, people or organizations.",
        },
        {
            "name": "statements",
            "description": "What public figures said about bills, quoted "
            "or paraphrased, with the stance toward each bill and the sources that report it.",
        },
        {
            "name": "events",
            "description": "Roundtables, hearings and sittings where statements were made.",
        },
        {
            "name": "people",
            "description": "Public figures: names (with disputed spellings), "
            "posts, and `include=memberships`.",
        },
        {
            "name": "memberships",
            "description": "Posts people held in organizations, with "
            "dates to their known precision.",
        },
        {
            "name": "organizations",
            "description": "Parliament, its chambers and committees, ministries and agencies.",
        },
        {"name": "topics", "description": "The controlled vocabulary of subjects."},
        {
            "name": "sources",
            "description": "The documents facts come from: articles, official "
            "records, reports, with publisher, date and archived copy.",
        },
        {
            "name": "citations",
            "description": "Which source backs which fact of which record, "
            "with the supporting excerpt (or contradicts it, with the value it claims).",
        },
        {
            "name": "search",
            "description": "Full-text search across bills, statements, people and organizations.",
        },
        {
            "name": "changes",
            "description": "The change feed: every published change in order, "
            "for mirrors and synchronisation.",
        },
        {
            "name": "exports",
            "description": "Daily bulk data snapshots (JSON Lines, CSV, Popolo) with checksums.",
        },
        {
            "name": "webhooks",
            "description": "Your own webhook subscriptions (signed-in users): "
            "changes pushed to your endpoint.",
        },
    ],
    # Embedded (`include=`) fields are read-only and optional; keep them out of `required`.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "policytracker.schema.document_problems_and_examples",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "policytracker.models.DatePrecision",
        "BillStatusEnum": "bills.procedure.BillStatus",
        "ActionClassificationEnum": "bills.procedure.ActionClassification",
        "OrganizationClassificationEnum": "bills.models.OrganizationClassification",
        "EventKindEnum": "bills.models.EventKind",
        "PersonNameKindEnum": "bills.models.PersonNameKind",
        "SourceKindEnum": "sources.models.SourceKind",
        "StanceEnum": "bills.models.Stance",
        "ContentLanguageEnum": "policytracker.settings.CONTENT_LANGUAGE_CHOICES",
    },
}

# ---------------------------------------------------------------------------------------------
# Throttling and cache: counters live in the Django cache (Redis when REDIS_URL is set).
# ---------------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
# A down or hung Redis costs a request at most this long per cache call; then the limits fail
# open (policytracker/cache_guard.py) and /readyz reports the cache as degraded.
REDIS_TIMEOUT_SECONDS = float(env("REDIS_TIMEOUT_SECONDS", "0.1"))
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Requests per period for anonymous clients (per IP) and per token/user for staff.
API_THROTTLE_RATES = {
    "anonymous": env("THROTTLE_ANON_RATE", "120/minute"),
    "user": env("THROTTLE_USER_RATE", "600/minute"),
}
# Wrong tokens accepted per client address and period before every token from it gets 429.
API_AUTH_FAILURE_RATE = env("THROTTLE_AUTH_FAILURE_RATE", "20/minute")
# Trusted proxies in front of the app. 0: clients are counted by REMOTE_ADDR and
# X-Forwarded-For is ignored; N: by the N-th X-Forwarded-For hop from the right
# (policytracker.throttling.client_address).
NUM_PROXIES = int(env("NUM_PROXIES", "0") or 0)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES
# Largest request body accepted, in bytes; larger ones get 413 before being read.
API_MAX_BODY_BYTES = int(env("API_MAX_BODY_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = API_MAX_BODY_BYTES

# ---------------------------------------------------------------------------------------------
# Background worker (`manage.py run_worker`, policytracker/maintenance.py)
# ---------------------------------------------------------------------------------------------
# Seconds between maintenance rounds.
WORKER_INTERVAL_SECONDS = float(env("WORKER_INTERVAL_SECONDS", "3600"))
# Hours an Idempotency-Key's stored response is kept for replay before the worker deletes it.
IDEMPOTENCY_KEY_RETENTION_HOURS = float(env("IDEMPOTENCY_KEY_RETENTION_HOURS", "24"))

# ---------------------------------------------------------------------------------------------
# Bulk data snapshots (`manage.py export_snapshot`), served at /api/v1/exports/
# (policytracker/exports/): one directory per snapshot under EXPORTS_ROOT; the newest
# EXPORTS_KEEP are kept.
# ---------------------------------------------------------------------------------------------
EXPORTS_ROOT = Path(env("EXPORTS_ROOT") or BASE_DIR / "var" / "exports")
EXPORTS_KEEP = int(env("EXPORTS_KEEP", "7"))
# The worker writes a snapshot when the newest is this old (daily by default).
EXPORTS_INTERVAL_HOURS = float(env("EXPORTS_INTERVAL_HOURS", "24"))
# Scheduled snapshots' CSVs start with a byte order mark, which Excel needs to read UTF-8.
EXPORTS_CSV_BOM = env_bool("EXPORTS_CSV_BOM", default=False)
# The public address of the API (scheme and host): absolute addresses in snapshots, which are
# written outside any request.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# ---------------------------------------------------------------------------------------------
# Tasks and webhooks: deliveries run in `manage.py db_worker` (policytracker/webhooks/tasks.py),
# queued in the database; the API process never calls a subscriber.
# ---------------------------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds a subscriber has to answer one delivery.
WEBHOOK_TIMEOUT_SECONDS = float(env("WEBHOOK_TIMEOUT_SECONDS", "5"))
# Change events per delivery at most.
WEBHOOK_BATCH_SIZE = int(env("WEBHOOK_BATCH_SIZE", "100"))
# Retries after a failed delivery wait base, 2×base, 4×base … seconds, at most the cap.
WEBHOOK_RETRY_BASE_SECONDS = float(env("WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_RETRY_MAX_SECONDS = float(env("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
# Days the worker keeps webhook delivery attempts and finished task-queue rows.
WEBHOOK_ATTEMPT_RETENTION_DAYS = float(env("WEBHOOK_ATTEMPT_RETENTION_DAYS", "30"))
# Tests only: lets an http://127.0.0.1 receiver subscribe, and deliveries reach loopback
# addresses (production endpoints are https on public addresses).
WEBHOOKS_ALLOW_INSECURE_LOOPBACK = env_bool("WEBHOOKS_ALLOW_INSECURE_LOOPBACK", default=False)

# ---------------------------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Probes come over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=True)
    if env_bool("BEHIND_TLS_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Content Security Policy: same-origin only; inline styles are needed by the admin and the
# Swagger/Redoc pages (their scripts are served from our own static files, not inline).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
}

# CORS: any site may read the public API from a browser, without credentials; writes and
# tokens are not allowed cross-origin (no Authorization header, no unsafe methods).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# `range`/`if-range`: a page on another site may fetch part of a bulk file.
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since", "range", "if-range"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Content-Disposition",
    "Content-Range",
    "Accept-Ranges",
    "Retry-After",
    "X-RateLimit-Limit",
    "X-RateLimit-Remaining",
    "X-RateLimit-Reset",
]

# Admin login lockout (django-axes): after AXES_FAILURE_LIMIT failures for a username from
# one address, that pair is locked out for AXES_COOLOFF_TIME hours.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The same client address as the API's limits: behind NUM_PROXIES trusted proxies, the
# client's hop, not the proxy's address (which would lock an admin out for everyone).
AXES_CLIENT_IP_CALLABLE = "policytracker.throttling.login_client_address"

# ---------------------------------------------------------------------------------------------
# Operations: shared caches, metrics, logs
# ---------------------------------------------------------------------------------------------
# Seconds a shared cache (the reverse proxy) may serve an anonymous read of the API
# (policytracker/cache_control.py); everything else is private or no-store.
CACHE_MAX_AGE_SECONDS = int(env("CACHE_MAX_AGE_SECONDS", "30"))
# Anonymous reads of /api/v1/ served from the cache (Redis) while the change log's newest public
# event is the one they were rendered at (policytracker/response_cache.py); the seconds only
# bound how long an unused entry is kept.
RESPONSE_CACHE_ENABLED = env_bool("RESPONSE_CACHE_ENABLED", default=True)
RESPONSE_CACHE_SECONDS = int(env("RESPONSE_CACHE_SECONDS", "300"))
# Bill and statement pages read through server-side prepared statements, planned once per
# connection (policytracker/prepared.py); off, every request's query is planned anew.
LEAN_PREPARED_STATEMENTS = env_bool("LEAN_PREPARED_STATEMENTS", default=True)
# /metrics answers internal addresses (loopback, private networks) not behind a proxy, and any
# caller sending `Authorization: Bearer <METRICS_TOKEN>` when it is set (policytracker/metrics.py).
METRICS_TOKEN = env("METRICS_TOKEN", "")
# One JSON object per log line (production) or plain text (development), each with the
# request id (policytracker/request_id.py, policytracker/logging_json.py).
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "policytracker.logging_json.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "policytracker.logging_json.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # The embedded server's helper logs every process exit at INFO; only its problems matter.
    "loggers": {"pgserver": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
