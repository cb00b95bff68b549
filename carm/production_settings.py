"""The production profile: DJANGO_SETTINGS_MODULE=carm.production_settings. The same settings, with
what a deployment must have; it refuses to start without a strong SECRET_KEY or with DEBUG on, and
`manage.py check --deploy` passes without a warning (tests/portal/test_deployment.py)."""

import os

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int
from .settings import *  # noqa: F403
from .settings import CARM_TRUSTED_PROXIES, DEBUG

if not os.environ.get("SECRET_KEY"):  # never the local key made in VAR_DIR (settings.secret_key)
    raise ImproperlyConfigured("Set SECRET_KEY: the production profile has no default key")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be False in production")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if CARM_TRUSTED_PROXIES:  # the proxy terminates TLS and says so (it must overwrite, never pass on, the header)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
