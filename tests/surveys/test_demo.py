"""The demo data: plausible volumes, and the planted changes between waves."""

import pytest
from django.db.models import Avg, Count

from qms import demo as core_demo
from surveys import demo
from surveys.models import Answer, Participant, Response, Series, Wave
from tests.worlds import module_world

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("surveys-demo"),
    pytest.mark.single_db,
]


# Three waves of about 3000 answers take seconds to seed: once per module.
@module_world
def seeded():
    """The core demo and the surveys demo."""
    ctx = core_demo.seed()
    demo.seed(ctx)
    return ctx


def _means(code):
    return [
        row["m"]
        for row in Answer.objects.filter(
            question__code=code, wave__series__code=demo.YEARLY_CODE
        )
        .values("wave__opens_on")
        .annotate(m=Avg("value_int"))
        .order_by("wave__opens_on")
    ]


def test_demo_has_three_closed_waves_of_about_3000_answers(seeded):
    waves = list(
        Wave.objects.filter(series__code=demo.YEARLY_CODE, status=Wave.Status.CLOSED)
        .annotate(n=Count("responses"))
        .order_by("opens_on")
    )
    assert len(waves) == 3
    assert all(2500 <= w.n <= 3500 for w in waves)
    # The plan of the next wave is a draft.
    assert Wave.objects.filter(series__code=demo.YEARLY_CODE, status="draft").exists()
    # Anonymous: no response links to a participant.
    assert not Response.objects.filter(
        wave__series__code=demo.YEARLY_CODE, participant__isnull=False
    ).exists()
    # About 30 % response rate.
    wave = waves[-1]
    invited = Participant.objects.filter(wave=wave).count()
    assert 0.25 < wave.n / invited < 0.35


def test_demo_plants_real_changes_and_noise(seeded):
    wait = _means("Q_WAIT_TIME")
    bill = _means("Q_BILL_CLEAR")
    polite = _means("Q_STAFF_POLITE")
    assert wait[2] - wait[0] > 0.4
    assert bill[1] - bill[2] > 0.25
    assert max(polite) - min(polite) < 0.1


def test_demo_post_complaint_series_and_second_run(seeded):
    series = Series.objects.get(code=demo.POST_CODE)
    assert series.kind == Series.Kind.POST_COMPLAINT
    before = Response.objects.count()
    demo.seed(seeded)
    assert Response.objects.count() == before
