"""Settings shared by every environment. Secrets have no defaults here."""

import ipaddress
from pathlib import Path

import environ

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/haven
PROJECT_DIR = PACKAGE_DIR.parents[1]  # the repository root when run from a checkout

env = environ.Env()

# Where the demo and local runs keep their database, secret key and uploaded files.
DATA_DIR = Path(env.str("HAVEN_DATA_DIR", default=str(PROJECT_DIR / "var")))

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks_db",
    "haven.core",
    "haven.accounts",
    "haven.audit",
    "haven.api",
    "haven.demo",
    "haven.people",
    "haven.frontdoor",
    "haven.protection",
    "haven.assessment",
    "haven.exploitation",
    "haven.missing",
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
    "haven.core.middleware.ActorMiddleware",
    "haven.accounts.middleware.IdleTimeoutMiddleware",
    "haven.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "haven.audit.middleware.PermissionDeniedAuditMiddleware",
    # Last, so that a locked-out sign-in is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haven.config.urls"
WSGI_APPLICATION = "haven.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.core.context_processors.haven",
            ],
            "builtins": ["haven.core.templatetags.haven"],
        },
    }
]
FORM_RENDERER = "haven.core.forms.GovukFormRenderer"

# The embedded default is SQLite in the data folder; councils set DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'haven.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers never
    # deadlock on an upgrade from a read lock; WAL lets readers carry on meanwhile.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend without the superuser shortcut: permissions come from roles alone.
    "haven.accounts.backends.RolePermissionBackend",
]
# NCSC password guidance: length over complexity, a deny-list of common passwords,
# no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "haven.accounts.passwords.DenyListValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

# Sessions end after a period of inactivity; the page warns before that happens.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
HAVEN_IDLE_TIMEOUT_SECONDS = env.int("HAVEN_IDLE_TIMEOUT_SECONDS", default=30 * 60)
HAVEN_IDLE_WARNING_SECONDS = env.int("HAVEN_IDLE_WARNING_SECONDS", default=2 * 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "haven.core.views.csrf_failure"

# Lockout after repeated failed sign-ins, by account (NCSC: throttle, then lock).
# The reverse proxies in front of Haven (addresses or networks, like 10.0.0.5 or 10.0.0.0/24).
# A request from one of them is recorded as coming from the client address it forwards in
# X-Forwarded-For; from anywhere else the header is ignored. Empty: no proxy is trusted.
# A wrong entry stops Haven starting, naming it, rather than failing on each request.
HAVEN_TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy, strict=False))
    for proxy in env.list("HAVEN_TRUSTED_PROXIES", default=[])
]
AXES_CLIENT_IP_CALLABLE = "haven.core.actor.client_ip"
AXES_FAILURE_LIMIT = env.int("HAVEN_SIGN_IN_ATTEMPTS", default=5)
AXES_COOLOFF_TIME = env.float("HAVEN_LOCKOUT_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns that a lockout without the IP address can be dodged by changing the
# user agent or cookies. Ours is by account, which neither changes; locking by IP would lock a
# whole office behind one council NAT address after a few typos (docs/adr/0004).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = env.str("HAVEN_COUNCIL_NAME", default="Haven")

# Security headers, on everywhere; production adds HTTPS-only cookies and HSTS.
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Strict Content Security Policy (Django 6's own): nothing inline without a nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("HAVEN_STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env.str("HAVEN_MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_KEEP_ONLY_HASHED_FILES = False

# Background work: Django's tasks framework, stored in the database, run by `haven worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Outgoing email (Django 6.1 mailers): SMTP by default; the demo prints to the console.
MAILERS = {
    "default": {
        "BACKEND": env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": env.str("EMAIL_HOST", default="localhost"),
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        },
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="haven@localhost")

# What the council calls itself, shown in the header, emails and documents.
HAVEN_COUNCIL_NAME = env.str("HAVEN_COUNCIL_NAME", default="Haven Children's Services")
HAVEN_SERVICE_NAME = env.str("HAVEN_SERVICE_NAME", default="Haven")
HAVEN_PHASE = env.str("HAVEN_PHASE", default="Beta")
# The address people reach Haven at, for links in emails sent without a request to read it
# from (invitations, the front door's acknowledgements and reports). No trailing slash.
HAVEN_BASE_URL = env.str("HAVEN_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Demo mode: synthetic data, demo users without two-factor sign-in, a DEMO banner on every page.
HAVEN_DEMO_MODE = False

# The front door (haven.frontdoor): the shared mailbox it reads for emailed referrals (empty
# host: no polling), how often, the largest attachment it keeps, and when the twice-daily
# workflow report runs on working days.
HAVEN_FRONT_DOOR_IMAP_HOST = env.str("HAVEN_FRONT_DOOR_IMAP_HOST", default="")
HAVEN_FRONT_DOOR_IMAP_PORT = env.int("HAVEN_FRONT_DOOR_IMAP_PORT", default=993)
HAVEN_FRONT_DOOR_IMAP_USER = env.str("HAVEN_FRONT_DOOR_IMAP_USER", default="")
HAVEN_FRONT_DOOR_IMAP_PASSWORD = env.str("HAVEN_FRONT_DOOR_IMAP_PASSWORD", default="")
HAVEN_FRONT_DOOR_IMAP_FOLDER = env.str("HAVEN_FRONT_DOOR_IMAP_FOLDER", default="INBOX")
HAVEN_FRONT_DOOR_IMAP_TLS = env.bool("HAVEN_FRONT_DOOR_IMAP_TLS", default=True)
HAVEN_FRONT_DOOR_POLL_MINUTES = env.int("HAVEN_FRONT_DOOR_POLL_MINUTES", default=2)
HAVEN_FRONT_DOOR_ATTACHMENT_MAX_MB = env.int("HAVEN_FRONT_DOOR_ATTACHMENT_MAX_MB", default=20)
# When the nightly duplicate check (haven.people) runs, local time.
HAVEN_FIND_DUPLICATES_AT = env.str("HAVEN_FIND_DUPLICATES_AT", default="02:00")
HAVEN_WORKFLOW_REPORT_TIMES = env.list("HAVEN_WORKFLOW_REPORT_TIMES", default=["08:30", "13:30"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("HAVEN_LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # Splink warns about untrained comparison levels on every run of a small dataset
        # (the demo's); the duplicate finder's own output says what it found.
        "splink": {"level": "ERROR"},
    },
}
