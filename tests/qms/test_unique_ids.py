"""Element ids are unique on every busy page, so labels and aria references
point at the right control (WCAG 4.1.1 / 1.3.1)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from qms import services
from qms.areas import Area
from qms.models import Document
from tests.factories import register_case

ID = re.compile(r'\sid="([^"]+)"')


def _duplicates(html: str) -> list[str]:
    return [i for i, n in Counter(ID.findall(html)).items() if n > 1]


@pytest.mark.django_db
def test_busy_pages_have_unique_ids(client_for, quality_manager, process_owner):
    case = register_case(contact_email="mari@example.org")
    document = services.document_create(
        identifier="PD-T",
        title="T",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=process_owner,
        body="x",
    )
    version = document.versions.get()
    services.version_submit(version=version, by=process_owner)
    client = client_for(quality_manager)
    for url in [
        reverse("qms:home"),
        reverse("qms:customer-list"),
        version.get_absolute_url(),
        document.get_absolute_url(),
        reverse("complaints:case-list"),
        case.get_absolute_url(),
        reverse("complaints:case-create"),
        reverse("needs:home"),
        reverse("improvements:home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _duplicates(response.content.decode()) == [], url
