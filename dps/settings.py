"""Settings for DPS Programme Manager, read from the environment.

With nothing set the app runs embedded: SQLite under var/, Celery tasks in-process, the
development defaults (EMBEDDED). Set DATABASE_URL and REDIS_URL to run on PostgreSQL with a real
Celery worker; set DEBUG=false for production, which then refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS.

Django's technical pages (its DEBUG setting: tracebacks, every URL pattern on a 404) are shown
only with DEBUG_PAGES=true as well, for a developer: the embedded demo (`make run`) serves the
service's own 403/404/500 pages to the person trying it.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from dps.formats.en_GB import formats as _service_formats

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# The environment's DEBUG says "not production" (embedded demo, development, tests' defaults).
EMBEDDED = env.bool("DEBUG", default=True)
# Django's own DEBUG: technical error pages and template debugging, for developers who ask.
DEBUG = EMBEDDED and env.bool("DEBUG_PAGES", default=False)

_EMBEDDED_SECRET_KEY = "django-insecure-embedded-demo-only-never-use-in-production"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = env.str("SECRET_KEY", default=_EMBEDDED_SECRET_KEY)
if not EMBEDDED and (
    SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    # Signing keys guard sessions and CSRF: a guessable one in production is a full compromise.
    raise ImproperlyConfigured("DEBUG is false: set SECRET_KEY to a random string of 50+ chars.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if not EMBEDDED and not env.list("ALLOWED_HOSTS", default=[]):
    raise ImproperlyConfigured("DEBUG is false: set ALLOWED_HOSTS (comma-separated).")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "dps",
    "pssp",
    "themes",
    "presentations",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dps.middleware.AbsoluteSessionLimitMiddleware",
    # From here on, reads of restricted-capable models must go through dps.visibility.
    "dps.visibility.VisibilityMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After sign-in is required: a local account with no second factor yet goes to enrol.
    "dps.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so a locked-out sign-in gets axes' response rather than a view's.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dps.urls"
WSGI_APPLICATION = "dps.wsgi.application"

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
                "csp.context_processors.nonce",
                "dps.context_processors.navigation",
            ],
        },
    },
]
# Every form renders the GOV.UK way from templates/forms/, not widget markup per page.
FORM_RENDERER = "dps.field_group.GovukFormRenderer"

if "DATABASE_URL" not in env:
    VAR_DIR.mkdir(exist_ok=True)  # the embedded SQLite file lives here
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Health-checked persistent connections survive a PostgreSQL restart without an app restart.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend with the user and their permissions (one query, not two) read by SQL
    # compiled once (dps/permissions.py).
    "dps.permissions.AccountsBackend",
]
# Sign-in through the force's OpenID Connect provider (dps/oidc.py), on when OIDC_ISSUER is set.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
# The claim listing the person's groups or app roles, and which of its values gives which role.
OIDC_ROLES_CLAIM = env.str("OIDC_ROLES_CLAIM", default="groups")
OIDC_ROLE_GROUPS = env.dict(
    "OIDC_ROLE_GROUPS",
    default={
        "dps-staff": "DPS staff",
        "dps-planning-managers": "Planning manager",
        "dps-committee-members": "Committee member",
        "dps-administrators": "Administrator",
    },
)
# Clearance for restricted (covert) themes: only this claim, set to true, ever grants it.
OIDC_CLEARANCE_CLAIM = env.str("OIDC_CLEARANCE_CLAIM", default="dps_restricted_clearance")
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_AUTHENTICATE_CLASS = "dps.oidc.SignInWithProvider"
OIDC_CALLBACK_CLASS = "dps.oidc.ProviderCallback"
LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?failed=provider"
if OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.append("dps.oidc.ProviderBackend")
# Local accounts (the embedded demo's, break-glass administrators') need a TOTP second factor
# whenever DEBUG is off (dps.second_factor); people signed in by the provider had its own.
REQUIRE_SECOND_FACTOR = env.bool("REQUIRE_SECOND_FACTOR", default=not EMBEDDED)
OTP_TOTP_ISSUER = "DPS Programme Manager"

LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

# Sign-in throttling: lock a username only when tried from the same address, so an attacker
# guessing one account from one place cannot lock its owner (or everyone) out elsewhere.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions in the database as Django keeps them, read with SQL compiled once (dps.sessions).
SESSION_ENGINE = "dps.sessions"
# Sessions: 30 minutes idle, and a working day in all (AbsoluteSessionLimitMiddleware) so an
# unattended desk is not signed in overnight. The stored expiry is pushed back at most once every
# SESSION_REFRESH_INTERVAL (the same middleware), not on every page view: saving on every request
# cost each page a transaction and an UPDATE (issue 16), and a minute is nothing against 30.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_INTERVAL = timedelta(minutes=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT = timedelta(hours=10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not EMBEDDED)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not EMBEDDED)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if EMBEDDED else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not EMBEDDED
SECURE_HSTS_PRELOAD = not EMBEDDED
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health check is probed over plain HTTP inside the compose network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # GOV.UK Frontend's one inline script (js-enabled class) carries the request's nonce.
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# An English-only service: no translations are looked up (Django's own en-GB catalogue says what
# its English source says, plural forms included). Off, Django does not ask its per-thread active
# language (asgiref Local) for every date, number and message: 9-12% of the statistics page
# (issue 16). Dates, numbers and input formats still come from the en-GB format modules below.
USE_I18N = False
USE_TZ = True
# Display and input formats for dates (dps/formats/en_GB/formats.py): they take precedence over
# Django's own en-GB formats, which would show tables' dates as 17/01/2008. The same formats
# here apply where no language is active.
FORMAT_MODULE_PATH = ["dps.formats"]
DATE_FORMAT = _service_formats.DATE_FORMAT
SHORT_DATE_FORMAT = _service_formats.SHORT_DATE_FORMAT
DATETIME_FORMAT = _service_formats.DATETIME_FORMAT
SHORT_DATETIME_FORMAT = _service_formats.SHORT_DATETIME_FORMAT
DATE_INPUT_FORMATS = _service_formats.DATE_INPUT_FORMATS

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    # MOJ Frontend's scripts (date picker, sortable table), served as GOV.UK Frontend's are.
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
]
# The embedded demo serves static files straight from their sources (no collectstatic), with
# Django's DEBUG off as with it on; production serves the collected, compressed copies.
WHITENOISE_USE_FINDERS = EMBEDDED
WHITENOISE_AUTOREFRESH = EMBEDDED

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedStaticFilesStorage",
        ),
    },
}
# Uploaded and generated files (committee PDFs, borough reports) are private: they live outside
# the static tree and are only served by views that check permission. There is no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "private")

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Commissioned borough report documents (PDF/DOCX/ODT): larger uploads are cut off and refused.
PSSP_REPORT_MAX_UPLOAD_BYTES = env.int("PSSP_REPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)

# Celery: without REDIS_URL tasks run in-process (embedded mode); with it, a real worker consumes.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://localhost/"  # with a host: kombu warns on every send without
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Progress lives in the ReportJob row; task results are never read. Storing them made every send
# subscribe to the result backend, which with Redis gone retried for 20 s inside the web request
# and then broke the process's Celery until a restart.
CELERY_TASK_IGNORE_RESULT = True
# A broker that is down must not hang a web request: fail fast so the page can say so.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    # Redis's own socket timeouts (the connection timeout above does not reach them): without
    # them a broker that hangs rather than refuses (paused, half-open link) hangs a send forever.
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    # With late acks, Redis redelivers an unacknowledged task after this; longer than any task.
    "visibility_timeout": 15 * 60,
}
# Acknowledge after the task ran, so a worker crash leaves the task queued for another worker.
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies (OOM, hard time limit) goes back to the queue, not lost.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Four eyes: a committee report is approved by someone other than the person who drafted it.
# A one-person office may turn it off (REPORTS_FOUR_EYES=false).
REPORTS_FOUR_EYES = env.bool("REPORTS_FOUR_EYES", default=True)

# Each worker process reserves one task at a time: long PDF renders don't hoard queued work.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# PDF rendering is slow and memory-hungry: its own queue keeps it from delaying quick tasks.
CELERY_TASK_ROUTES = {"reports.tasks.render_report_job": {"queue": "pdf"}}
# Beat re-queues PDF jobs stuck past their deadline or never sent because the broker was down.
# A job unfinished PDF_JOB_STUCK_AFTER after it last started (or was queued) is presumed lost:
# its worker died outright, and Redis would only redeliver it after the visibility timeout.
# Keep it above the render task's hard time limit (150 s) so a slow render is not queued twice.
PDF_JOB_STUCK_AFTER = timedelta(seconds=env.int("PDF_JOB_STUCK_AFTER_SECONDS", default=10 * 60))
CELERY_BEAT_SCHEDULE = {
    "sweep-report-jobs": {
        "task": "reports.tasks.sweep_report_jobs",
        "schedule": env.float("PDF_JOB_SWEEP_SECONDS", default=60.0),
    },
}

# --- Email notices (dps/notices.py; sources in themes/notices.py, reports/notices.py) ----------
# EMAIL_URL as django-environ reads it: smtp://user:password@host:25, smtp+tls://host:587,
# smtp+ssl://host:465. Without it the embedded demo writes each message to a file in var/mail/.
if "EMAIL_URL" in env:
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="DPS Programme Manager <dps@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in emails are read outside the app, so they need the site's own address.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Days before a milestone's forecast date its owner is reminded (each once), then once overdue.
NOTICE_MILESTONE_DAYS_BEFORE = sorted(
    {int(days) for days in env.list("NOTICE_MILESTONE_DAYS_BEFORE", default=["14", "3"])},
    reverse=True,
)
# Days before an action (or a risk response, an assumption check) is due that its owner is told.
NOTICE_ACTION_DAYS_BEFORE = env.int("NOTICE_ACTION_DAYS_BEFORE", default=3)
# Reports published this many days before a run are still announced (a missed run catches up).
NOTICE_REPORT_WITHIN_DAYS = env.int("NOTICE_REPORT_WITHIN_DAYS", default=7)
CELERY_BEAT_SCHEDULE["send-reminders"] = {
    "task": "dps.tasks.send_reminders",
    "schedule": crontab(
        hour=env.int("REMINDERS_HOUR", default=7), minute=env.int("REMINDERS_MINUTE", default=0)
    ),
}

DJANGO_TABLES2_TEMPLATE = "tables/govuk_table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "govuk-table"}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # The development server's request log: one line per request, noise in the demo's
        # console (make run serves with gunicorn, whose access log is off; this covers runserver).
        "django.server": {"level": env.str("REQUEST_LOG_LEVEL", default="ERROR")},
        # In-process tasks (no REDIS_URL) would log each PDF job's success to the demo's console;
        # a real worker keeps its INFO lines.
        **({} if REDIS_URL else {"celery.app.trace": {"level": "WARNING"}}),
        # "Not Found: /x" and "Forbidden: /y" for every refused page: the demo's console stays
        # quiet (server errors still show); production keeps them.
        **({"django.request": {"level": "ERROR"}} if EMBEDDED else {}),
    },
}
