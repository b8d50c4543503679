"""One settings module, read from the environment, with defaults that work on a laptop.

DATABASE_URL chooses the database: SQLite in the project folder when unset,
PostgreSQL with e.g. ``postgres://postgres@127.0.0.1:5432/namndrapport``.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# Production unless said otherwise: DJANGO_DEBUG=true is set by the development targets of the
# Makefile (make run, make demo, make test) and by the test settings (config/test_settings.py).
DEBUG = env_bool("DJANGO_DEBUG", False)
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = [
    h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    "reporting",
    "goals",
    "indicators",
    "budget",
    "planning",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compressed HTML (a large report page is megabytes). Django's gzip pads every response by
    # a random length and the CSRF token is masked anew each time, against BREACH; the proxy
    # compresses static files only (docs/deploy.md).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the lock-out page
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out attempt
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections in production: opening one costs a request a few ms on
        # PostgreSQL (the development server's thread per request cannot reuse them).
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that two simultaneous saves queue
    # instead of failing with "database is locked" (select_for_update does nothing on SQLite).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # The report page's rendered document, keyed by the data's digest and the renderer's
    # fingerprint (reporting.rendered.page_document): each process keeps its last few.
    "documents": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "documents",
        "OPTIONS": {"MAX_ENTRIES": 16},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # Swedish for packages that ship none (simple-history)
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# -- Background work and rendered files --------------------------------------------------------
# Tasks (PDF rendering, ...) go through the django-tasks API to a queue in the database, which
# `manage.py db_worker` works off (`make run` starts one beside the server). Any number of
# workers on any number of machines share it: each takes a task with SELECT ... FOR UPDATE
# SKIP LOCKED. DJANGO_TASKS_BACKEND=immediate runs every task inside the request instead
# (for a quick look without a worker; the tests do that too).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS[os.environ.get("DJANGO_TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}

# Rendered files (PDFs, later Excel) are kept through Django's storage API, under MEDIA_ROOT by
# default; never served from MEDIA_URL, only through views that check access. For storage
# shared by several machines set DJANGO_FILE_STORAGE to another backend (e.g.
# "storages.backends.s3.S3Storage" with django-storages installed) and its options as JSON in
# DJANGO_FILE_STORAGE_OPTIONS (bucket_name, endpoint_url, ...): see docs/deploy.md.
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(os.environ.get("DJANGO_FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting:report_list"
LOGOUT_REDIRECT_URL = "login"

# -- E-mail ----------------------------------------------------------------------------------
# SMTP when DJANGO_EMAIL_HOST is set; otherwise mails are printed on the console (development,
# `make run`). DJANGO_EMAIL_BACKEND chooses any other backend.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("DJANGO_EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Nämndrapport <noreply@localhost>")
# The address of the application, for links in mails.
SITE_URL = os.environ.get("NAMNDRAPPORT_SITE_URL", "http://127.0.0.1:8000")
# Reminders start this many days before a report's deadline (and go on after it has passed).
REMINDER_DAYS_BEFORE = int(os.environ.get("NAMNDRAPPORT_REMINDER_DAYS", "5"))
# The hour of the day (local time) the worker sends them (reporting.tasks.send_daily_reminders).
REMINDER_HOUR = int(os.environ.get("NAMNDRAPPORT_REMINDER_HOUR", "7"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The audit trail is written forward only: no "revert" that would overwrite a frozen report.
SIMPLE_HISTORY_REVERT_DISABLED = True

# The interchange format (../shared/interchange/), kept in the repository.
INTERCHANGE_SCHEMA = BASE_DIR / "reporting" / "schema" / "report-data.schema.json"
# The largest import file accepted, in bytes (reporting/interchange/guard.py).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))

# Excel uploads (budget figures, the year's plan): refused before parsing when larger than this,
# when their zip entries inflate beyond a total or a ratio (reporting/uploads.py).
XLSX_UPLOAD_MAX_BYTES = int(os.environ.get("XLSX_UPLOAD_MAX_BYTES", str(5_000_000)))
XLSX_UPLOAD_MAX_INFLATED_BYTES = int(
    os.environ.get("XLSX_UPLOAD_MAX_INFLATED_BYTES", str(50_000_000))
)
XLSX_UPLOAD_MAX_RATIO = int(os.environ.get("XLSX_UPLOAD_MAX_RATIO", "100"))

# -- Security ---------------------------------------------------------------------------------
# Content-Security-Policy in every mode, so that tests meet it too: scripts and styles come
# from our own static files only (inline style attributes are allowed for widths of bars).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Login throttling by django-axes (see reporting/login.py): five failures of one user name from
# one address lock that combination out for 15 minutes; the admin shares the policy.
# DJANGO_TRUSTED_PROXIES is the number of our own proxies in front of the application (0: none,
# the default; 1 when DJANGO_BEHIND_PROXY=true): only then is X-Forwarded-For believed.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXIES", "1" if BEHIND_PROXY else "0"))
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "reporting.login.normalised_username"
AXES_CLIENT_IP_CALLABLE = "reporting.login.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock-out ends after the cool-off
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    # Production: HTTPS only, cookies bound to the host, HSTS. Behind a TLS-terminating proxy
    # set DJANGO_BEHIND_PROXY=true so that Django trusts its X-Forwarded-Proto header.
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY saknas: sätt den till minst 50 slumpmässiga tecken i produktion, "
            "t.ex. python -c 'import secrets; print(secrets.token_urlsafe(60))'. "
            "För utveckling: DJANGO_DEBUG=true."
        )
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY är för svag ({len(SECRET_KEY)} tecken): den ska vara minst 50 "
            "slumpmässiga tecken i produktion."
        )
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
