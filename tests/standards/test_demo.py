"""The demo standards: five channels, 5 to 8 criteria each, twice safe."""

from typing import NamedTuple

import pytest
from django.urls import reverse
from django.utils import timezone

from qms import demo as core_demo
from qms.selectors import effective_version
from standards import demo, results
from standards.demo_evaluations import WEAK
from standards.models import (
    Acknowledgement,
    CalibrationSession,
    Evaluation,
    Interaction,
    Standard,
    TimelinessFigure,
)
from tests.worlds import module_world

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("standards-demo"),
    pytest.mark.single_db,
]


class Seeded(NamedTuple):
    ctx: core_demo.DemoContext


@module_world
def seeded() -> Seeded:
    """The core demo and the standards demo with its evaluations, seeded once
    for the module."""
    ctx = core_demo.seed()
    demo.seed(ctx)
    return Seeded(ctx)


def test_demo_standards_are_effective_and_seeded_once(seeded):
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
    demo.seed(seeded.ctx)
    assert Standard.objects.count() == 5
    assert Acknowledgement.objects.count() == acks


def test_demo_pages_render(client, seeded):
    client.force_login(seeded.ctx.users["agent"])
    mine = client.get(reverse("standards:my-standards"))
    assert mine.status_code == 200
    assert "Chatbot standard" in mine.content.decode()
    for standard in Standard.objects.all():
        page = client.get(standard.get_absolute_url())
        assert page.status_code == 200
    client.force_login(seeded.ctx.users["quality"])
    coverage = client.get(reverse("standards:coverage"))
    assert coverage.status_code == 200
    assert client.get(reverse("standards:home")).status_code == 200


def test_demo_monitoring_data_has_a_weak_criterion(seeded):
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
    demo.seed(seeded.ctx)
    assert Evaluation.objects.regular().count() == count
