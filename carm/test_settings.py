"""Settings for the test suite: the same app, a throw-away database, fast hashing, inline tasks.
TEST_DATABASE_URL picks the server (e.g. postgres://postgres@127.0.0.1:5432/carm); SQLite otherwise."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import dj_database_url

from .settings import *  # noqa: F403
from .settings import BASE_DIR, STORAGES, sqlite_waits

if os.environ.get("TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["TEST_DATABASE_URL"])}
else:
    DATABASES = {"default": sqlite_waits(dj_database_url.parse(f"sqlite:///{BASE_DIR / 'var' / 'test.sqlite3'}"))}

# Hashed static names need collectstatic; the live test server serves the plain files.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CARM_CATCH_UP_ON_REQUEST = False  # a test runs the catch-up itself, never in a background thread
CELERY_BROKER_URL = "memory://"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True  # no collectstatic before tests
# The files tests write (search vectors, SMS, EDI and remittance drops, e-mail) in a folder of this run's
# own, apart from the portal's and from another run's (two runs in one checkout, xdist workers), removed at exit.
VAR_DIR = Path(tempfile.mkdtemp(prefix="carm-test-var-"))
atexit.register(shutil.rmtree, VAR_DIR, ignore_errors=True)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EDI_DROP_FOLDER = str(VAR_DIR / "edi" / "inbox")
CARM_REMITTANCE_INBOX = str(VAR_DIR / "remittance")
# The demo's tariff cut to the chapters it uses (09, 22, 61): seed_demo in seconds. The full shipped
# files keep their own tests (tests/tariff/test_shipped_data.py).
CARM_TARIFF_DATA_DIR = BASE_DIR / "tests" / "data" / "demo-tariff"
CARM_RULINGS_EVIDENCE = BASE_DIR / "tests" / "tariff" / "data" / "rulings-evidence-sample.jsonl"
CARM_NOTIFY_SMS_FILE = str(VAR_DIR / "sms.jsonl")
CARM_NOTIFY_RAISE = True
# RPP security is checked only by the tests that turn it on (tests/security): the other apps' fixtures
# file RPP CADs for accounts that post no security.
CARM_RPP_SECURITY_FROM = None
