"""Monitoring figures against a hand-computed fixture (Estonian calendar:
24 February is Independence Day)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from needs import measures, monitoring, services
from needs.models import Need
from needs.monitoring import GridPoint, grid_svg
from tests.factories import SegmentFactory, ServiceFactory, UserFactory

from .helpers import make_need


def _decided(need, status, day):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    Need.objects.filter(pk=need.pk).update(
        status=status, decision=status, decided_at=moment
    )


@pytest.fixture
def fixture(db):
    owner = UserFactory()
    homes, business = SegmentFactory(name="Homes"), SegmentFactory(name="Business")
    a = make_need(
        identified_on=datetime.date(2026, 2, 20), source="survey", owner=owner,
        segments=[homes],
    )  # fmt: skip
    # Fri 20 Feb -> Wed 25 Feb: Mon 23, (Tue 24 holiday), Wed 25 = 2 working days.
    _decided(a, Need.Status.ACCEPTED, datetime.date(2026, 2, 25))
    b = make_need(
        identified_on=datetime.date(2026, 2, 2), source="complaint", owner=owner,
        segments=[business],
    )  # fmt: skip
    # Mon 2 Feb -> Mon 16 Mar: 18 working days in February, 11 in March = 29.
    _decided(b, Need.Status.REJECTED, datetime.date(2026, 3, 16))
    make_need(
        identified_on=datetime.date(2026, 3, 10), source="survey", segments=[homes],
        next_review_date=datetime.date(2026, 3, 20), importance=5, performance=1,
    )  # fmt: skip
    d = make_need(identified_on=datetime.date(2026, 1, 15), source="complaint",
                  owner=owner)  # fmt: skip
    _decided(d, Need.Status.ACCEPTED, datetime.date(2026, 1, 20))
    services.link_add(need=d, target=ServiceFactory(), kind="answers")


def test_figures_match_the_hand_computation(fixture):
    figures = monitoring.figures(
        datetime.date(2026, 2, 1),
        datetime.date(2026, 4, 1),
        today=datetime.date(2026, 4, 1),
    )
    assert figures.new_total == 3
    assert figures.by_month_source == {
        datetime.date(2026, 2, 1): {"complaint": 1, "survey": 1},
        datetime.date(2026, 3, 1): {"survey": 1},
    }
    assert figures.by_segment == {"Business": 1, "Homes": 2}
    assert figures.decided == 2
    assert figures.median_days_to_decision == 15.5  # median of 2 and 29
    assert figures.on_time_share == 0.5
    assert (figures.overdue_for_review, figures.open_needs) == (1, 3)
    assert figures.without_owner == 1
    assert (figures.covered, figures.accepted) == (1, 2)
    assert figures.coverage_share == 0.5


def test_measures_agree_with_the_page(fixture):
    start, end = datetime.date(2026, 2, 1), datetime.date(2026, 4, 1)
    points = measures.new_needs(start, end, period="month", filters={})
    assert [p.count for p in points] == [2, 1]
    share = measures.decided_on_time(start, end, period=None, filters={})
    assert (share[0].successes, share[0].trials) == (1, 2)


def test_grid_marks_high_importance_low_performance(fixture):
    grids = monitoring.grid_points()
    gaps = [p for p in grids["Homes"] if p.is_gap]
    assert len(gaps) == 1
    svg = grid_svg([GridPoint("N-1", 1, 5), GridPoint("N-2", 4, 4)], "Homes")
    assert svg.startswith("<svg") and 'aria-label="Homes"' in svg
    # The gap is drawn apart from the other needs (its own group and shape)
    # and the legend names both.
    assert '-priority"' in svg and '-points"' in svg
    assert "High importance, low performance" in svg and "Need" in svg


def test_grid_without_gaps_marks_no_priority():
    svg = grid_svg([GridPoint("N-1", 3, 5), GridPoint("N-2", 2, 3)], "Business")
    assert '-priority"' not in svg and '-points"' in svg


def test_monitoring_page_states_the_agreed_time_and_lists_gaps(
    client_for, executive, fixture
):
    html = (
        client_for(executive)
        .get(reverse("needs:monitoring"), {"start": "2026-02-01", "end": "2026-04-01"})
        .content.decode()
    )
    assert "20 working days" in html
    assert "<svg" in html
    gap = Need.objects.get(importance=5)
    assert gap.reference in html
