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


def test_demo_monitoring_data_has_a_weak_criterion():
    import time

    from django.utils import timezone

    from standards import results
    from standards.demo_evaluations import WEAK
    from standards.models import (
        CalibrationSession,
        Evaluation,
        Interaction,
        TimelinessFigure,
    )

    ctx = core_demo.seed()
    started = time.monotonic()
    demo.seed(ctx)
    assert time.monotonic() - started < 10  # a few seconds; generous on CI
    count = Evaluation.objects.regular().count()
    assert 1800 <= count <= 2200
    today = timezone.localdate()
    filters = results.Filters(
        start=today.replace(day=1).replace(year=today.year - 1),
        end=today.replace(day=1).replace(year=today.year + 1),
    )
    weak = [r for r in results.by_criterion(filters) if r.behaviour == WEAK]
    failed = sum(r.failed for r in weak)
    applicable = sum(r.applicable for r in weak)
    assert 0.5 < 1 - failed / applicable < 0.7
    others = [r for r in results.by_criterion(filters) if r.behaviour != WEAK]
    assert all(r.share.estimate > 0.75 for r in others)
    assert Evaluation.objects.filter(critical_fail=True).exists()
    assert Evaluation.objects.filter(status=Evaluation.Status.DISPUTED).exists()
    assert CalibrationSession.objects.get().evaluations.count() == 4
    assert Interaction.objects.filter(picked=True).exists()
    months = {
        d.strftime("%Y-%m") for d in TimelinessFigure.objects.dates("date", "month")
    }
    assert len(months) == 12
    demo.seed(ctx)
    assert Evaluation.objects.regular().count() == count
