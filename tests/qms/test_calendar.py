"""The working-day calendar against the real Estonian calendar.

Expected dates were checked by hand against ``calendar.month`` and the official
Estonian public holidays (Jan 1, Feb 24, Good Friday, Easter Sunday, May 1,
Pentecost, Jun 23, Jun 24, Aug 20, Dec 24-26).
"""

import datetime
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import assume, given
from hypothesis import strategies as st

from qms.calendar import (
    ClosureDaysNotLoaded,
    WorkingCalendar,
    add_working_days,
    add_working_hours,
    get_calendar,
    is_working_day,
    working_days_between,
    working_time_between,
)
from qms.models import ClosureDay

TALLINN = ZoneInfo("Europe/Tallinn")
UTC = datetime.UTC


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TALLINN)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


# Built without the database, so hypothesis tests can use it freely (hypothesis
# rejects function-scoped fixtures such as ``db``).
EE = WorkingCalendar("EE", tz=TALLINN)


# Working days: Estonian public holidays


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Dec 24 Thu, 25 Fri holidays, 26 Sat (holiday too), 27 Sun.
        (date(2026, 12, 23), 1, date(2026, 12, 28)),
        # Jan 1 2027 is a Friday holiday, then the weekend.
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        # Dec 28, 29, 30, 31, Jan 4.
        (date(2026, 12, 23), 5, date(2027, 1, 4)),
        # Victory Day Jun 23 (Tue) and Midsummer Day Jun 24 (Wed).
        (date(2026, 6, 22), 1, date(2026, 6, 25)),
        # Good Friday 2026 is April 3; Estonia has no Easter Monday holiday.
        (date(2026, 4, 2), 1, date(2026, 4, 6)),
        # Good Friday 2027 is March 26.
        (date(2027, 3, 25), 1, date(2027, 3, 29)),
        # Independence Day: Tuesday in 2026, Wednesday in 2027.
        (date(2026, 2, 23), 1, date(2026, 2, 25)),
        (date(2027, 2, 23), 1, date(2027, 2, 25)),
        # Independence Restoration Day Aug 20 2026 (Thu).
        (date(2026, 8, 19), 1, date(2026, 8, 21)),
        # May Day 2026 is a Friday.
        (date(2026, 4, 30), 1, date(2026, 5, 4)),
        # An ordinary week: Mon Mar 9 2026 + 5 is the next Monday.
        (date(2026, 3, 9), 5, date(2026, 3, 16)),
    ],
)
def test_add_working_days_skips_estonian_holidays(start, days, expected):
    assert add_working_days(start, days) == expected
    assert working_days_between(start, expected) == days


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 12, 23), True),
        (date(2026, 12, 24), False),
        (date(2026, 12, 26), False),  # Saturday and holiday
        (date(2026, 12, 28), True),
        (date(2027, 1, 1), False),
        (date(2026, 2, 24), False),
        (date(2026, 4, 3), False),
        (date(2026, 4, 6), True),  # Easter Monday is not an Estonian holiday
        (date(2026, 6, 23), False),
        (date(2026, 6, 24), False),
        (date(2026, 8, 20), False),
        (date(2026, 3, 14), False),  # Saturday
        (date(2026, 3, 15), False),  # Sunday
        (date(2026, 3, 16), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.django_db
def test_zero_days_is_start_or_next_working_day():
    assert add_working_days(date(2026, 12, 23), 0) == date(2026, 12, 23)
    assert add_working_days(date(2026, 12, 24), 0) == date(2026, 12, 28)
    # So from a day off, zero days is not the inverse of working_days_between.
    assert working_days_between(date(2026, 12, 24), date(2026, 12, 28)) == 1
    assert add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 16)


@pytest.mark.django_db
def test_negative_days_count_backwards():
    assert add_working_days(date(2026, 12, 28), -1) == date(2026, 12, 23)
    # Jan 3 Sun, 2 Sat, 1 holiday, then Dec 31 and Dec 30.
    assert add_working_days(date(2027, 1, 4), -2) == date(2026, 12, 30)
    assert add_working_days(date(2026, 4, 6), -1) == date(2026, 4, 2)
    # Counting back from a day off: Sunday Mar 15 - 1 is Friday Mar 13.
    assert add_working_days(date(2026, 3, 15), -1) == date(2026, 3, 13)


@pytest.mark.django_db
def test_working_days_between_is_negative_backwards():
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 23)) == -5
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 23)) == 0
    # Only holidays and a weekend lie after Dec 23 up to Dec 27.
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 27)) == 0


# Closure days


@pytest.mark.django_db
def test_closure_day_is_skipped():
    ClosureDay.objects.create(date=date(2026, 12, 28), reason="Staff day")

    assert not is_working_day(date(2026, 12, 28))
    assert add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 29)
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 29)) == 1
    assert add_working_days(date(2026, 12, 29), -1) == date(2026, 12, 23)
    assert working_time_between(
        local(2026, 12, 23, 9), local(2026, 12, 29, 17)
    ) == hours(16)
    assert add_working_hours(local(2026, 12, 23, 16), 8) == local(2026, 12, 29, 16)


@pytest.mark.django_db
def test_calendar_refuses_days_outside_loaded_closures():
    # Answering would ignore closure days that were never loaded.
    calendar = get_calendar(date(2026, 3, 1), date(2026, 3, 31))
    assert calendar.is_working_day(date(2026, 3, 31))
    with pytest.raises(ClosureDaysNotLoaded):
        calendar.is_working_day(date(2026, 4, 1))
    with pytest.raises(ClosureDaysNotLoaded):
        calendar.add_working_days(date(2026, 3, 30), 5)


@pytest.mark.django_db
def test_query_count_is_constant(django_assert_num_queries):
    ClosureDay.objects.bulk_create(
        [
            ClosureDay(date=date(2026, 3, 16), reason="Inventory"),
            ClosureDay(date=date(2026, 7, 1), reason="Summer"),
            ClosureDay(date=date(2026, 11, 2), reason="Move"),
        ]
    )
    start = date(2026, 1, 5)

    # One query: the ClosureDay dates from start onwards.
    with django_assert_num_queries(1):
        deadline = add_working_days(start, 200)
    # One query: the ClosureDay dates between the two days.
    with django_assert_num_queries(1):
        assert working_days_between(start, deadline) == 200

    # One query (the ClosureDay dates for 2026-2027); the 200 deadlines
    # computed on the calendar afterwards run none.
    with django_assert_num_queries(1):
        calendar = get_calendar(date(2026, 1, 1), date(2027, 12, 31))
        for offset in range(200):
            day = start + timedelta(days=offset)
            deadline_20 = calendar.add_working_days(day, 20)
            assert calendar.working_days_between(day, deadline_20) == 20

    assert deadline == calendar.add_working_days(start, 200)
    assert calendar.is_working_day(date(2026, 3, 16)) is False


# Working days: properties


@given(
    start=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    days=st.integers(0, 300),
    closures=st.sets(st.dates(date(2020, 1, 1), date(2037, 12, 31)), max_size=30),
)
def test_working_days_between_inverts_add_working_days(start, days, closures):
    calendar = WorkingCalendar("EE", closure_dates=closures, tz=TALLINN)
    # days=0 moves a day off to the next working day, one working day later.
    assume(days > 0 or calendar.is_working_day(start))
    end = calendar.add_working_days(start, days)
    assert calendar.is_working_day(end)
    assert calendar.working_days_between(start, end) == days
    assert end >= start


@given(
    start=st.dates(date(2020, 1, 1), date(2035, 12, 31)),
    days=st.integers(1, 300),
)
def test_negative_days_invert_from_a_working_day(start, days):
    assume(EE.is_working_day(start))
    earlier = EE.add_working_days(start, -days)
    assert EE.is_working_day(earlier)
    assert EE.working_days_between(start, earlier) == -days
    assert EE.add_working_days(earlier, days) == start


# Working hours


@pytest.mark.django_db
def test_eight_hours_from_friday_afternoon_end_on_monday():
    # Friday 16-17 is one hour; Monday 09:00 plus the other seven is 16:00.
    assert add_working_hours(local(2026, 3, 13, 16), 8) == local(2026, 3, 16, 16)
    assert add_working_hours(local(2026, 3, 13, 16), hours(8)) == local(2026, 3, 16, 16)


@pytest.mark.django_db
def test_working_hours_skip_holidays():
    # Good Friday, then the weekend; no Easter Monday in Estonia.
    assert add_working_hours(local(2026, 4, 2, 16), 8) == local(2026, 4, 6, 16)
    assert add_working_hours(local(2026, 12, 23, 16), 8) == local(2026, 12, 28, 16)


@pytest.mark.django_db
def test_result_is_aware_and_accepts_any_zone():
    # 14:00 UTC is 16:00 in Tallinn in winter (UTC+2).
    result = add_working_hours(datetime.datetime(2026, 3, 13, 14, tzinfo=UTC), 8)
    assert result.utcoffset() is not None
    assert result == datetime.datetime(2026, 3, 16, 14, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (local(2026, 3, 10, 2), 1, local(2026, 3, 10, 10)),  # night
        (local(2026, 3, 10, 20), 1, local(2026, 3, 11, 10)),  # evening
        (local(2026, 3, 13, 20), 0, local(2026, 3, 16, 9)),  # Friday evening
        (local(2026, 3, 14, 12), 1.5, local(2026, 3, 16, 10, 30)),  # Saturday
        (local(2026, 3, 13, 17), 1, local(2026, 3, 16, 10)),  # at closing time
        (local(2026, 3, 16, 9), 8, local(2026, 3, 16, 17)),  # a full day
        (local(2026, 3, 16, 9), 16, local(2026, 3, 17, 17)),
        (local(2026, 12, 24, 10), 0.25, local(2026, 12, 28, 9, 15)),  # holiday
    ],
)
def test_start_outside_working_hours_rolls_forward(start, amount, expected):
    assert add_working_hours(start, amount) == expected


@pytest.mark.django_db
def test_working_hours_across_daylight_saving_changes():
    # Clocks go forward on Sunday Mar 29 2026 and back on Sunday Oct 25 2026;
    # working hours stay 09-17 local on both sides.
    monday = add_working_hours(local(2026, 3, 27, 16), 2)
    assert monday == local(2026, 3, 30, 10)
    assert monday.utcoffset() == hours(3)
    assert monday == datetime.datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert add_working_hours(local(2026, 10, 23, 16), 2) == local(2026, 10, 26, 10)
    assert working_time_between(local(2026, 3, 27, 9), local(2026, 3, 30, 17)) == (
        hours(16)
    )


@pytest.mark.django_db
def test_negative_hours_and_naive_datetimes_are_rejected():
    with pytest.raises(ValueError, match="negative"):
        add_working_hours(local(2026, 3, 16, 9), -1)
    with pytest.raises(ValueError, match="aware"):
        add_working_hours(datetime.datetime(2026, 3, 16, 9), 1)
    with pytest.raises(ValueError, match="aware"):
        working_time_between(
            local(2026, 3, 16, 9),
            local(2026, 3, 16, 12),
            [(local(2026, 3, 16, 10), datetime.datetime(2026, 3, 16, 11))],
        )


# Working time between two moments


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (local(2026, 3, 9, 9), local(2026, 3, 13, 17), hours(40)),
        (local(2026, 3, 13, 16), local(2026, 3, 16, 16), hours(8)),
        (local(2026, 3, 13, 20), local(2026, 3, 16, 8), hours(0)),
        (local(2026, 3, 16, 10, 30), local(2026, 3, 16, 11), hours(0.5)),
        # Dec 24-27 are days off.
        (local(2026, 12, 23, 9), local(2026, 12, 28, 17), hours(16)),
        # The reverse direction is negative.
        (local(2026, 3, 16, 16), local(2026, 3, 13, 16), -hours(8)),
    ],
)
def test_working_time_between(start, end, expected):
    assert working_time_between(start, end) == expected


@pytest.mark.django_db
def test_overlapping_pauses_are_left_out_once():
    monday, tuesday = local(2026, 3, 16, 9), local(2026, 3, 17, 17)
    pauses = [
        (local(2026, 3, 16, 10), local(2026, 3, 16, 12)),
        (local(2026, 3, 16, 11), local(2026, 3, 16, 13)),
        (local(2026, 3, 16, 11), local(2026, 3, 16, 11, 30)),  # inside both
        (local(2026, 3, 16, 10), local(2026, 3, 16, 12)),  # recorded twice
    ]
    # 10:00-13:00 paused, 13 working hours of 16 left.
    assert working_time_between(monday, tuesday, pauses) == hours(13)


@pytest.mark.django_db
def test_pauses_count_only_working_hours_inside_the_interval():
    start, end = local(2026, 3, 16, 9), local(2026, 3, 17, 17)
    pauses = [
        # Monday 16:00 to Tuesday 10:00: one working hour on each day.
        (local(2026, 3, 16, 16), local(2026, 3, 17, 10)),
        # Before start and on the weekend: nothing to leave out.
        (local(2026, 3, 13, 12), local(2026, 3, 16, 9)),
        (local(2026, 3, 14, 9), local(2026, 3, 15, 17)),
        # Resumed before it was paused: ignored.
        (local(2026, 3, 17, 15), local(2026, 3, 17, 14)),
    ]
    assert working_time_between(start, end, pauses) == hours(14)


@pytest.mark.django_db
def test_open_pause_runs_to_end():
    start, end = local(2026, 3, 16, 9), local(2026, 3, 17, 17)
    pauses = [
        (local(2026, 3, 16, 10), local(2026, 3, 16, 11)),
        (local(2026, 3, 17, 14), None),
    ]
    assert working_time_between(start, end, pauses) == hours(12)
    # A generator works too; pauses are read once.
    assert working_time_between(start, end, iter(pauses)) == hours(12)
    assert working_time_between(end, start, pauses) == -hours(12)


@given(
    start=st.datetimes(
        datetime.datetime(2024, 1, 1),
        datetime.datetime(2030, 12, 31),
        timezones=st.just(UTC),
    ),
    minutes=st.integers(0, 200 * 60),
)
def test_working_time_between_inverts_add_working_hours(start, minutes):
    amount = timedelta(minutes=minutes)
    end = EE.add_working_hours(start, amount)
    assert end >= start
    assert EE.working_time_between(start, end) == amount


@given(
    moments=st.lists(
        st.datetimes(
            datetime.datetime(2026, 3, 1),
            datetime.datetime(2026, 4, 30),
            timezones=st.just(UTC),
        ),
        min_size=3,
        max_size=3,
    ),
)
def test_working_time_is_additive(moments):
    first, middle, last = sorted(moments)
    assert EE.working_time_between(first, last) == EE.working_time_between(
        first, middle
    ) + EE.working_time_between(middle, last)


# Settings


@pytest.mark.django_db
def test_holidays_country_setting_is_respected(settings):
    # Finnish Independence Day (Mon Dec 6 2027) and Easter Monday are Finnish
    # holidays only; Jun 23 is Estonian only.
    assert is_working_day(date(2027, 12, 6))
    assert is_working_day(date(2026, 4, 6))
    assert not is_working_day(date(2026, 6, 23))

    settings.HOLIDAYS_COUNTRY = "FI"

    assert not is_working_day(date(2027, 12, 6))
    assert not is_working_day(date(2026, 4, 6))
    assert is_working_day(date(2026, 6, 23))
    assert add_working_days(date(2027, 12, 3), 1) == date(2027, 12, 7)
    assert add_working_hours(local(2026, 4, 2, 16), 8) == local(2026, 4, 7, 16)


@pytest.mark.django_db
def test_holidays_subdivision_setting_is_respected(settings):
    # Epiphany (Tue Jan 6 2026) is a holiday in Bavaria, not in all of Germany.
    settings.HOLIDAYS_COUNTRY = "DE"
    assert is_working_day(date(2026, 1, 6))
    settings.HOLIDAYS_SUBDIVISION = "BY"
    assert not is_working_day(date(2026, 1, 6))


@pytest.mark.django_db
def test_working_hours_settings_are_respected(settings):
    settings.WORKING_HOURS_START = "08:00"
    settings.WORKING_HOURS_END = "16:30"
    assert add_working_hours(local(2026, 3, 13, 16), 1) == local(2026, 3, 16, 8, 30)
    assert working_time_between(local(2026, 3, 16, 0), local(2026, 3, 17, 0)) == (
        hours(8.5)
    )


@pytest.mark.django_db
def test_invalid_working_hours_setting(settings):
    settings.WORKING_HOURS_START = "nine"
    with pytest.raises(ImproperlyConfigured, match="WORKING_HOURS_START"):
        get_calendar()


def test_working_hours_must_end_after_they_start():
    with pytest.raises(ValueError, match="end after"):
        WorkingCalendar(
            "EE", work_start=datetime.time(17), work_end=datetime.time(9), tz=TALLINN
        )
