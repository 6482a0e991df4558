"""Pages of the standards area (who may open which is in
tests/qms/access_matrix.py), missing records, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.models import Membership
from standards import services
from standards.models import Acknowledgement, Criterion
from tests.factories import OrgUnitFactory, UserFactory
from tests.standards.helpers import add_criterion, approve, make_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(process_owner, quality_manager):
    standard = make_standard(process_owner)
    version = standard.document.versions.get()
    add_criterion(
        version,
        good_example="Good morning, Customer Service",
        bad_example="Yes?",
        is_critical=True,
    )
    approve(version, process_owner, quality_manager)
    return standard


def _urls(standard):
    return {
        "home": reverse("standards:home"),
        "mine": reverse("standards:my-standards"),
        "detail": reverse("standards:standard-detail", args=[standard.pk]),
    }


def test_staff_reads_and_acknowledges(client_for, service_staff, standard):
    client = client_for(service_staff)
    for url in _urls(standard).values():
        assert client.get(url).status_code == 200
    page = client.get(reverse("standards:standard-detail", args=[standard.pk]))
    body = page.content.decode()
    assert "Good morning, Customer Service" in body and "Yes?" in body
    assert "no-print" in body
    assert "I have read this version" in body
    response = client.post(reverse("standards:acknowledge", args=[standard.pk, 1]))
    assert response.status_code == 302
    assert Acknowledgement.objects.filter(user=service_staff).count() == 1
    page = client.get(reverse("standards:my-standards"))
    assert "not read yet" not in page.content.decode()


def test_quality_manager_creates_a_standard_and_sees_coverage(
    client_for, quality_manager, standard
):
    client = client_for(quality_manager)
    assert client.get(reverse("standards:coverage")).status_code == 200
    from qms.models import Channel

    response = client.post(
        reverse("standards:standard-create"),
        {
            "identifier": "STD-NEW",
            "title": "Chat standard",
            "channels": [Channel.objects.get(code="chatbot").pk],
            "purpose": "Honest bots.",
            "scope": "",
            "body": "Say it is a bot.",
        },
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_process_owner_drafts_criteria_only_in_drafts(
    client_for, process_owner, standard
):
    client = client_for(process_owner)
    create_v1 = reverse("standards:criterion-create", args=[standard.pk, 1])
    response = client.post(
        create_v1,
        {"order": 20, "behaviour": "Says goodbye.", "weight": 1, "scoring": "yes_no"},
    )
    assert response.status_code == 200  # version 1 is approved: refused
    assert not Criterion.objects.filter(behaviour="Says goodbye.").exists()
    response = client.post(
        reverse("standards:version-create", args=[standard.pk]),
        {"change_reason": "Add a closing"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("standards:criterion-create", args=[standard.pk, 2]),
        {"order": 20, "behaviour": "Says goodbye.", "weight": 1, "scoring": "yes_no"},
    )
    assert response.status_code == 302
    assert standard.document.versions.get(number=2).criteria.count() == 2
    criterion = Criterion.objects.get(behaviour="Says goodbye.")
    url = reverse("standards:criterion-detail", args=[standard.pk, 2, criterion.pk])
    assert client.get(url).status_code == 200


def test_missing_standard_or_version_is_404(client_for, quality_manager, standard):
    client = client_for(quality_manager)
    assert (
        client.get(reverse("standards:standard-detail", args=[999])).status_code == 404
    )
    assert (
        client.get(
            reverse("standards:standard-detail", args=[standard.pk]) + "?version=9"
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("standards:acknowledge", args=[standard.pk, 9])).status_code
        == 404
    )


def _grow(process_owner, quality_manager, start, n):
    for i in range(start, start + n):
        std = make_standard(
            process_owner,
            f"STD-{i}",
            f"Standard {i}",
            ["phone", "email", "letter"][i % 3],
        )
        version = std.document.versions.get()
        add_criterion(version)
        version = approve(version, process_owner, quality_manager)
        unit = OrgUnitFactory()
        for j in range(2):
            user = UserFactory(username=f"u{i}-{j}")
            Membership.objects.create(user=user, unit=unit)
            if j:
                services.acknowledge(user=user, version=version)


@pytest.mark.parametrize(
    "name", ["standards:coverage", "standards:my-standards", "standards:home"]
)
def test_constant_queries(client_for, quality_manager, process_owner, name):
    client = client_for(quality_manager)
    url = reverse(name)
    _grow(process_owner, quality_manager, 0, 2)
    client.get(url)  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(process_owner, quality_manager, 2, 5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)
