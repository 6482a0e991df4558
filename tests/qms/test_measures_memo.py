"""qms.measures.memoized, shared and prefetch: identical calls within one
build compute once, slices of a longer range equal a direct call, nothing is
kept outside the block, batch calls equal one call per value."""

import datetime

import pytest

from qms import measures
from qms.measures import COUNT, Measure, Point

JAN = datetime.date(2026, 1, 1)


def _counting_measure(calls: list, batch=False) -> Measure:
    """A count measure whose value in a month is the month number (plus the
    filter ``n``); it records every compute and batch call."""

    def compute(start, end, *, period, filters):
        calls.append(("compute", start, end, period, dict(filters)))
        return [
            Point(start=lo, end=hi, count=key.month + (filters.get("n") or 0))
            for key, lo, hi in measures.period_buckets(start, end, period)
        ]

    def batch_compute(start, end, *, period, filters, values):
        calls.append(("batch", start, end, period, tuple(values)))
        return {
            v: [
                Point(start=lo, end=hi, count=key.month + v)
                for key, lo, hi in measures.period_buckets(start, end, period)
            ]
            for v in values
        }

    return Measure(
        key="test.counting",
        label="Counting",
        kind=COUNT,
        compute=compute,
        batch=batch_compute if batch else None,
        batch_filter="n" if batch else "",
    )


def test_identical_calls_compute_once_inside_the_block_only():
    calls = []
    measure = _counting_measure(calls)
    end = datetime.date(2026, 7, 1)
    with measures.memoized():
        first = measure.points(JAN, end, period="month", filters={"n": 1})
        again = measure.points(JAN, end, period="month", filters={"n": 1})
        other = measure.points(JAN, end, period="month", filters={"n": 2})
    assert first == again
    assert [p.count for p in other] == [p.count + 1 for p in first]
    assert len(calls) == 2
    measure.points(JAN, end, period="month", filters={"n": 1})
    assert len(calls) == 3  # off outside the block


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (datetime.date(2026, 3, 1), datetime.date(2026, 5, 1), "month"),
        (JAN, datetime.date(2026, 2, 1), "month"),
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 17), "month"),
        (JAN, datetime.date(2026, 4, 1), "quarter"),
    ],
)
def test_whole_buckets_of_a_longer_range_are_sliced_and_equal_a_direct_call(
    start, end, period
):
    calls = []
    measure = _counting_measure(calls)
    direct = measure.points(start, end, period=period)
    with measures.memoized():
        measure.points(JAN, datetime.date(2026, 6, 17), period=period)
        sliced = measure.points(start, end, period=period)
    assert sliced == direct
    assert len(calls) == 2  # the direct call and the long one


@pytest.mark.parametrize(
    ("start", "end", "period"),
    [
        (datetime.date(2026, 3, 15), datetime.date(2026, 5, 1), "month"),  # mid-month
        (datetime.date(2026, 3, 1), datetime.date(2026, 4, 20), "month"),
        (datetime.date(2026, 3, 1), datetime.date(2026, 5, 1), None),  # a total
        (datetime.date(2025, 12, 1), datetime.date(2026, 2, 1), "month"),  # outside
    ],
)
def test_partial_buckets_and_totals_are_computed_not_sliced(start, end, period):
    calls = []
    measure = _counting_measure(calls)
    with measures.memoized():
        measure.points(JAN, datetime.date(2026, 6, 17), period="month")
        got = measure.points(start, end, period=period)
    assert got == measure.points(start, end, period=period)
    assert calls[1][1:4] == (start, end, period)


def test_prefetch_computes_every_value_of_the_batch_filter_in_one_call():
    calls = []
    measure = _counting_measure(calls, batch=True)
    end = datetime.date(2026, 4, 1)
    wanted = [measures.Call(measure, JAN, end, "month", {"n": n}) for n in (1, 2, 3, 2)]
    with measures.memoized():
        measures.prefetch(wanted)
        got = {
            n: measure.points(JAN, end, period="month", filters={"n": n})
            for n in (1, 2, 3)
        }
    assert [c[0] for c in calls] == ["batch"]
    calls.clear()
    for n, points in got.items():
        assert points == measure.points(JAN, end, period="month", filters={"n": n})


def test_shared_aggregate_runs_once_per_key_within_the_block():
    runs = []

    def aggregate():
        runs.append(1)
        return {"n": len(runs)}

    with measures.memoized():
        assert measures.shared(("a", JAN), aggregate) == {"n": 1}
        assert measures.shared(("a", JAN), aggregate) == {"n": 1}
        assert measures.shared(("b", JAN), aggregate) == {"n": 2}
    assert measures.shared(("a", JAN), aggregate) == {"n": 3}


def test_unhashable_filters_are_computed_without_the_memo():
    calls = []
    measure = _counting_measure(calls)
    token = object()  # hashable; a bytearray is not
    with measures.memoized():
        for _ in range(2):
            measure.points(JAN, datetime.date(2026, 2, 1), filters={"x": token})
    assert len(calls) == 1
    with measures.memoized():
        for _ in range(2):
            measure.points(
                JAN, datetime.date(2026, 2, 1), filters={"x": bytearray(b"1")}
            )
    assert len(calls) == 3
