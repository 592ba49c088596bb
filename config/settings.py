"""Settings for Casefile Audit, read from the environment.

One module for every environment. Each value has a default that works on a laptop with
nothing installed (an SQLite file, a filesystem broker, console email); production sets
the environment variables listed in the README.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="insecure-local-key-set-DJANGO_SECRET_KEY-in-production"
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
    "sampling",
    "audits",
    "remediation",
    "reporting",
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.IdleTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who changed what (database triggers read the actor) and who opened what (issue 14).
    "accounts.history.HistoryActorMiddleware",
    "accounts.access_log.AccessLogMiddleware",
    "accounts.two_factor.TwoFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "reporting.navigation.navigation",
                "accounts.sessions.session_timeout",
            ],
        },
    },
]

# The embedded default is an SQLite file in the project; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file. WAL lets readers go on while one process writes;
    # IMMEDIATE takes the write lock when a transaction begins, so two writers queue instead
    # of one failing half-way; a writer waits up to `timeout` seconds for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
    }
    # Tests use a file too (Django's default is an in-memory database, which has table
    # locks instead of WAL and cannot be shared with the worker and web processes a test
    # starts), one per test run so that two runs in one folder do not meet.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str(
            "SQLITE_TEST_NAME", default=str(VAR_DIR / "test-db" / f"run-{os.getpid()}.sqlite3")
        )
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The queries built once a process (`accounts.compiled`) are prepared on PostgreSQL, once a
# connection: planned once, then only run. Off (false) behind a pooler that shares a server
# connection between clients by transaction and cannot keep prepared statements (PgBouncer
# before 1.21, or with max_prepared_statements = 0).
PREPARED_READS = env.bool("DATABASE_PREPARED_READS", default=True)
if PREPARED_READS and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Each is planned once, for any values (a generic plan). Left to choose, PostgreSQL
    # plans some again at every run, for the values given (a custom plan: about 0.5 ms),
    # when it guesses the generic plan dearer, though it is the same plan: their values are
    # the ids of a person or a team, the rows of any one alike (issue 16). The setting
    # touches only statements with parameters: ours, and those of the database's trigger
    # functions (lookups by key). Django's other queries carry their values in their SQL.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(
        filter(None, [options.get("options", ""), "-c plan_cache_mode=force_generic_plan"])
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out account or address before the password is read;
# then passwords, for the named break-glass accounts only when single sign-on is on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.StaffPasswordBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reporting:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Single sign-on with OpenID Connect (Microsoft Entra ID or any issuer with discovery), by
# django-allauth: on when an issuer and a client ID are set. See accounts/sso.py.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="Microsoft Entra ID")
OIDC_SCOPES = env.list("OIDC_SCOPES", default=["openid", "profile", "email"])
# App roles or groups from the token mapped to personas, e.g. "Casefile.QA=qa_staff".
OIDC_ROLE_PERSONAS = env.dict("OIDC_ROLE_PERSONAS", default={})
OIDC_PERSONA_CLAIMS = env.list("OIDC_PERSONA_CLAIMS", default=["roles", "groups"])
SSO_ENABLED = bool(OIDC_SERVER_URL and OIDC_CLIENT_ID)
# With single sign-on on, only these accounts may still sign in with a password.
SSO_BREAK_GLASS_EMAILS = env.list("SSO_BREAK_GLASS_EMAILS", default=[])
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "provider_class": "accounts.sso.StaffOIDCProvider",
        "APPS": [
            {
                "provider_id": "sso",
                "name": OIDC_PROVIDER_NAME,
                "client_id": OIDC_CLIENT_ID,
                "secret": OIDC_CLIENT_SECRET,
                "settings": {
                    "server_url": OIDC_SERVER_URL,
                    "fetch_userinfo": env.bool("OIDC_FETCH_USERINFO", default=False),
                    "scope": OIDC_SCOPES,
                },
            }
        ]
        if SSO_ENABLED
        else [],
    }
}
SOCIALACCOUNT_ADAPTER = "accounts.sso.StaffSocialAccountAdapter"
ACCOUNT_ADAPTER = "accounts.sso.StaffAccountAdapter"
SOCIALACCOUNT_ONLY = True
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 9)
# Signed out after this long without a request (besides SESSION_COOKIE_AGE, the absolute
# limit), warned this long before; the audit draft is kept in the browser meanwhile.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_IDLE_WARNING = env.int("SESSION_IDLE_WARNING", default=2 * 60)
# Password reset links last this long and work once (Django's own tokens).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60)

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failures an account, and
# separately an address, is locked for LOGIN_LOCKOUT_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The sign-in form's field (the email address), not the model's USERNAME_FIELD.
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.access_log.client_address"
AXES_VERBOSE = False

# Two-factor sign-in (TOTP with recovery codes, django-otp): anyone may turn it on; with
# TWO_FACTOR_REQUIRED, QA staff, administrators and senior managers must.
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=False)
TWO_FACTOR_REQUIRED_PERSONAS = ["qa_staff", "admin", "senior_manager"]
OTP_TOTP_ISSUER = env.str("AUTHORITY_NAME", default="Demo Borough Council") + " Casefile Audit"

# Deployment hardening (issue 14). Behind TLS (DJANGO_SECURE_COOKIES=true) cookies go over
# HTTPS only, plain HTTP is redirected (except /health/, for the load balancer) and browsers
# are told to use HTTPS for a year (HSTS). `check --deploy` then reports nothing.
BEHIND_TLS = env.bool("DJANGO_SECURE_COOKIES", default=False)
SESSION_COOKIE_SECURE = BEHIND_TLS
CSRF_COOKIE_SECURE = BEHIND_TLS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=BEHIND_TLS)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if BEHIND_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script is a file under /static/.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates the GOV.UK way: 2 November 2026.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("build", BASE_DIR / "static" / "build"),
    ("app", BASE_DIR / "static" / "app"),
]
# GOV.UK Frontend comes from the npm registry (make installs it); it is served, never
# committed. Its finder serves only what a browser fetches, not the package's Sass sources.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "config.static_finders.GovukFrontendFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
# Serve files straight from the finders too, so a checkout works without collectstatic.
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Our several-files chooser (sampling.forms.MultipleFileInput) looks like any file upload.
CRISPY_CLASS_CONVERTERS = {"multiplefileinput": "govuk-file-upload"}

# Redis, when REDIS_URL is set, is the Celery broker and the cache. Without it Celery uses
# kombu's filesystem transport, which needs no server, so `make run` works on a laptop.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery")))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A task whose worker vanished (killed, machine lost) is delivered again after this
    # many seconds; every task is safe to run again.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="casefile"),
        }
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
    # The filesystem transport needs its folders before any process connects.
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "casefile",
        }
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has finished, not when it starts, and one whose worker
# process died mid-way goes back on the queue: each task's work is one transaction or
# resumable, so running it again completes it (tests/faults/test_worker_killed.py).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Email goes through Django's mail API: console by default, SMTP from EMAIL_URL.
EMAIL_URL = env.str("EMAIL_URL", default="consolemail://")
_email = env.email_url_config(EMAIL_URL)
_email_options = {
    option: _email[key]
    for key, option in (
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
        ("EMAIL_TIMEOUT", "timeout"),
    )
    if _email.get(key) not in (None, "")
}
if "smtp" in _email["EMAIL_BACKEND"]:
    _email_options.setdefault("timeout", 20)
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Casefile Audit <audit@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# GOV.UK Notify as the email route: with a key and an email template whose subject is
# ((subject)) and body ((body)), every notice's email goes through Notify instead of EMAIL_URL.
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_EMAIL_REPLY_TO_ID = env.str("NOTIFY_EMAIL_REPLY_TO_ID", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
NOTIFY_TIMEOUT = env.int("NOTIFY_TIMEOUT", default=20)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Case lists (Annex A): the largest upload accepted, and a folder the hourly sweep imports
# new files from (default: MEDIA_ROOT/frames/inbox).
SAMPLING_FRAME_MAX_BYTES = env.int("SAMPLING_FRAME_MAX_BYTES", default=200 * 1024 * 1024)
SAMPLING_FRAME_FOLDER = env.str("SAMPLING_FRAME_FOLDER", default="")
# Case lists hold children's data: the folder's imported lists are deleted this many days
# after import (0: at the next daily sweep), rejected ones after this many (issue 14).
CASE_LIST_IMPORTED_RETENTION_DAYS = env.int("CASE_LIST_IMPORTED_RETENTION_DAYS", default=0)
CASE_LIST_REJECTED_RETENTION_DAYS = env.int("CASE_LIST_REJECTED_RETENTION_DAYS", default=30)

# The access log (issue 14): which views are recorded, how long records are kept, and
# whether the proxy in front sets X-Forwarded-For (else the socket's address is recorded).
ACCESS_LOG_VIEWS = "config.access_log.VIEWS"
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=2 * 365)
ACCESS_LOG_TRUST_X_FORWARDED_FOR = env.bool("ACCESS_LOG_TRUST_X_FORWARDED_FOR", default=False)

# The dashboard's figures are kept this many seconds for readers of the same scope and
# filters; a change to an audit, action or allocation shows at once (reporting.dashboard.cache).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# Threads that build the dashboard's sections side by side on PostgreSQL, each with its own
# database connection for the request (reporting.dashboard.build); 1 builds them in turn.
DASHBOARD_THREADS = env.int("DASHBOARD_THREADS", default=3)

# Population estimates from the monthly sample (reporting.estimates; NCHS data presentation
# standards for proportions, 2017): no estimate for fewer audits than this, and a flag of
# low precision under this effective sample size or over this interval width in points.
ESTIMATE_SUPPRESS_UNDER = env.int("ESTIMATE_SUPPRESS_UNDER", default=10)
ESTIMATE_LOW_PRECISION_EFFECTIVE_N = env.float("ESTIMATE_LOW_PRECISION_EFFECTIVE_N", default=30)
ESTIMATE_LOW_PRECISION_WIDTH = env.float("ESTIMATE_LOW_PRECISION_WIDTH", default=30)
# The read-only API for Power BI and other tools (/api/v1/), with per-integration keys.
API_ENABLED = env.bool("API_ENABLED", default=False)
API_KEY_DEFAULT_DAYS = env.int("API_KEY_DEFAULT_DAYS", default=365)
API_KEY_MAX_DAYS = env.int("API_KEY_MAX_DAYS", default=730)
NINJA_PAGINATION_MAX_LIMIT = 5000

# The Word (.docx) download of a finished audit, beside the PDF.
WORD_EXPORT_ENABLED = env.bool("WORD_EXPORT_ENABLED", default=True)

# The authority's name, shown in the header.
AUTHORITY_NAME = env.str("AUTHORITY_NAME", default="Demo Borough Council")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_api_keys": {"()": "config.log_filters.RedactApiKeys"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_api_keys"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every step of every PDF at INFO; keep its warnings only.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
