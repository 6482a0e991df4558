"""The PDF of a standard carries its criteria and page numbers."""

import pytest
from django.urls import reverse

from tests.pdf import pdf_text
from tests.standards.helpers import add_criterion, approve, make_standard

# PDF layout: the same whatever the engine.
pytestmark = [pytest.mark.django_db, pytest.mark.single_db]


def test_pdf_has_the_criteria_and_page_numbers(
    client_for, service_staff, process_owner, quality_manager
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
    text = pdf_text(response.content)
    assert "Checks the caller's identity first." in text
    assert "May I have your personal code?" in text
    assert "1/1" in text.replace(" ", "")
    assert "STD-T" in text


def test_pdf_of_a_missing_standard_is_404(client_for, quality_manager):
    url = reverse("standards:standard-pdf", args=[999])
    assert client_for(quality_manager).get(url).status_code == 404
