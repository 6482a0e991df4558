"""The demo promises: 8-12 promises with 24 months of events, one drifting
below target and one at risk; safe to run twice."""

import pytest

from promises import demo, monitoring
from promises.models import BrokenPromiseTag, FulfilmentEvent, Promise, PromiseReview
from qms import demo as core_demo

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = pytest.mark.single_db


def test_demo_promises_have_history_and_review_signals(db):
    ctx = core_demo.seed()
    demo.seed(ctx)  # with the complaints demo the tags need
    assert 8 <= Promise.objects.count() <= 12
    assert Promise.objects.published().count() >= 8
    for promise in Promise.objects.published().prefetch_related("indicators"):
        assert promise.indicators.exists()
    per_promise = FulfilmentEvent.objects.values("indicator__promise").distinct()
    assert per_promise.count() >= 8
    assert FulfilmentEvent.objects.count() > 8 * 300
    assert FulfilmentEvent.objects.filter(excluded=True).exists()
    assert PromiseReview.objects.count() == 1
    assert BrokenPromiseTag.objects.count() >= 2
    statuses = {
        flag.promise.title: [row.status for row in flag.rows]
        for flag in monitoring.promises_needing_review()
    }
    assert statuses["E-mail answered within one working day"] == [monitoring.BELOW] * 2
    assert monitoring.AT_RISK in statuses["Call-back within two working hours"]
    count = FulfilmentEvent.objects.count()
    demo.seed(ctx)
    assert FulfilmentEvent.objects.count() == count
