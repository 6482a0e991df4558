"""Time indicators count working days and hours with the working calendar:
weekends, Estonian public holidays and closure days do not count."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from promises import services
from promises.models import FulfilmentEvent, PromiseIndicator
from qms.models import ClosureDay

from .helpers import at, make_indicator, make_promise

U = PromiseIndicator.TimeUnit


@pytest.fixture
def promise(quality_manager):
    return make_promise(quality_manager)


def record(indicator, start, end, by=None) -> FulfilmentEvent:
    return services.event_record(
        event=FulfilmentEvent(indicator=indicator, started_at=start, ended_at=end),
        by=by,
    )


def test_one_working_day_spans_the_weekend(promise):
    indicator = make_indicator(promise, time_limit=1, time_unit=U.WORKING_DAYS)
    # Friday 20 Feb 2026 -> Monday 23 Feb: Saturday and Sunday do not count.
    event = record(indicator, at(2026, 2, 20, 16), at(2026, 2, 23, 15))
    assert event.elapsed == 1
    assert event.kept is True
    assert event.occurred_at == at(2026, 2, 20, 16)
    # Friday -> Thursday 26 Feb: three working days (Tuesday is a holiday).
    assert record(indicator, at(2026, 2, 20, 16), at(2026, 2, 24 + 2, 9)).kept is False


def test_public_holiday_does_not_count(promise):
    indicator = make_indicator(promise, time_limit=1, time_unit=U.WORKING_DAYS)
    # Tuesday 24 Feb 2026 is Independence Day: Monday -> Wednesday is one
    # working day, so the promise is kept.
    event = record(indicator, at(2026, 2, 23, 10), at(2026, 2, 25, 9))
    assert event.elapsed == 1
    assert event.kept is True
    # The same span a week later (no holiday) is two working days.
    assert record(indicator, at(2026, 3, 2, 10), at(2026, 3, 4, 9)).kept is False


def test_closure_day_does_not_count(promise):
    ClosureDay.objects.create(date=datetime.date(2026, 3, 5), reason="Staff day")
    indicator = make_indicator(promise, time_limit=1, time_unit=U.WORKING_DAYS)
    event = record(indicator, at(2026, 3, 4, 12), at(2026, 3, 6, 12))
    assert event.elapsed == 1
    assert event.kept is True


def test_working_hours_stop_overnight_and_over_the_weekend(promise):
    indicator = make_indicator(promise, time_limit=2, time_unit=U.WORKING_HOURS)
    # Friday 16:30 -> Monday 10:00: half an hour on Friday, one on Monday.
    kept = record(indicator, at(2026, 3, 6, 16, 30), at(2026, 3, 9, 10))
    assert kept.elapsed == pytest.approx(1.5)
    assert kept.kept is True
    broken = record(indicator, at(2026, 3, 6, 16, 30), at(2026, 3, 9, 11, 1))
    assert broken.elapsed == pytest.approx(2.5 + 1 / 60)
    assert broken.kept is False


def test_working_hours_skip_a_holiday(promise):
    indicator = make_indicator(promise, time_limit=2, time_unit=U.WORKING_HOURS)
    # Monday 23 Feb 16:00 -> Wednesday 25 Feb 10:00 (Tuesday a holiday): 2 h.
    event = record(indicator, at(2026, 2, 23, 16), at(2026, 2, 25, 10))
    assert event.elapsed == pytest.approx(2)
    assert event.kept is True


def test_calendar_hours_count_the_weekend(promise):
    indicator = make_indicator(promise, time_limit=48, time_unit=U.CALENDAR_HOURS)
    event = record(indicator, at(2026, 3, 6, 16), at(2026, 3, 9, 10))
    assert event.elapsed == pytest.approx(66)
    assert event.kept is False


def test_seconds_limit_is_inclusive(promise):
    indicator = make_indicator(promise, time_limit=60, time_unit=U.SECONDS)
    start = at(2026, 3, 2, 10)
    assert record(indicator, start, start + datetime.timedelta(seconds=60)).kept
    assert not record(indicator, start, start + datetime.timedelta(seconds=61)).kept


def test_time_event_needs_start_and_stop_in_order(promise):
    indicator = make_indicator(promise, time_limit=1, time_unit=U.WORKING_DAYS)
    with pytest.raises(ValidationError):
        record(indicator, at(2026, 3, 2), None)
    with pytest.raises(ValidationError):
        record(indicator, at(2026, 3, 3), at(2026, 3, 2))
    assert not FulfilmentEvent.objects.exists()


def test_level_indicator_compares_with_the_threshold(promise):
    indicator = make_indicator(
        promise,
        kind=PromiseIndicator.Kind.LEVEL,
        threshold=2.5,
        direction=PromiseIndicator.Direction.AT_LEAST,
    )
    for value, kept in ((2.5, True), (2.49, False), (3.1, True)):
        event = services.event_record(
            event=FulfilmentEvent(indicator=indicator, value=value), by=None
        )
        assert event.kept is kept


def test_kept_indicator_needs_the_answer(promise):
    indicator = make_indicator(promise, kind=PromiseIndicator.Kind.KEPT)
    with pytest.raises(ValidationError):
        services.event_record(event=FulfilmentEvent(indicator=indicator), by=None)
    event = services.event_record(
        event=FulfilmentEvent(indicator=indicator, kept=False, reason="Forgot"),
        by=None,
    )
    assert event.kept is False
