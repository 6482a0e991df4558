"""A fake measure whose figures the test decides: the plan's filters carry
the baseline and follow-up statistics, so verdicts are tested on constructed
before/after data without building thousands of cases."""

import datetime

import pytest

from qms import measures
from qms.measures import Measure, Point

FAKE_RATE = "tests.fake_rate"
FAKE_SHARE = "tests.fake_share"
FAKE_MEAN = "tests.fake_mean"
# Periods starting before this date are "baseline", the others "follow-up".
CUTOFF = datetime.date(2024, 6, 1)


def _compute(start, end, *, period, filters):
    stats = filters.get("before" if start < CUTOFF else "after", {})
    return [
        Point(start=lo, end=hi, **stats)
        for _key, lo, hi in measures.period_buckets(start, end, period)
    ]


@pytest.fixture
def fake_measures():
    for key, kind, higher in (
        (FAKE_RATE, measures.RATE, False),
        (FAKE_SHARE, measures.SHARE, True),
        (FAKE_MEAN, measures.MEAN, True),
    ):
        measures.register(
            Measure(
                key=key, label=key, kind=kind, compute=_compute, higher_is_better=higher
            )
        )
    yield
    for key in (FAKE_RATE, FAKE_SHARE, FAKE_MEAN):
        measures.unregister(key)
