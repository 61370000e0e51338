"""Settings for minsheng. Everything that differs between machines comes from the environment."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from minsheng.env import env_bool, env_dict, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MINSHENG_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("MINSHENG_REQUIRE_SECRET", False):
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "minsheng-development-only-key-not-for-production"  # noqa: S105 — dev default
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "core",
    "guide",
    "grid",
    "cases",
    "projects",
    "dashboard",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "minsheng.urls"
WSGI_APPLICATION = "minsheng.wsgi.application"

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
                "minsheng.context.elder_mode",
            ],
        },
    },
]


def _database() -> dict:
    url = env_str("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'minsheng.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work during a write; IMMEDIATE takes the write lock at
        # BEGIN, so concurrent writers queue (busy timeout) instead of failing.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
        config["CONN_MAX_AGE"] = 0
        # A file, not shared-cache memory, so concurrent tests see busy waits instead of "table is
        # locked"; one per test process, so two test runs in one checkout never share it.
        config["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"minsheng-test-{os.getpid()}.sqlite3")}
    elif config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be sqlite:///… or postgres://…")
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# The catalog's data files (one YAML file per department).
CATALOG_DIR = Path(env_str("CATALOG_DIR", str(BASE_DIR / "content" / "catalog")))
# Residents' words → catalog words, seeded from this file; staff add more in the admin.
LEXICON_FILE = Path(env_str("LEXICON_FILE", str(BASE_DIR / "content" / "search" / "lexicon.yaml")))

# Elder mode (长辈版) is remembered in a cookie for a year; nothing else is stored.
ELDER_COOKIE = "elder"

# Text messages (one-time login codes, case notifications): a class with send(phone, text).
SMS_BACKEND = env_str("SMS_BACKEND", "core.sms.ConsoleBackend")
SMS_FILE = Path(env_str("SMS_FILE", str(VAR_DIR / "sms.log")))

# The request hub.
CASE_POOL_HOURS = env_int("CASE_POOL_HOURS", 24, minimum=1)  # unclaimed small needs then go to the community
CASE_REOPEN_DAYS = env_int("CASE_REOPEN_DAYS", 7, minimum=1)
CASE_PHOTO_MAX_BYTES = env_int("CASE_PHOTO_MAX_BYTES", 8 * 1024 * 1024, minimum=1024)
CASE_PHOTOS_MAX = 6
CASE_TEXT_MAX = 2000
WORKER_INTERVAL_SECONDS = env_int("WORKER_INTERVAL_SECONDS", 30, minimum=1)
# The cockpit page fetches fresh figures this often.
COCKPIT_REFRESH_SECONDS = env_int("COCKPIT_REFRESH_SECONDS", 60, minimum=1)
# What one round of `manage.py run_worker` does, in order; each function returns counts and never raises.
WORKER_ROUNDS = ["cases.worker.run_round", "dashboard.tasks.run_round"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024  # six photos of 8 MB and the form around them
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LOGIN_URL = "/login/"

# Abuse limits (core.ratelimit): reverse proxies in front of the app (their X-Forwarded-For is
# trusted only then), and per-scope overrides such as RATE_LIMITS="track=10/h,intake_anon=off".
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
RATE_LIMITS = env_dict("RATE_LIMITS", {})

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
