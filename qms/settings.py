"""Settings for QMS, read from the environment (see .env.example).

Every value has a safe default: DEBUG is off, cookies are secure and HSTS is on
unless DEBUG is switched on for local development.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file (written by the quick start) is read when present; real
# environment variables always win over it.
env_file = env.str("QMS_ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(env_file).is_file():
    env.read_env(env_file, overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (see .env.example); "
            "only a DEBUG development setup may run without one."
        )
    # Local development only: a random key kept under var/ so sessions survive
    # restarts of the development server.
    VAR_DIR.mkdir(exist_ok=True)
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "simple_history",
    "csp",
    "axes",
    "qms",
    "promises",
    "needs",
    "standards",
    "complaints",
    "surveys",
    "improvements",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username/address pair before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the permission check in one query (qms/backends.py).
    "qms.backends.PermissionBackend",
]
# Benchmark runs only (python -m bench): an X-QMS-Queries header with the
# request's SQL query count, sessions and authentication included.
if env.bool("QMS_BENCH_QUERY_COUNT", default=False):
    MIDDLEWARE.insert(2, "bench.middleware.QueryCountMiddleware")

ROOT_URLCONF = "qms.urls"
WSGI_APPLICATION = "qms.wsgi.application"
ASGI_APPLICATION = "qms.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qms.context_processors.navigation",
            ],
        },
    },
]

if "DATABASE_URL" not in env:
    # The zero-set-up SQLite file lives under var/, which a fresh clone lacks.
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'qms.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="qms@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + name}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "qms:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", "English"), ("et", "Eesti"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["qms.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Tallinn")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: strict unless DEBUG (local development over plain http).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env.bool("SECURE_PROXY_SSL_HEADER", default=not DEBUG)
    else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): only the site's own scripts, styles,
# images and fonts; no inline script or style anywhere. Charts are inline SVG
# drawn with presentation attributes (qms.charts), so they need no exception.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for
# one username from one address, that pair is refused for AXES_COOLOFF_MINUTES.
# Locking the pair, not the address alone, keeps one office behind a NAT from
# locking out everyone; a successful login clears the count.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qms.security.lockout_response"
AXES_VERBOSE = False

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissions",
    ],
    # JSON only in production: the browsable API's pages carry inline styles
    # that the Content-Security-Policy refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {"TITLE": "QMS API", "VERSION": "1"}

# Working-day calendar (qms.calendar).
HOLIDAYS_COUNTRY = env.str("HOLIDAYS_COUNTRY", default="EE")
HOLIDAYS_SUBDIVISION = env.str("HOLIDAYS_SUBDIVISION", default="") or None
WORKING_HOURS_START = env.str("WORKING_HOURS_START", default="09:00")
WORKING_HOURS_END = env.str("WORKING_HOURS_END", default="17:00")

# The site's public address, for links in e-mails sent outside a request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Complaints: intake mailbox (imaps://user:pass@host/INBOX or maildir:///path),
# attachment limits, and how soon before a deadline handlers are reminded.
COMPLAINTS_MAIL_URL = env.str("COMPLAINTS_MAIL_URL", default="")
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_ALLOWED_TYPES = env.list(
    "ATTACHMENT_ALLOWED_TYPES",
    default=[
        "application/pdf",
        "image/jpeg",
        "image/png",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
)
COMPLAINTS_DUE_SOON_HOURS = env.int("COMPLAINTS_DUE_SOON_HOURS", default=48)
# Public complaint form: submissions allowed per client address per hour.
PUBLIC_FORM_RATE_PER_HOUR = env.int("PUBLIC_FORM_RATE_PER_HOUR", default=10)

# Personal data retention (qms.personal_data): days a record type keeps its
# personal data; `manage.py apply_retention` (daily under Celery beat)
# anonymises what is older. Complaint cases count from their closure.
PERSONAL_DATA_RETENTION_DAYS = {
    "complaints.case": env.int("RETENTION_COMPLAINT_CASE_DAYS", default=3 * 365),
    # Survey participants (address, customer link, free-text answers) after
    # their wave closed; scores and dispositions stay.
    "surveys.participant": env.int(
        "RETENTION_SURVEY_PARTICIPANT_DAYS", default=2 * 365
    ),
}
# Surveys: invite the customer of a closed complaint to the active
# post-complaint survey (a series of that kind with a wave in fieldwork).
SURVEYS_POST_COMPLAINT = env.bool("SURVEYS_POST_COMPLAINT", default=True)

# Document control: may the author of a version approve it too?
QMS_ALLOW_SELF_APPROVAL = env.bool("QMS_ALLOW_SELF_APPROVAL", default=False)

# Management reports: must a second person approve a report before it is
# issued? The organisation's name on report covers (empty: the top unit's).
REPORTS_REQUIRE_APPROVAL = env.bool("REPORTS_REQUIRE_APPROVAL", default=False)
REPORTS_ORGANISATION = env.str("REPORTS_ORGANISATION", default="")

# Background work. With no broker, tasks run inline in the web process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "documents-apply-effective-dates": {
        "task": "qms.tasks.documents_apply_effective_dates",
        "schedule": 60 * 60,
    },
    "complaints-reminders": {
        "task": "complaints.tasks.send_complaint_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    "promises-review-reminders": {
        "task": "promises.tasks.send_promise_review_reminders",
        "schedule": crontab(hour=7, minute=50),
    },
    "improvements-reminders": {
        "task": "improvements.tasks.send_improvement_reminders",
        "schedule": crontab(hour=7, minute=45),
    },
    # Management reports on the first day of a month / quarter (reports.tasks).
    "reports-monthly": {
        "task": "reports.tasks.generate_scheduled_report",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
        "kwargs": {"period": "last-month"},
    },
    "reports-quarterly": {
        "task": "reports.tasks.generate_scheduled_report",
        "schedule": crontab(
            day_of_month=1, month_of_year="1,4,7,10", hour=6, minute=15
        ),
        "kwargs": {"period": "last-quarter"},
    },
    "personal-data-retention": {
        "task": "qms.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=15),
    },
    "surveys-reminders": {
        "task": "surveys.tasks.send_survey_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # Does nothing while COMPLAINTS_MAIL_URL is empty.
    "complaints-fetch-mail": {
        "task": "complaints.tasks.fetch_complaint_mail",
        "schedule": 5 * 60,
    },
}

# Customer promises: an indicator below target or at risk in this many
# consecutive complete months puts its promise on the dashboard's review list;
# owners are reminded this many days before a promise's review date.
PROMISES_REVIEW_AFTER_PERIODS = env.int("PROMISES_REVIEW_AFTER_PERIODS", default=2)
PROMISES_REVIEW_REMINDER_DAYS = env.int("PROMISES_REVIEW_REMINDER_DAYS", default=14)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint's font subsetting logs every glyph table at INFO: hundreds of
    # lines for each PDF, which drowned `seed_demo`'s output and the logs.
    "loggers": {"fontTools": {"level": "WARNING"}},
}
