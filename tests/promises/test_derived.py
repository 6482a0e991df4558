"""An indicator derived from the complaints area reads the measures registry:
its fulfilment is complaints' own figure, no case rows are copied."""

import datetime

import pytest
import time_machine

from complaints.models import Case
from promises import monitoring
from promises.models import FulfilmentEvent, PromiseIndicator
from qms import measures
from qms.models import Channel
from tests.factories import OrgUnitFactory

from .helpers import at, make_indicator, make_promise, publish


@pytest.fixture
def cases(db):
    unit = OrgUnitFactory()
    phone = Channel.objects.get(code="phone")
    # received, acknowledged how many hours after the deadline (None: never)
    specs = [
        (at(2026, 3, 2, 10), -20),  # on time
        (at(2026, 3, 3, 10), -1),  # on time
        (at(2026, 3, 9, 10), 30),  # late
        (at(2026, 4, 6, 10), -5),  # on time
        (at(2026, 4, 7, 10), None),  # never acknowledged: late at its deadline
    ]
    for number, (received, late_by) in enumerate(specs, start=1):
        due = received + datetime.timedelta(days=1)
        Case.objects.create(
            reference=f"K-2026-{number:06d}",
            channel=phone,
            org_unit=unit,
            description="x",
            received_at=received,
            acknowledge_due_at=due,
            acknowledged_at=None
            if late_by is None
            else due + datetime.timedelta(hours=late_by),
        )
    with time_machine.travel(at(2026, 5, 10), tick=False):
        yield


def test_derived_indicator_reads_the_complaints_measure(quality_manager, cases):
    promise = make_promise(quality_manager, title="Complaints acknowledged")
    indicator = make_indicator(
        promise,
        kind=PromiseIndicator.Kind.MEASURE,
        source_measure="complaints.acknowledged_on_time_share",
        target_share="0.950",
    )
    publish(promise, quality_manager)
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 5, 1)
    points = monitoring.indicator_points([indicator], start, end, "month")[indicator.pk]
    assert [(p.start, p.successes, p.trials) for p in points] == [
        (datetime.date(2026, 3, 1), 2, 3),
        (datetime.date(2026, 4, 1), 1, 2),
    ]
    expected = measures.get("complaints.acknowledged_on_time_share").points(
        start, end, period="month"
    )
    assert [(p.successes, p.trials) for p in points] == [
        (p.successes, p.trials) for p in expected
    ]
    # Nothing was copied into fulfilment events.
    assert not FulfilmentEvent.objects.exists()
    # 2 of 3 (CI 0.21-0.94) and 1 of 2 (0.09-0.91) lie wholly below 95 %.
    (flag,) = monitoring.promises_needing_review()
    assert flag.indicator == indicator
    assert [r.status for r in flag.rows] == [monitoring.BELOW, monitoring.BELOW]


def test_derived_indicator_takes_no_events(quality_manager):
    from django.core.exceptions import ValidationError

    from promises import services

    promise = make_promise(quality_manager)
    indicator = make_indicator(
        promise,
        kind=PromiseIndicator.Kind.MEASURE,
        source_measure="complaints.acknowledged_on_time_share",
    )
    with pytest.raises(ValidationError):
        services.event_record(
            event=FulfilmentEvent(indicator=indicator, kept=True), by=None
        )
