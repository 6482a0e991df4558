"""Fulfilment rate per period, its Wilson interval, the classification
against the target, needs-review, the measure and the report section."""

import datetime

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from promises import monitoring, reports
from promises.models import PromiseIndicator
from qms import measures
from qms.reporting import ReportPeriod, SectionRequest

from .helpers import add_events, at, make_indicator, make_promise, publish

KEPT = PromiseIndicator.Kind.KEPT


@pytest.fixture
def indicator(quality_manager):
    promise = make_promise(quality_manager)
    return make_indicator(promise, kind=KEPT, target_share="0.950")


def test_rate_and_wilson_interval_match_hand_worked_example_and_scipy(indicator):
    # January: 45 kept of 50, plus two excluded events that must not count.
    add_events(indicator, at(2026, 1, 15), 45, 5)
    add_events(
        indicator, at(2026, 1, 16), 1, 1, excluded=True, exclusion_reason="Outage"
    )
    add_events(indicator, at(2026, 2, 10), 30, 0)
    points = monitoring.event_points(
        [indicator], datetime.date(2026, 1, 1), datetime.date(2026, 3, 1), "month"
    )[indicator.pk]
    assert [(p.start, p.successes, p.trials) for p in points] == [
        (datetime.date(2026, 1, 1), 45, 50),
        (datetime.date(2026, 2, 1), 30, 30),
    ]
    january = monitoring.rows_for(points, indicator.target)[0]
    assert january.rate == pytest.approx(0.9)
    # Hand-worked: z = 1.95996, centre (0.9 + z²/100) / (1 + z²/50) = 0.87147,
    # half-width z·√(0.0018 + z²/10000) / (1 + z²/50) = 0.08506.
    assert january.interval.low == pytest.approx(0.7864, abs=1e-4)
    assert january.interval.high == pytest.approx(0.9565, abs=1e-4)
    reference = binomtest(45, 50).proportion_ci(method="wilson")
    assert january.interval.low == pytest.approx(reference.low, abs=1e-9)
    assert january.interval.high == pytest.approx(reference.high, abs=1e-9)
    assert january.status == monitoring.AT_RISK


def test_quarter_buckets_sum_the_months(indicator):
    add_events(indicator, at(2026, 1, 15), 10, 1)
    add_events(indicator, at(2026, 3, 31, 23, 30), 5, 0)  # local time, still Q1
    add_events(indicator, at(2026, 4, 1, 0, 30), 0, 2)
    points = monitoring.event_points(
        [indicator], datetime.date(2026, 1, 1), datetime.date(2026, 7, 1), "quarter"
    )[indicator.pk]
    assert [(p.successes, p.trials) for p in points] == [(15, 16), (0, 2)]


def test_classification_at_the_boundaries():
    interval = monitoring.statistics.wilson_interval(45, 50)
    # The whole interval below the target: below.
    assert monitoring.classify(45, 50, interval.high + 1e-9) == monitoring.BELOW
    # The interval reaches the target exactly: at risk, not below.
    assert monitoring.classify(45, 50, interval.high) == monitoring.AT_RISK
    assert monitoring.classify(45, 50, 0.95) == monitoring.AT_RISK
    # The target just above the lower bound: still straddles.
    assert monitoring.classify(45, 50, interval.low + 1e-9) == monitoring.AT_RISK
    # The whole interval at or above the target: meets.
    assert monitoring.classify(45, 50, interval.low) == monitoring.MEETS
    assert monitoring.classify(45, 50, 0.70) == monitoring.MEETS
    assert monitoring.classify(0, 0, 0.95) == monitoring.NO_DATA


def _rows(*statuses):
    interval = monitoring.statistics.wilson_interval(1, 1)
    day = datetime.date(2026, 1, 1)
    return [monitoring.Row(day, day, 1, 1, interval, s) for s in statuses]


def test_needs_review_after_n_consecutive_periods(settings):
    B, R, M = monitoring.BELOW, monitoring.AT_RISK, monitoring.MEETS
    assert monitoring.needs_review(_rows(M, B, R))
    assert not monitoring.needs_review(_rows(B, R, M))
    assert not monitoring.needs_review(_rows(B, M, R))
    assert not monitoring.needs_review(_rows(R))
    settings.PROMISES_REVIEW_AFTER_PERIODS = 3
    assert not monitoring.needs_review(_rows(M, B, R))
    assert monitoring.needs_review(_rows(R, B, R))


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, 0), tick=False)
def test_published_promise_below_target_needs_review(quality_manager):
    failing = make_promise(quality_manager, title="Failing")
    failing_indicator = make_indicator(failing, kind=KEPT)
    publish(failing, quality_manager)
    fine = make_promise(quality_manager, title="Fine")
    fine_indicator = make_indicator(fine, kind=KEPT, target_share="0.800")
    publish(fine, quality_manager)
    draft = make_promise(quality_manager, title="Draft")
    draft_indicator = make_indicator(draft, kind=KEPT)
    for month in (3, 4):
        add_events(failing_indicator, at(2026, month, 10), 80, 20)
        add_events(fine_indicator, at(2026, month, 10), 99, 1)
        add_events(draft_indicator, at(2026, month, 10), 10, 90)
    # The running month (May) does not count yet.
    add_events(failing_indicator, at(2026, 5, 5), 100, 0)
    flags = monitoring.promises_needing_review()
    assert [f.promise.title for f in flags] == ["Failing"]
    assert [r.status for r in flags[0].rows] == [monitoring.BELOW] * 2


def test_fulfilment_measure_filters_by_promise(quality_manager, indicator):
    other = make_indicator(make_promise(quality_manager, title="Other"), kind=KEPT)
    add_events(indicator, at(2026, 1, 15), 9, 1)
    add_events(other, at(2026, 1, 15), 1, 9)
    measure = measures.get("promises.fulfilment_share")
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)
    (point,) = measure.points(start, end, filters={"promise": indicator.promise_id})
    assert (point.successes, point.trials) == (9, 10)
    (both,) = measure.points(start, end, period="month")
    assert (both.successes, both.trials) == (10, 20)


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, 0), tick=False)
def test_report_section_lists_fulfilment_and_review_signals(quality_manager, indicator):
    publish(indicator.promise, quality_manager)
    add_events(indicator, at(2026, 3, 10), 60, 40)
    add_events(indicator, at(2026, 4, 10), 60, 40)
    section = reports.section(
        SectionRequest(
            period=ReportPeriod(
                "month", datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)
            )
        )
    )
    assert section.key == "promises"
    (row,) = section.tables[0].rows
    assert row[2:4] == [60, 100]
    assert row[-1] == "below target"
    assert section.indicators[0].filters == {"promise": indicator.promise_id}
    assert section.signals and section.signals[0].level == "breach"


@pytest.mark.parametrize("count", [2, 8])
@time_machine.travel(datetime.datetime(2026, 5, 10, 12, 0), tick=False)
def test_dashboard_review_list_runs_two_queries(
    quality_manager, django_assert_num_queries, count
):
    for i in range(count):
        promise = make_promise(quality_manager, title=f"Promise {i}")
        indicator = make_indicator(promise, kind=KEPT)
        publish(promise, quality_manager)
        for month in (3, 4):
            add_events(indicator, at(2026, month, 10), 5, 5)
    # Indicators with their promises and owners (1); events grouped by
    # indicator and month (1). Derived indicators add their measure's own.
    with django_assert_num_queries(2):
        flags = monitoring.promises_needing_review()
    assert len(flags) == count


@given(
    n=st.integers(min_value=1, max_value=5000),
    share=st.floats(min_value=0, max_value=1),
    target=st.floats(min_value=0.01, max_value=1),
)
def test_classification_agrees_with_the_interval(n, share, target):
    successes = round(n * share)
    interval = monitoring.statistics.wilson_interval(successes, n)
    status = monitoring.classify(successes, n, target)
    assert (status == monitoring.BELOW) == (interval.high < target)
    assert (status == monitoring.MEETS) == (interval.low >= target)
    # One more kept event never makes the classification worse.
    if successes < n:
        order = [monitoring.BELOW, monitoring.AT_RISK, monitoring.MEETS]
        better = monitoring.classify(successes + 1, n, target)
        assert order.index(better) >= order.index(status)
