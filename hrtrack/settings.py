"""Settings for hrtrack.

Every value comes from the environment, through the small helpers below, with a default
that works on a fresh checkout: SQLite in ``var/``, jobs queued in the same database,
debug off.
"""

import os
import secrets
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
    "django_tasks",
    "django_tasks_db",
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
    "hrtrack.lib.web.refuse_nul_characters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
if os.getenv("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
                    "PRAGMA temp_store=MEMORY;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "login"

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
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": envpath("HRTRACK_CACHE_DIR", VAR_DIR / "cache"),
    }
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
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES")
X_FRAME_OPTIONS = "DENY"

PAGE_SIZE = envint("HRTRACK_PAGE_SIZE", 50)

# The state whose national mechanism runs the platform (an ISO 3166-1 code), until an
# administrator sets it on the platform settings page; `hrtrack demo` sets Mexico.
HRTRACK_STATE = os.getenv("HRTRACK_STATE", "")

# Evidence files: PDF, office documents and images, checked by their content, at most this size.
EVIDENCE_MAX_BYTES = envint("HRTRACK_EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

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
