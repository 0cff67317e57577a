"""The test suite: SQLite in memory unless DATABASE_URL names another database."""

import os

from .base import *
from .base import env

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105 - used by the test suite alone
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
HAVEN_BASE_URL = "http://testserver"
HAVEN_DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
if not env.str("DATABASE_URL", default=""):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Browser tests drive a live server from the sync Playwright API inside the test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
