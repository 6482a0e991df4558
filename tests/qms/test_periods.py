"""Month arithmetic (qms.periods) against hand-worked calendar cases."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qms.periods import Month, add_months, month_start, month_starts, months_between

# Plain arithmetic: the database plays no part.
pytestmark = pytest.mark.single_db

date = datetime.date


def test_december_plus_one_is_january_of_the_next_year():
    assert Month(2026, 12) + 1 == Month(2027, 1)
    assert month_start(date(2026, 12, 15), 1) == date(2027, 1, 1)


def test_shifting_back_crosses_years():
    assert Month(2026, 2) - 3 == Month(2025, 11)
    assert month_start(date(2026, 1, 31), -13) == date(2024, 12, 1)
    assert month_start(date(2026, 3, 10), -24) == date(2024, 3, 1)


def test_shift_by_nothing_is_the_first_of_the_month():
    assert month_start(date(2026, 7, 19)) == date(2026, 7, 1)


def test_months_between_counts_months_not_days():
    assert months_between(date(2026, 1, 31), date(2026, 3, 1)) == 2
    assert months_between(date(2025, 11, 1), date(2026, 2, 28)) == 3
    assert months_between(date(2026, 5, 1), date(2026, 5, 31)) == 0
    assert months_between(date(2026, 5, 1), date(2025, 5, 1)) == -12
    assert Month(2027, 1) - Month(2026, 12) == 1


def test_february_has_29_days_in_a_leap_year_only():
    assert Month(2024, 2).days == 29
    assert Month(2024, 2).last == date(2024, 2, 29)
    assert Month(2026, 2).days == 28
    assert Month(1900, 2).days == 28  # divisible by 100, not by 400
    assert Month(2000, 2).days == 29
    assert Month(2024, 2).end == date(2024, 3, 1)


def test_the_same_day_later_is_clamped_to_the_months_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 12, 15), 14) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_month_ranges_run_oldest_first_and_leave_out_the_stop():
    assert list(Month.span(Month(2025, 11), Month(2026, 2))) == [
        Month(2025, 11),
        Month(2025, 12),
        Month(2026, 1),
    ]
    assert list(Month.span(Month(2026, 2), Month(2026, 2))) == []
    assert month_starts(date(2026, 2, 14), 3) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_months_are_ordered_hashable_and_named():
    assert Month(2025, 12) < Month(2026, 1) < Month(2026, 2)
    assert len({Month(2026, 1), Month.of(date(2026, 1, 9))}) == 1
    assert str(Month(2026, 3)) == "2026-03"
    assert Month.of(date(2026, 3, 9)).first == date(2026, 3, 1)


def test_there_is_no_thirteenth_month():
    with pytest.raises(ValueError):
        Month(2026, 13)
    with pytest.raises(ValueError):
        Month(2026, 0)


@given(
    st.dates(min_value=date(1901, 1, 1), max_value=date(9000, 12, 31)),
    st.integers(min_value=-1200, max_value=1200),
)
def test_shifting_there_and_back_and_counting_agree(day, months):
    shifted = month_start(day, months)
    assert shifted.day == 1
    assert months_between(day, shifted) == months
    assert month_start(shifted, -months) == day.replace(day=1)
