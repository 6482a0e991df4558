"""Settings for the test suite: fast hashing, in-memory cache, no secure redirect."""

import os

os.environ.setdefault("SECRET_KEY", "test-" + "x" * 60)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("QMS_ENV_FILE", "/nonexistent")

from qms.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
LANGUAGE_CODE = "en"
# Throttling is off by default so force_login/client.login need no request;
# tests/qms/test_login_throttling.py switches it on.
AXES_ENABLED = False
