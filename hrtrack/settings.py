"""Settings for hrtrack.

Every value comes from the environment, through the small helpers below, with a default
that works on a fresh checkout: SQLite in ``var/``, jobs queued in the same database,
debug off.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str = "False") -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def envpath(name: str, default: Path) -> Path:
    value = os.getenv(name)
    return Path(value).expanduser().resolve() if value else default


VAR_DIR = envpath("HRTRACK_VAR_DIR", BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Material written by others (real statements, UPR data, taxonomies) lives beside the
# checkout and is read in place, never copied into the repository.
SHARED_DIR = envpath("HRTRACK_SHARED_DIR", BASE_DIR.parent / "shared")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated into var/ on first run."""
    if os.getenv("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = [h for h in os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.getenv("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_NAME = os.getenv("SITE_NAME", "hrtrack")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "hrtrack.accounts",
    "hrtrack.taxonomy",
    "hrtrack.directory",
    "hrtrack.dialogues",
    "hrtrack.ingest",
    "hrtrack.recommendations",
    "hrtrack.followup",
    "hrtrack.nlp",
    "hrtrack.search",
    "hrtrack.reports",
    "hrtrack.api",
    "hrtrack.jobs",
    "hrtrack.portal",
    "hrtrack.contributions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hrtrack.lib.web.ContentSecurityPolicy",
    "hrtrack.lib.web.permissions_policy",
    "hrtrack.lib.web.refuse_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hrtrack.accounts.middleware.require_two_factor",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hrtrack.lib.web.limit_expensive_requests",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: it turns a lockout into its page
]

ROOT_URLCONF = "hrtrack.urls"
WSGI_APPLICATION = "hrtrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hrtrack.portal.context_processors.site",
            ],
        },
    },
]

# SQLite in WAL mode by default, so the web process and the worker can share it;
# DATABASE_URL (postgres://...) switches to PostgreSQL.
SQLITE_PATH = VAR_DIR / "hrtrack.sqlite3"
#: Every SQLite database's connection options, the default one's and a sqlite:// DATABASE_URL's alike:
#: WAL so that readers never wait for the writer, and a writer waits up to 20 s for another one.
SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
        "PRAGMA temp_store=MEMORY;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
#: PostgreSQL plans a query the site sends again and again once per connection, not at every request
#: (psycopg's prepared statements, after 5 runs; Django turns them off by default for transaction-mode
#: poolers such as PgBouncer before 1.21: HRTRACK_PG_PREPARED=false behind one). Planning the joins
#: of an item's reports took 2.9 ms for a 0.3 ms run.
PG_PREPARED_OPTIONS = {"server_side_binding": True, "prepare_threshold": 5}
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
    elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and envbool("HRTRACK_PG_PREPARED", "true"):
        DATABASES["default"]["OPTIONS"] = {**PG_PREPARED_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": SQLITE_PATH, "OPTIONS": SQLITE_OPTIONS}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

# Passwords are hashed with argon2 (memory-hard); a hash made by an older hasher below is upgraded
# to argon2 the next time its owner signs in (docs/security.md).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The lockout backend refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "hrtrack.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout of repeated sign-in failures (django-axes): per account and, with a higher limit, per
# address; both lift after the cool-off. Administrators unlock in the admin ("Access attempts") or
# with `hrtrack axes_reset_username NAME` / `hrtrack axes_reset_ip ADDRESS`.
HRTRACK_LOCKOUT_ACCOUNT_FAILURES = envint("HRTRACK_LOCKOUT_ACCOUNT_FAILURES", 5)
HRTRACK_LOCKOUT_ADDRESS_FAILURES = envint("HRTRACK_LOCKOUT_ADDRESS_FAILURES", 20)
#: How many proxies stand in front of the site (0: none): the client's address is then read from
#: X-Forwarded-For, that many entries from its right end, which the proxies wrote and a client cannot.
HRTRACK_TRUSTED_PROXY = envint("HRTRACK_TRUSTED_PROXY", 0)
AXES_HANDLER = "hrtrack.accounts.lockout.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "hrtrack.accounts.lockout.account_limit"
AXES_COOLOFF_TIME = timedelta(minutes=envint("HRTRACK_LOCKOUT_COOLOFF_MINUTES", 15))
# A lockout lasts the cool-off from the last failure before it: guesses during it neither count nor prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "hrtrack.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "hrtrack.accounts.lockout.client_address"
AXES_VERBOSE = False

# Two-factor sign-in (django-otp, TOTP): required of every staff member (all but civil-society
# contributors) unless HRTRACK_REQUIRE_TWO_FACTOR=false.
HRTRACK_REQUIRE_TWO_FACTOR = envbool("HRTRACK_REQUIRE_TWO_FACTOR", "true")
OTP_TOTP_ISSUER = SITE_NAME
# The admin lists and deletes people's devices but never shows their keys nor backup codes.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "hrtrack" / "locale"]
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
# Numbers in the reader's locale on every page ("33,924" in English, "33 924" in Spanish); numbers that are
# identifiers in a template (a pk in a link or a form value) are written |stringformat:"d" to stay digits.
USE_THOUSAND_SEPARATOR = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the app folders; this stays empty until collectstatic
MEDIA_ROOT = envpath("HRTRACK_MEDIA_DIR", VAR_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Progress of background jobs is shared between the worker and the web processes through
# this cache: files in var/ by default (several machines: point HRTRACK_CACHE_DIR at shared storage).
CACHES = {
    "default": {
        "BACKEND": "hrtrack.lib.cache.FileCache",
        "LOCATION": envpath("HRTRACK_CACHE_DIR", VAR_DIR / "cache"),
    },
    # The per-address counters of expensive requests (hrtrack.lib.web.limit_expensive_requests), apart
    # from the jobs' progress: a crowd of addresses culls only counters, never a job's progress.
    "limits": {
        "BACKEND": "hrtrack.lib.cache.FileCache",
        "LOCATION": envpath("HRTRACK_CACHE_DIR", VAR_DIR / "cache") / "limits",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # The landing's, the dashboard's and the item list's figures (hrtrack.followup.dashboard.cached),
    # apart from the jobs' progress too: many filters' counts cull only figures.
    "figures": {
        "BACKEND": "hrtrack.lib.cache.FileCache",
        "LOCATION": envpath("HRTRACK_CACHE_DIR", VAR_DIR / "cache") / "figures",
        "OPTIONS": {"MAX_ENTRIES": 3000},
    },
}

# Background jobs: queued in the database, run by `hrtrack worker`. Two queues, so that what a
# person waits for ("default": imports, statements) never queues behind the long jobs
# ("background": embeddings, similar links, training, suggestions); `hrtrack serve` runs a
# worker for each.
TASKS = {
    "default": {
        "BACKEND": os.getenv("HRTRACK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "background"],
    }
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# HTTPS (docs/deploy.md). HRTRACK_HTTPS=true says the site is reached over HTTPS only: it turns on
# the redirect to HTTPS, HSTS for a year (subdomains and preload included) and secure cookies,
# each of which its own variable sets otherwise. Behind a reverse proxy that ends TLS,
# HRTRACK_PROXY_SSL_HEADER names the header it sets to "https" (X-Forwarded-Proto).
HTTPS = envbool("HRTRACK_HTTPS")
SECURE_SSL_REDIRECT = envbool("HRTRACK_SSL_REDIRECT", str(HTTPS))
SECURE_HSTS_SECONDS = envint("HRTRACK_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("HRTRACK_HSTS_INCLUDE_SUBDOMAINS", str(HTTPS))
SECURE_HSTS_PRELOAD = envbool("HRTRACK_HSTS_PRELOAD", str(HTTPS))
_PROXY_SSL_HEADER = os.getenv("HRTRACK_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https") if _PROXY_SSL_HEADER else None
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", str(HTTPS))

# Content-Security-Policy (django-csp): no inline script nor style, nothing from another site, no
# framing. The admin alone may use style="" attributes (django-simple-history's history page has
# one): hrtrack.lib.web.ContentSecurityPolicy adds that for its pages. Permissions-Policy: the
# platform uses none of these browser features, so no page (nor anything injected) may.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), "
    "xr-spatial-tracking=()"
)

# Expensive requests (exports, search): at most this many a minute from one address, for visitors
# who are not signed in; past it, 429 with Retry-After. 0 turns a limit off (docs/deploy.md).
HRTRACK_EXPORTS_PER_MINUTE = envint("HRTRACK_EXPORTS_PER_MINUTE", 6)
HRTRACK_SEARCHES_PER_MINUTE = envint("HRTRACK_SEARCHES_PER_MINUTE", 60)
# And at most this many of their exports are served at once on one machine (503 with Retry-After past
# it), so that the other web workers stay free for everyone else whatever the number of addresses.
HRTRACK_EXPORTS_AT_ONCE = envint("HRTRACK_EXPORTS_AT_ONCE", 1)
# Spanish queries also go through a multilingual model carried into the items' embedding space
# (hrtrack.search.bridge): fitted once per database, a minute or two, when the semantic index is built.
HRTRACK_SEARCH_BRIDGE = envbool("HRTRACK_SEARCH_BRIDGE", "true")
# And they are translated into English by Apertium (hrtrack.nlp.translate; Debian's apertium and
# apertium-eng-spa, which `make apertium` installs) for the embedding model, which reads English.
HRTRACK_SEARCH_TRANSLATE = envbool("HRTRACK_SEARCH_TRANSLATE", "true")
HRTRACK_APERTIUM_MODES = os.getenv("HRTRACK_APERTIUM_MODES", "/usr/share/apertium/modes")

PAGE_SIZE = envint("HRTRACK_PAGE_SIZE", 50)

# The REST API under /api/v1/ (docs/api.md): personal tokens or the session (with CSRF) sign a
# request in; every error is {"error": ...} with its status; requests are limited per token and,
# without one, per address (the cache is CACHES["default"]). A rate is "N/second|minute|hour|day".
HRTRACK_API_RATE_ADDRESS = os.getenv("HRTRACK_API_RATE_ADDRESS", "600/minute")
HRTRACK_API_RATE_TOKEN = os.getenv("HRTRACK_API_RATE_TOKEN", "1200/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hrtrack.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["hrtrack.api.throttles.TokenThrottle", "hrtrack.api.throttles.AddressThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hrtrack.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The per-address limit reads the address as every other limit does (HRTRACK_TRUSTED_PROXY); DRF's own
    # reading too, never trusting a forged X-Forwarded-For (its default, None, takes the header as it comes).
    "NUM_PROXIES": HRTRACK_TRUSTED_PROXY,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hrtrack API",
    "DESCRIPTION": "Human-rights recommendations, dialogues and their follow-up: read what is published, "
                   "write with a personal token (see /account/tokens/).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Swagger UI's files from drf-spectacular-sidecar, served by the platform (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# The state whose national mechanism runs the platform (an ISO 3166-1 code), until an
# administrator sets it on the platform settings page; `hrtrack demo` sets Mexico.
HRTRACK_STATE = os.getenv("HRTRACK_STATE", "")

# Evidence files: PDF, office documents and images, checked by their content, at most this size.
EVIDENCE_MAX_BYTES = envint("HRTRACK_EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Uploads are counted as they stream in and refused past their door's limit before they fill the disk
# (hrtrack/lib/uploads.py): each page names its limit; any other takes at most this much.
FILE_UPLOAD_HANDLERS = [
    "hrtrack.lib.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_BYTES = envint("HRTRACK_UPLOAD_MAX_MB", 1024) * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = os.getenv("HRTRACK_UPLOAD_TEMP_DIR") or None

# Evidence and uploads go through Django's storage API: a folder (MEDIA_ROOT) by default, an
# S3-compatible bucket when HRTRACK_S3_BUCKET is set (django-storages; the `s3` extra installs boto3).
# Credentials come from the usual AWS_* environment variables, never from the repository.
if os.getenv("HRTRACK_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HRTRACK_S3_BUCKET"],
            "endpoint_url": os.getenv("HRTRACK_S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("HRTRACK_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# E-mail (the reminders' digests): printed to the console unless an SMTP server is named.
EMAIL_BACKEND = os.getenv(
    "HRTRACK_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if os.getenv("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "hrtrack <hrtrack@localhost>")
#: Where links in e-mails point (no request to build them from in the daily job).
SITE_URL = os.getenv("HRTRACK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_on_one_line": {"()": "hrtrack.lib.log_filters.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refusals_on_one_line"]}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "WARNING")},
}
