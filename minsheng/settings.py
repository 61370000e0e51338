"""Settings for minsheng. Everything that differs between machines comes from the environment."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from minsheng.env import env_admins, env_bool, env_choice, env_dict, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MINSHENG_VAR_DIR", str(BASE_DIR / "var")))

# The production profile (MINSHENG_ENV=production) refuses to start unsafe; see the README's settings table.
MINSHENG_ENV = env_choice("MINSHENG_ENV", "development", ["development", "production"])
PRODUCTION = MINSHENG_ENV == "production"
DEV_SECRET_KEY = "minsheng-development-only-key-not-for-production"  # noqa: S105 — the development default

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production (MINSHENG_ENV=production)")
    if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set in production (MINSHENG_ENV=production)")
    for name in ("ALLOWED_HOSTS", "SITE_URL"):
        if not env_str(name, ""):
            raise ImproperlyConfigured(f"{name} must be set in production (MINSHENG_ENV=production)")
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The one origin of every absolute link: QR codes, posters, PDFs (core.urls.absolute), never the request's host.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "ops.apps.StaticFilesConfig",  # django.contrib.staticfiles, leaving out what is never served
    "django.contrib.humanize",
    "ninja",  # the API docs page from its own static files, not a CDN (and within the CSP)
    "core",
    "ops",
    "search",
    "guide",
    "bundles",
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
    "core.middleware.JsonOnlyApi",
    "core.middleware.RejectControlCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ops.csp.ContentSecurityPolicyMiddleware",
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
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
# Fingerprinted names (site.3f2a….css, cached for a year) need `collectstatic` first: production and
# `make run` do it; tests and one-off commands read the source files through the finders.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
# Source maps are fetched by developers' tools only: not worth compressing (most of collectstatic's time).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Uploads (case, project and rating photos; catalog forms) are never public files: ops.media checks
# who may see each one, then Django streams it or, behind nginx, hands it over with X-Accel-Redirect.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT", "")  # nginx: "/protected-media/" (an internal location)
MEDIA_SENDFILE = env_bool("MEDIA_SENDFILE", False)  # Apache mod_xsendfile / lighttpd: X-Sendfile with the path
# Who may fetch which upload: the longest matching prefix names a rule (request, name) -> bool.
MEDIA_RULES = {
    "cases/": "cases.media.may_view",
    "projects/ratings/": "projects.media.may_view_rating_photo",
    "projects/": "projects.media.may_view_project_photo",
    "forms/": "ops.media.public",  # blank forms and samples of the public service guide
    "samples/": "ops.media.public",
}

# The catalog's data files (one YAML file per department).
CATALOG_DIR = Path(env_str("CATALOG_DIR", str(BASE_DIR / "content" / "catalog")))
# 一件事一次办: one YAML file per bundle of matters.
BUNDLES_DIR = Path(env_str("BUNDLES_DIR", str(BASE_DIR / "content" / "bundles")))
# Residents' words → catalog words, seeded from this file; staff add more in the admin.
LEXICON_FILE = Path(env_str("LEXICON_FILE", str(BASE_DIR / "content" / "search" / "lexicon.yaml")))

# Elder mode (长辈版) is remembered in a cookie for a year; nothing else is stored.
ELDER_COOKIE = "elder"

# Text messages (one-time login codes, case notifications): a class with send(phone, text).
# ConsoleBackend, FileBackend and MemoryBackend send nothing: production refuses them unless
# SMS_ALLOW_CONSOLE=1 (a trial without a gateway). AliyunBackend sends through 阿里云短信服务.
SMS_BACKEND = env_str("SMS_BACKEND", "core.sms.ConsoleBackend")
SMS_FILE = Path(env_str("SMS_FILE", str(VAR_DIR / "sms.log")))
SMS_ALLOW_CONSOLE = env_bool("SMS_ALLOW_CONSOLE", False)
if (
    PRODUCTION
    and not SMS_ALLOW_CONSOLE
    and SMS_BACKEND.rsplit(".", 1)[-1] in {"ConsoleBackend", "FileBackend", "MemoryBackend"}
):
    raise ImproperlyConfigured(
        f"SMS_BACKEND={SMS_BACKEND} sends no text messages: set a gateway (core.sms.AliyunBackend) "
        "or SMS_ALLOW_CONSOLE=1 in production"
    )
SMS_ALIYUN = {
    "ACCESS_KEY_ID": env_str("SMS_ACCESS_KEY_ID", ""),
    "ACCESS_KEY_SECRET": env_str("SMS_ACCESS_KEY_SECRET", ""),
    "SIGN_NAME": env_str("SMS_SIGN_NAME", ""),  # the approved 短信签名, e.g. 某某区民生服务
    "TEMPLATE_CODE": env_str("SMS_TEMPLATE_CODE", ""),  # an approved template with one variable ${content}
    "ENDPOINT": env_url("SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com"),
    "TIMEOUT": env_int("SMS_TIMEOUT_SECONDS", 10, minimum=1),
}
if SMS_BACKEND == "core.sms.AliyunBackend":
    missing = [
        f"SMS_{k}" for k in ("ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SIGN_NAME", "TEMPLATE_CODE") if not SMS_ALIYUN[k]
    ]
    if missing:
        raise ImproperlyConfigured(f"core.sms.AliyunBackend needs {', '.join(missing)}")

# The request hub.
CASE_POOL_HOURS = env_int("CASE_POOL_HOURS", 24, minimum=1)  # unclaimed small needs then go to the community
CASE_REOPEN_DAYS = env_int("CASE_REOPEN_DAYS", 7, minimum=1)
CASE_CALLBACK_AFTER_DAYS = env_int("CASE_CALLBACK_AFTER_DAYS", 3, minimum=0)  # unrated this long: 回访 queue
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

# HTTPS and cookies: on by default in production, off for the demo on http://127.0.0.1.
# Behind a proxy that terminates TLS, its X-Forwarded-Proto says whether the request came over HTTPS.
if env_bool("SECURE_PROXY_SSL_HEADER", TRUSTED_PROXY_COUNT > 0):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # monitors probe the app over plain HTTP on the inside
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
# Preloading is asked for at the registrable domain (…gov.cn), by whoever runs it: a setting, off.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600, minimum=300)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]  # see SECURE_HSTS_PRELOAD
# Content-Security-Policy (ops.csp; the shape of Django 6's SECURE_CSP, so moving to it is a rename).
# Scripts only from our own files; <style> elements need the per-response nonce; style="" attributes
# stay allowed (progress bars are drawn with them, and an attribute cannot read the page).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],  # browsers without CSP level 3 (no -elem/-attr) fall back here
    "style-src-elem": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SECURE_CSP_REPORT_ONLY = env_bool("SECURE_CSP_REPORT_ONLY", False)

# Error reports: server errors and worker failures are mailed to ADMINS ("名字 <a@example.gov.cn>, b@…").
ADMINS = env_admins("ADMINS")
MANAGERS = ADMINS
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
SERVER_EMAIL = DEFAULT_FROM_EMAIL = env_str("SERVER_EMAIL", "minsheng@localhost")
EMAIL_SUBJECT_PREFIX = "[民生服务平台] "

# Logs go to standard output (systemd's journal, docker logs); LOG_FORMAT=json gives one JSON object a line.
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ["text", "json"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "not_healthz": {"()": "ops.logs.NotHealthz"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "ops.logs.JSONFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "not_healthz"],
        },
    },
    "root": {"handlers": ["console", "mail_admins"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own logger would print and mail a second time; its records reach the root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

# Monitoring: /healthz answers 503 when the database is unreachable or the worker's last round is older.
HEALTHZ_WORKER_MAX_AGE_SECONDS = env_int(
    "HEALTHZ_WORKER_MAX_AGE_SECONDS", max(300, 5 * WORKER_INTERVAL_SECONDS), minimum=1
)

# Retention (个人信息保护法 第十九条: no longer than the purpose needs), in days; `manage.py prune` applies it.
RETENTION_DAYS = {
    "login_codes": env_int("RETAIN_LOGIN_CODES_DAYS", 1, minimum=1),
    "search_logs": env_int("RETAIN_SEARCH_LOGS_DAYS", 180, minimum=1),
    "notifications": env_int("RETAIN_NOTIFICATIONS_DAYS", 90, minimum=1),
    "rating_phones": env_int("RETAIN_RATING_PHONES_DAYS", 90, minimum=1),  # never shorter than the rating period
    "case_phones": env_int("RETAIN_CASE_PHONES_DAYS", 365, minimum=1),
}

# Backups (`manage.py backup`): a directory per run; the oldest beyond BACKUP_KEEP are removed.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14, minimum=1)
