"""Settings, read from the environment so one codebase serves a laptop demo and a province.

Only what differs between deployments is configurable; the rest is fixed here.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off "
            "(make demo and make test set one for you)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "stations",
    "people",
    "api",
    "health",
    "documents",
    "supplies",
    "reports",
    "identity",
    "labour",
    "intake",
    "imports",
    "households",
    # django-ninja's own copy of Swagger UI, served from our static files instead of a CDN
    "ninja",
    # security: second factor, login throttling, content security policy
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "accounts",
    "backups",
    # the task queue: work that outlasts a request, kept in the database so it survives a
    # restart; `manage.py db_worker` runs it (make demo starts one)
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # before any view: values no field takes and the databases fail on are a 400 (422 in the API)
    "waystation.input_guard.HostileInputMiddleware",
    # a form posted twice (double click, resend) is handled once, by its client token
    "intake.resends.OnceOnlyFormsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    # last, as django-axes asks: it turns a lockout raised during login into its answer
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "waystation.urls"
WSGI_APPLICATION = "waystation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "waystation" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stations.context_processors.staff_role",
                "csp.context_processors.nonce",
            ],
            # {% csrf_token %} also writes the form's client token (intake/resends.py)
            "builtins": ["intake.templatetags.client_token"],
        },
    },
]

DATA_DIR = Path(os.environ.get("WAYSTATION_DATA_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'waystation.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compiling costs more than it saves on reports' queries of a second or less.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with concurrent writers queued instead of polling for the lock.
    DATABASES["default"]["ENGINE"] = "waystation.sqlite_backend"
    # Tests run in memory, as with Django's own backend (pytest-django recognises that only by
    # the engine's name, or by this).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets pages read while a registrar writes; IMMEDIATE avoids failed lock upgrades;
    # mmap and a larger cache keep a warm connection from re-reading pages on every request.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; "
            "PRAGMA cache_size=-32000; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is even checked
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "waystation" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Pyongyang")
# Pins the day of the one clock (waystation/clock.py); the demo runs on 1961-11-08.
WAYSTATION_TODAY = os.environ.get("WAYSTATION_TODAY", "")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "waystation" / "static"]

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Production is HTTPS behind a proxy: every transport setting defaults to safe when DEBUG is off
# and each can be turned off by name (a laptop demo over plain http runs with DEBUG=1).
HTTPS = env_flag("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", default=HTTPS)
CSRF_COOKIE_SECURE = env_flag("CSRF_COOKIE_SECURE", default=HTTPS)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
if env_flag("BEHIND_TLS_PROXY", default=HTTPS):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks and the test client come over plain http on loopback; they are not redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

# Content security policy (django-csp 4): no inline script at all; inline <style> blocks only
# with the page's nonce. Style attributes stay allowed: pages draw bar widths with them and an
# injected style attribute cannot run code (every value is escaped by the templates anyway).
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-elem": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Login throttling (django-axes, accounts/lockout.py): after AXES_FAILURE_LIMIT failed
# passwords for one user name from one address, or AXES_ADDRESS_FAILURE_LIMIT from one address
# under any user names, signing in is locked for AXES_COOLOFF_HOURS; a success resets the
# count. The address is the client's, read from CLIENT_ADDRESS_HEADER as set by the proxies
# in TRUSTED_PROXIES (addresses or networks); without them it is the connection's.
LOGIN_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "30"))
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()]
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_error}") from None
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Second factor (django-otp): TOTP is required for these roles ("superuser": any superuser)
# and optional for the others.
OTP_REQUIRED_ROLES = [
    r.strip()
    for r in os.environ.get("OTP_REQUIRED_ROLES", "administrator,superuser").split(",")
    if r.strip()
]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Waystation")
# A first device may be set up only through a one-time link an administrator makes
# (manage.py second_factor_link USER), not by whoever first signs in with the password.
OTP_ENROLMENT_BY_LINK = env_flag("OTP_ENROLMENT_BY_LINK")

# The files check finds people registered anywhere, so it is limited per user and hour: a
# registrar checks each arrival a few times, an enumeration of the registry needs thousands.
IDENTITY_CHECKS_PER_HOUR = int(os.environ.get("IDENTITY_CHECKS_PER_HOUR", "120"))

# The rows of an uploaded register (names, dates of birth, ID numbers) are erased when the
# import has run; a file only dry-run, or never run, is erased after this many days.
IMPORT_ROWS_RETENTION_DAYS = int(os.environ.get("IMPORT_ROWS_RETENTION_DAYS", "7"))
# The dashboard's retention figures are counted again after journey steps, or after this many
# seconds (placements and wishes change them without a step).
RETENTION_FIGURES_MAX_AGE = int(os.environ.get("RETENTION_FIGURES_MAX_AGE", "1800"))

# The audit chain's head, signed, is written outside the database now and then (at most every
# AUDIT_HEAD_INTERVAL seconds per process, after an audit entry is written): to a file the
# database's users cannot rewrite, and to syslog when AUDIT_HEAD_SYSLOG is on.
# verify_audit_chain checks the log against the latest head in AUDIT_HEAD_FILE.
AUDIT_HEAD_FILE = os.environ.get("AUDIT_HEAD_FILE", str(DATA_DIR / "audit-heads.log"))
AUDIT_HEAD_SYSLOG = env_flag("AUDIT_HEAD_SYSLOG")
AUDIT_HEAD_INTERVAL = int(os.environ.get("AUDIT_HEAD_INTERVAL", "300"))
_audit_head_handlers = {}
if AUDIT_HEAD_FILE:
    Path(AUDIT_HEAD_FILE).parent.mkdir(parents=True, exist_ok=True)
    _audit_head_handlers["audit_head_file"] = {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": AUDIT_HEAD_FILE,
        "delay": True,
        "formatter": "audit_head",
    }
if AUDIT_HEAD_SYSLOG:
    _audit_head_handlers["audit_head_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": os.environ.get("AUDIT_HEAD_SYSLOG_ADDRESS", "/dev/log"),
        "formatter": "audit_head",
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit_head": {"format": "%(asctime)s waystation %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}, **_audit_head_handlers},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "waystation.audit_head": {
            "handlers": list(_audit_head_handlers),
            "level": "INFO",
            "propagate": False,
        },
    },
}
