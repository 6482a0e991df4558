"""The PDF of a standard carries its criteria and page numbers."""

import subprocess

import pytest
from django.urls import reverse

from tests.standards.helpers import add_criterion, approve, make_standard

# PDF layout: the same whatever the engine.
pytestmark = [pytest.mark.django_db, pytest.mark.single_db]


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "standard.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_pdf_has_the_criteria_and_page_numbers(
    client_for, service_staff, process_owner, quality_manager, tmp_path
):
    standard = make_standard(process_owner)
    version = standard.document.versions.get()
    add_criterion(
        version,
        "Checks the caller's identity first.",
        good_example="May I have your personal code?",
        is_critical=True,
    )
    approve(version, process_owner, quality_manager)
    response = client_for(service_staff).get(
        reverse("standards:standard-pdf", args=[standard.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content, tmp_path)
    assert "Checks the caller's identity first." in text
    assert "May I have your personal code?" in text
    assert "1/1" in text.replace(" ", "")
    assert "STD-T" in text


def test_pdf_of_a_missing_standard_is_404(client_for, quality_manager):
    url = reverse("standards:standard-pdf", args=[999])
    assert client_for(quality_manager).get(url).status_code == 404
