"""Settings safety: each case starts a fresh interpreter with a given environment.
Reading a setting loads the settings module only; ``django.setup()`` would
import every app (charts, statistics) for nothing, five seconds a case."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Settings read from the environment in subprocesses: no engine involved.
pytestmark = pytest.mark.single_db

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 20 + "r0duct10n-k3y-w1th-3n0ugh-3ntr0py-" + "z" * 20,
    "ALLOWED_HOSTS": "qms.example.org",
    "DATABASE_URL": "sqlite:////tmp/qms-settings-test.sqlite3",
}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        # Drop what the test settings put into this process's environment.
        if not k.startswith(
            ("DJANGO_", "SECRET_KEY", "DEBUG", "DATABASE_URL", "SECURE_", "ALLOWED_")
        )
        and not k.startswith(("QMS_", "CELERY_", "EMAIL_URL", "CACHE_URL"))
    }
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "qms.settings", "QMS_ENV_FILE": "/nonexistent"}
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_app_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _run(["manage.py", "check"], {})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_by_default():
    result = _run(
        [
            "-c",
            "from django.conf import settings; "
            "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, "
            "settings.SECURE_HSTS_SECONDS > 0, settings.CSRF_COOKIE_SECURE, "
            "settings.SESSION_COOKIE_HTTPONLY, settings.AXES_ENABLED, "
            "'unsafe-inline' in str(settings.CONTENT_SECURITY_POLICY))",
        ],
        {"SECRET_KEY": PRODUCTION["SECRET_KEY"]},
    )
    assert result.returncode == 0, result.stderr
    # Debug off; secure, HTTP-only cookies; HSTS; login throttling; a CSP
    # without 'unsafe-inline'.
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "False",
    ]


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "expression", "expected"),
    [
        ("TIME_ZONE", "", "settings.TIME_ZONE", "Europe/Tallinn"),
        ("HOLIDAYS_COUNTRY", "", "settings.HOLIDAYS_COUNTRY", "EE"),
        ("HOLIDAYS_COUNTRY", "FI", "settings.HOLIDAYS_COUNTRY", "FI"),
        (
            "DATABASE_URL",
            "",
            "settings.DATABASES['default']['ENGINE']",
            "django.db.backends.sqlite3",
        ),
        (
            "DATABASE_URL",
            "postgres://u@db.example.org:5432/qms",
            "settings.DATABASES['default']['ENGINE']",
            "django.db.backends.postgresql",
        ),
        (
            "EMAIL_URL",
            "",
            "settings.EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend",
        ),
        ("CELERY_BROKER_URL", "", "settings.CELERY_TASK_ALWAYS_EAGER", "True"),
        (
            "CELERY_BROKER_URL",
            "redis://127.0.0.1:6379/0",
            "settings.CELERY_TASK_ALWAYS_EAGER",
            "False",
        ),
    ],
)
def test_settings_come_from_the_environment(name, value, expression, expected):
    env = dict(PRODUCTION)
    env.pop("DATABASE_URL")
    if value:
        env[name] = value
    result = _run(
        [
            "-c",
            f"from django.conf import settings; print({expression})",
        ],
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_pdf_font_subsetting_does_not_flood_the_log():
    # WeasyPrint's fontTools logs each glyph table at INFO: hundreds of lines
    # a PDF in `seed_demo`'s output and in the server log.
    import logging

    assert not logging.getLogger("fontTools.subset").isEnabledFor(logging.INFO)
    assert logging.getLogger("fontTools.subset").isEnabledFor(logging.WARNING)
    assert logging.getLogger("qms").isEnabledFor(logging.INFO)
