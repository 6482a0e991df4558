"""The demo standards: five channels, 5 to 8 criteria each, twice safe."""

import pytest

from qms import demo as core_demo
from qms.selectors import effective_version
from standards import demo
from standards.models import Acknowledgement, Standard

pytestmark = pytest.mark.django_db


def test_demo_standards_are_effective_and_seeded_once():
    ctx = core_demo.seed()
    demo.seed(ctx)
    assert Standard.objects.count() == 5
    for standard in Standard.objects.select_related("document"):
        version = effective_version(standard.document)
        assert version is not None
        assert version.author.username == "owner2"
        assert version.approver.username == "quality"
        assert 5 <= version.criteria.count() <= 8
        assert version.criteria.filter(is_critical=True).exists()
    codes = set(Standard.objects.values_list("channels__code", flat=True))
    assert codes == {"phone", "email", "letter", "chatbot", "in-person"}
    acks = Acknowledgement.objects.count()
    assert acks > 0
    demo.seed(ctx)
    assert Standard.objects.count() == 5
    assert Acknowledgement.objects.count() == acks


def test_demo_pages_render(client):
    from django.urls import reverse

    ctx = core_demo.seed()
    demo.seed(ctx)
    client.force_login(ctx.users["agent"])
    mine = client.get(reverse("standards:my-standards"))
    assert mine.status_code == 200
    assert "Chatbot standard" in mine.content.decode()
    for standard in Standard.objects.all():
        page = client.get(standard.get_absolute_url())
        assert page.status_code == 200
    client.force_login(ctx.users["quality"])
    coverage = client.get(reverse("standards:coverage"))
    assert coverage.status_code == 200
    assert client.get(reverse("standards:home")).status_code == 200
