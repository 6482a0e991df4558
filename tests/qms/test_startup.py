"""Start-up stays light: the registries' modules (measures, personal data,
panels), which every process imports when Django starts, load no heavy
library. A web or Celery worker pays for scipy, matplotlib, WeasyPrint or
openpyxl only when it first draws a chart, tests a change or writes a file."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.single_db

HEAVY = ("scipy", "matplotlib", "weasyprint", "openpyxl", "numpy")

PROBE = """
import sys
import django
django.setup()
print(" ".join(name for name in {heavy!r} if name in sys.modules))
"""


def test_django_start_up_imports_no_heavy_library(settings):
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "qms.settings",
            "QMS_ENV_FILE": "/nonexistent",
            "SECRET_KEY": "start-up-probe",
            "DEBUG": "true",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.stdout.split() == []
