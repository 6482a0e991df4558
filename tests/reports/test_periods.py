"""Parsing and naming reporting periods."""

import datetime

import pytest

from qms.reporting import ReportPeriod
from reports.periods import last_full, parse_period, period_code, period_label

TODAY = datetime.date(2026, 8, 15)
D = datetime.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last-month", ReportPeriod("month", D(2026, 7, 1), D(2026, 8, 1))),
        ("last-quarter", ReportPeriod("quarter", D(2026, 4, 1), D(2026, 7, 1))),
        ("last-half", ReportPeriod("half", D(2026, 1, 1), D(2026, 7, 1))),
        ("last-year", ReportPeriod("year", D(2025, 1, 1), D(2026, 1, 1))),
        ("2026-02", ReportPeriod("month", D(2026, 2, 1), D(2026, 3, 1))),
        ("2025-12", ReportPeriod("month", D(2025, 12, 1), D(2026, 1, 1))),
        ("2026-Q4", ReportPeriod("quarter", D(2026, 10, 1), D(2027, 1, 1))),
        ("2026-h2", ReportPeriod("half", D(2026, 7, 1), D(2027, 1, 1))),
        ("2024", ReportPeriod("year", D(2024, 1, 1), D(2025, 1, 1))),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text, TODAY) == expected
    if not text.startswith("last"):
        assert period_code(expected).lower() == text.lower().replace("-0", "-0")


@pytest.mark.parametrize("text", ["", "last-week", "2026-13", "2026-Q5", "26-01", "x"])
def test_bad_period_is_refused_with_a_readable_message(text):
    with pytest.raises(ValueError, match="YYYY-Qn"):
        parse_period(text, TODAY)


def test_january_last_month_is_december_of_the_year_before():
    assert last_full("month", D(2027, 1, 10)) == ReportPeriod(
        "month", D(2026, 12, 1), D(2027, 1, 1)
    )
    assert last_full("quarter", D(2027, 1, 10)).start == D(2026, 10, 1)


def test_labels():
    assert period_label(parse_period("2026-Q3", TODAY)) == "Q3 2026"
    assert period_label(parse_period("2026-H1", TODAY)) == "H1 2026"
    assert period_label(parse_period("2026-07", TODAY)) == "July 2026"
