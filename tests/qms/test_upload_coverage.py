"""Every stored upload is checked by its content (qms.uploads.validate_upload).
A new FileField must be declared here with the test that proves its check."""

from django.apps import apps
from django.db import models

from qms.uploads import detect_type

# "app.Model.field" -> the test that posts a disguised executable and sees it refused.
CHECKED = {
    "complaints.Attachment.file": "tests/complaints/test_views_cases.py",
    "improvements.Action.evidence_file": "tests/improvements/test_views.py",
}
# Files the application writes itself; no user uploads into them.
GENERATED = {
    "reports.Report.pdf": "the issued report's PDF, rendered by reports.pdf",
}
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200


def test_every_file_field_is_declared_as_checked_by_content():
    found = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }
    missing = found - set(CHECKED) - set(GENERATED)
    assert not missing, (
        f"{sorted(missing)}: validate uploads with qms.uploads.validate_upload in "
        "the form or service, test a refused executable, then add the field to "
        "CHECKED in this file"
    )


def test_content_decides_not_the_name():
    assert detect_type(EXE) == "application/x-msdownload"
    assert detect_type(b"%PDF-1.7\n" + b"x" * 50) == "application/pdf"
    assert detect_type("Tere, õun".encode()) == "text/plain"
