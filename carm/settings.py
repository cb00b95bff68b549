"""open CARM settings. Every value can come from the environment (see README, "Configuration");
the defaults run the embedded portal: SQLite in the project folder, Celery tasks inline."""

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_json, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
# numpy (tariff search) is imported after settings: one BLAS thread a process, as a server runs one query a
# worker; two threads doubled a search's CPU (p95 44.7 -> 22.3 ms, bench/classification_eval.py, issue #25).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# core is not an installed app (it has no models): its messages are found here.
LOCALE_PATHS = [BASE_DIR / "core" / "locale"]
VAR_DIR = Path(env_str("CARM_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# A deployment sets SECRET_KEY (carm.production_settings refuses to start without a strong one); the
# embedded local portal makes its own random key once, in VAR_DIR. A known placeholder never runs.
SECRET_KEY = secret_key(env_str("SECRET_KEY", ""), VAR_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The folder list reads like the CARM glossary: one app per concept.
CARM_APPS = [
    "rights",  # the rights kernel: first, below every domain app
    "accounts",
    "audit",
    "tariff",
    "assessment",
    "ledger",
    "registry",
    "businesses",
    "access",
    "delegation",
    "declarations",
    "releases",
    "penalties",
    "payments",
    "rulings",
    "recourse",
    "security",
    "edi",
    "notifications",
    "workbench",
]

INSTALLED_APPS = [
    "portal",  # first, so its layout and allauth template overrides win
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static files, not a CDN
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "pgtrigger",  # the append-only triggers of the audit trail and the ledger, declared on their models
    *CARM_APPS,
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rights.middleware.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RefuseServiceAccountSessions",
    "accounts.middleware.RequireMFAMiddleware",
    "portal.catch_up.DailyCatchUp",
]

ROOT_URLCONF = "carm.urls"
WSGI_APPLICATION = "carm.wsgi.application"

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
                "portal.context_processors.portal",
                "notifications.context_processors.unread",
                "penalties.context_processors.outage_banner",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}


def sqlite_waits(database: dict) -> dict:
    """SQLite: a writer waits up to 20 s for the write lock instead of failing with "database is
    locked", and takes it when its transaction begins (IMMEDIATE): a transaction that reads first and
    upgrades its lock later fails at once whatever the timeout (two identical submissions at once)."""
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    return database


sqlite_waits(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rights.backends.RightsBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English and French from day one, always in the URL (/en/, /fr/).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
USE_I18N = True
TIME_ZONE = "America/Toronto"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str("STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL", "")}
        if env_str("REDIS_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sign-in: django-allauth, local accounts by default, e-mail as the login.
SITE_ID = 1
LOGIN_REDIRECT_URL = "portal:home"
LOGIN_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Say plainly that an address is taken (the issue asks for it) rather than mail its owner silently.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_VERIFICATION = env_str("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
# Lockout: 5 failed sign-ins for one account in 5 minutes blocks it for the rest of the window.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("CARM_LOGIN_FAILED_LIMIT", "20/m/ip,5/5m/key"),
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "open CARM"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way, for phone clocks that drift
MFA_RECOVERY_CODE_COUNT = 10
CARM_MFA_REQUIRED = env_bool("CARM_MFA_REQUIRED", True)

# External identity providers (GCKey, Sign-In Partners) are OpenID Connect services: configure
# them with CARM_OIDC_PROVIDERS, a JSON list of allauth "APPS" entries (see README).
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": env_json("CARM_OIDC_PROVIDERS", []), "OAUTH_PKCE_ENABLED": True}}
SOCIALACCOUNT_ONLY = False

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "open CARM <no-reply@carm.example>")

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every script and asset from the portal itself (GC Design
# System, htmx and Swagger UI are local static files). Styles allow inline: the templates' <style>
# blocks, and the GCDS components and htmx insert style elements at run time.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# API: DRF under /api/v1/, personal tokens ("Authorization: Token ...") or the browser session.
# Proxies in front of the portal that append the client's address to X-Forwarded-For (0: none, the
# connection's address is the client's). Rate limits, the sign-in lockout and the audit trail use it.
CARM_TRUSTED_PROXIES = env_int("CARM_TRUSTED_PROXIES", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = CARM_TRUSTED_PROXIES
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.PersonalTokenAuthentication",
        "accounts.api_auth.MFASessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "EXCEPTION_HANDLER": "core.api.structured_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.throttling.ClientAddressThrottle",
        "portal.throttling.TokenThrottle",
        "portal.throttling.BusinessThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("CARM_ANON_API_RATE", "120/min"),
        "user": env_str("CARM_USER_API_RATE", "600/min"),
        "business": env_str("CARM_BUSINESS_API_RATE", "3000/min"),
    },
    "NUM_PROXIES": CARM_TRUSTED_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "open CARM API",
    "DESCRIPTION": "CBSA Assessment and Revenue Management — open implementation. Version 1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RulingStatusEnum": "rulings.models.Status",
        "RulingKindEnum": "rulings.models.Kind",
        "IndicatorEnum": "declarations.fields.Indicator",  # D17-1-10 yes/no fields 66, 78, 83, 88
        "SecurityProgramEnum": "security.models.SecurityProgram",  # rpp | appeals (BSF259)
        "PaymentMethodEnum": "payments.models.Method",  # how a payment was made
        "OnlinePaymentMethodEnum": "payments.api.ONLINE_METHODS",  # how the portal and API pay: card | pad
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # The CAD's request fields get their examples from declarations.fields (issue 18, item 6).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "declarations.api.field_examples"],
}
CARM_API_TOKEN_MAX_DAYS = env_int("CARM_API_TOKEN_MAX_DAYS", 180)  # under a year: a leaked token dies sooner
CARM_API_TOKEN_LAST_USE_SECONDS = env_int("CARM_API_TOKEN_LAST_USE_SECONDS", 60)

# Where business numbers are looked up: the local copy of CRA's registry (loaded by load_registry),
# or, in production, an adapter calling CRA with the same interface (registry/adapters.py).
CARM_REGISTRY_ADAPTER = env_str("CARM_REGISTRY_ADAPTER", "registry.adapters.LocalRegistry")

# Background jobs: Celery. The embedded default runs tasks inline (no broker needed).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", env_str("REDIS_URL", "memory://"))
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# The EDI drop folder (an SFTP-style inbox): one folder per business BN9 (edi.drop_folder).
EDI_DROP_FOLDER = env_str("CARM_EDI_DROP_FOLDER", str(VAR_DIR / "edi" / "inbox"))
CELERY_BEAT_SCHEDULE = {
    # EDI: the drop folder swept every minute; yesterday's notices and statements sent after they are made.
    "edi-sweep-drop-folder": {"task": "edi.tasks.sweep_drop_folder", "schedule": 60},
    "edi-retry-deliveries": {"task": "edi.tasks.retry_deliveries", "schedule": 60},
    "edi-send-documents": {"task": "edi.tasks.send_documents", "schedule": crontab(hour=3, minute=0)},
    "purge-expired-sessions": {"task": "accounts.tasks.purge_expired_sessions", "schedule": 60 * 60},
    # Accounts: client profiles inactive for 180 days deactivated (a workbench job, in the runs list).
    "accounts-clean-up": {
        "task": "workbench.tasks.scheduled",
        "args": ["account_cleanup"],
        "schedule": crontab(hour=4, minute=0),
    },
    # The ledger: clearing late each day, then interest, penalties and notices for the day that ended.
    # The jobs officers also launch run through the workbench, so each beat run is in their list of runs.
    "ledger-daily-clearing": {
        "task": "workbench.tasks.scheduled",
        "args": ["offsetting"],
        "schedule": crontab(hour=23, minute=30),
    },
    "ledger-nightly-interest": {
        "task": "workbench.tasks.scheduled",
        "args": ["interest"],
        "schedule": crontab(hour=0, minute=30),
    },
    "ledger-daily-notices": {"task": "ledger.tasks.daily_notices", "schedule": crontab(hour=1, minute=0)},
    "ledger-close-billing-period": {
        "task": "workbench.tasks.scheduled",
        "args": ["billing_close"],
        "schedule": crontab(day_of_month=25, hour=2, minute=0),
    },
    # Payments: resolve card payments left pending; submit due PAD debits and take the bank's settlements.
    "payments-reconcile": {"task": "payments.tasks.reconcile_pending", "schedule": 60 * 10},
    "payments-pad-run": {"task": "payments.tasks.pad_run", "schedule": crontab(hour=6, minute=0)},
    "payments-remittance-inbox": {"task": "payments.tasks.import_remittance_inbox", "schedule": 60 * 60},
    # Exchange rates: the Bank of Canada publishes at 16:30 ET on business days, CBSA serves them from 19:00.
    "assessment-fetch-exchange-rates": {
        "task": "assessment.tasks.fetch_exchange_rates",
        "schedule": crontab(hour=19, minute=30, day_of_week="mon-fri"),
    },
    # Notifications: retry failed deliveries when due; the daily digest; tariff versions told to watchers.
    "notifications-retry": {"task": "notifications.tasks.retry_due", "schedule": 60},
    "notifications-daily-digest": {"task": "notifications.tasks.send_digests", "schedule": crontab(hour=7, minute=0)},
    "notifications-tariff-watches": {"task": "notifications.tasks.scan_tariff_versions", "schedule": 60 * 60},
    # Penalties: late-accounting notices for the day that ended (after the outages declared for it).
    "penalties-late-accounting": {
        "task": "workbench.tasks.scheduled",
        "args": ["penalties"],
        "schedule": crontab(hour=1, minute=30),
    },
    # Delegation: end relationships past their expiry date, warn both sides 30 and 7 days before.
    # Security: the annual review each 20 October; each day, suspend RPP where a review's deadline passed.
    "security-annual-review": {
        "task": "workbench.tasks.scheduled",
        "args": ["security_review"],
        "schedule": crontab(month_of_year=10, day_of_month=20, hour=3, minute=0),
    },
    "security-deadlines": {"task": "security.tasks.enforce_deadlines", "schedule": crontab(hour=3, minute=30)},
    "delegation-expire-relationships": {
        "task": "delegation.tasks.expire_relationships",
        "schedule": crontab(hour=0, minute=5),
    },
}

# Where no beat runs (tasks inline), the scheduled work is caught up by `make demo` (manage.py
# catch_up) and by the portal on the first request of each day (portal.catch_up), in this order.
CARM_CATCH_UP_ON_REQUEST = env_bool("CARM_CATCH_UP_ON_REQUEST", CELERY_TASK_ALWAYS_EAGER)
CARM_CATCH_UP_JOBS = [
    "assessment.tasks.fetch_exchange_rates",
    "workbench.tasks.ledger_catch_up",  # ledger.tasks.catch_up, as a Run in the officers' list
    "payments.tasks.pad_run",
    "payments.tasks.reconcile_pending",
    "delegation.tasks.expire_relationships",
]

# seed_demo runs these, in order; each app adds its own demo data.
# The tariff files the demo loads (the test suite points this at a cut of a few chapters).
CARM_TARIFF_DATA_DIR = Path(env_str("CARM_TARIFF_DATA_DIR", str(BASE_DIR / "data" / "tariff")))
# Published rulings the classification search reads as evidence (tariff.search_rulings); the test suite
# points this at a few rulings of its own.
CARM_RULINGS_EVIDENCE = Path(
    env_str("CARM_RULINGS_EVIDENCE", str(BASE_DIR / "data" / "rulings-evidence" / "cbp_rulings.jsonl"))
)
CARM_DEMO_SEEDERS = [
    "accounts.demo.seed",
    "registry.demo.seed",
    "businesses.demo.seed",
    "access.demo.seed",
    "delegation.demo.seed",
    "tariff.demo.seed",
    "assessment.demo.seed",
    "ledger.demo.seed",
    "security.demo.seed",  # before the CADs: their RPP release needs enrolment and security
    "declarations.demo.seed",
    "releases.demo.seed",  # after the CADs: today's releases still to account for
    "payments.demo.seed",
    "rulings.demo.seed",
    "recourse.demo.seed",
    "workbench.demo.seed",
]
# Release prior to payment (security.rules has each figure's source): RPP CADs released from this day
# need enrolment and sufficient security (None: never checked); the highest month assumed of a new
# importer; usage of the posted security that warns importers and brokers; the annual review's deadline.
_RPP_FROM = env_str("CARM_RPP_SECURITY_FROM", "2025-05-20")  # "" turns the check off
CARM_RPP_SECURITY_FROM = dt.date.fromisoformat(_RPP_FROM) if _RPP_FROM else None
CARM_RPP_NEW_IMPORTER_MONTH = Decimal(env_str("CARM_RPP_NEW_IMPORTER_MONTH", "10000.00"))
CARM_RPP_WARNING_THRESHOLDS = ["0.80", "1.00"]
CARM_RPP_REVIEW_DEADLINE = (1, 15)
# A cash (type C) CAD may be prepared and paid in the portal this many days before its goods are
# released (issue 19 item 6; [DESIGN]: CBSA lets it be prepared in advance, its lead time is ours).
CARM_CASH_CAD_DAYS_AHEAD = int(env_str("CARM_CASH_CAD_DAYS_AHEAD", "30"))
# Payments: the card gateway adapter (the sandbox by default; README lists its test cards), the bank
# reporting PAD settlements, how much more than owed a payment may be (the rest stays as a credit),
# how long an unanswered card payment waits before reconciliation resolves it, and how long a 3-D Secure
# check may stay unfinished before the payment is closed as not charged (seconds).
CARM_PAYMENT_GATEWAY = env_str("CARM_PAYMENT_GATEWAY", "payments.gateways.SandboxGateway")
CARM_PAD_BANK = env_str("CARM_PAD_BANK", "payments.gateways.SandboxBank")
CARM_PAYMENT_MARGIN = Decimal(env_str("CARM_PAYMENT_MARGIN", "1000.00"))
CARM_SANDBOX_CARD_LIMIT = Decimal(env_str("CARM_SANDBOX_CARD_LIMIT", "50000.00"))
CARM_PAYMENT_RECONCILE_AFTER = env_int("CARM_PAYMENT_RECONCILE_AFTER", 120)
CARM_PAYMENT_3DS_EXPIRY = env_int("CARM_PAYMENT_3DS_EXPIRY", 3600)
# Where banks drop remittance files for the scheduled import (payments.tasks.import_remittance_inbox).
CARM_REMITTANCE_INBOX = env_str("CARM_REMITTANCE_INBOX", str(VAR_DIR / "remittance"))
# Days a pending relationship request waits for a decision before it lapses.
CARM_RELATIONSHIP_REQUEST_DAYS = env_int("CARM_RELATIONSHIP_REQUEST_DAYS", 30)
# AMPS C336, late payment, per instance: the ledger's fallback when the penalties catalogue is not
# installed (penalties/data/contraventions.json holds the amount).
CARM_LATE_PAYMENT_PENALTY = Decimal("200.00")
CARM_DEMO_PASSWORD = "Demo-pass-2026"

# Notifications: "console" (emails through EMAIL_BACKEND, text messages to a file) or "gcnotify"
# (GC Notify: its API URL, an API key, and one generic template id per channel and language,
# {"email": {"en": "<uuid>", "fr": "<uuid>"}, "sms": {...}}, whose ((subject)) and ((body)) carry the text).
CARM_NOTIFY_SITE_URL = env_str("CARM_NOTIFY_SITE_URL", "http://127.0.0.1:8000")  # links in emails
CARM_NOTIFY_BACKEND = env_str("CARM_NOTIFY_BACKEND", "console")
if CARM_NOTIFY_BACKEND not in ("console", "gcnotify"):
    raise ImproperlyConfigured(f"CARM_NOTIFY_BACKEND must be console or gcnotify, not {CARM_NOTIFY_BACKEND!r}")
CARM_NOTIFY_SMS_FILE = env_str("CARM_NOTIFY_SMS_FILE", str(VAR_DIR / "sms.jsonl"))
CARM_NOTIFY_API_URL = env_str("CARM_NOTIFY_API_URL", "https://api.notification.canada.ca")
CARM_NOTIFY_API_KEY = env_str("CARM_NOTIFY_API_KEY", "")
CARM_NOTIFY_TEMPLATES = env_json("CARM_NOTIFY_TEMPLATES", {})
# Attempts per delivery before it is marked failed; the wait doubles from the first (seconds).
CARM_NOTIFY_MAX_ATTEMPTS = env_int("CARM_NOTIFY_MAX_ATTEMPTS", 5)
CARM_NOTIFY_FIRST_RETRY = env_int("CARM_NOTIFY_FIRST_RETRY", 60)
# A failing notification is logged and never undoes the action that caused it (the tests raise).
CARM_NOTIFY_RAISE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Rulings: the virus scanner every attachment passes (a dotted path; the default scans nothing).
CARM_VIRUS_SCANNER = env_str("CARM_VIRUS_SCANNER", "core.attachments.no_scan")
