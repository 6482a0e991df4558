"""Reporting periods: parsing what people and cron type, and naming them."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms.periods import month_start
from qms.reporting import ReportPeriod

MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}

ERROR_PERIOD = gettext_lazy(
    "Give the period as last-month, last-quarter, last-half, last-year, "
    "YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY."
)

_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{4})-[Qq]([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-[Hh]([12])$"), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
)


def period_of(kind: str, day: datetime.date) -> ReportPeriod:
    """The period of ``kind`` that ``day`` falls in."""
    months = MONTHS[kind]
    first = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first, 1)
    return ReportPeriod(kind, start, month_start(start, months))


def last_full(kind: str, today: datetime.date) -> ReportPeriod:
    """The latest period of ``kind`` that has ended before ``today``."""
    return period_of(kind, today).previous()


def parse_period(text: str, today: datetime.date) -> ReportPeriod:
    """``last-month`` … ``last-year`` or an explicit ``2026-07``, ``2026-Q3``,
    ``2026-H2``, ``2026``. Raises ``ValueError`` with a readable message."""
    text = (text or "").strip()
    if text.startswith("last-") and text[5:] in MONTHS:
        return last_full(text[5:], today)
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        number = int(match.group(2)) if kind != "year" else 1
        if kind == "month" and not 1 <= number <= 12:
            break
        if year < 1900:
            break
        month = (number - 1) * MONTHS[kind] + 1
        return period_of(kind, datetime.date(year, month, 1))
    raise ValueError(str(ERROR_PERIOD))


def period_code(period: ReportPeriod) -> str:
    """The inverse of :func:`parse_period` for explicit periods."""
    start = period.start
    if period.kind == "month":
        return f"{start.year}-{start.month:02d}"
    if period.kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if period.kind == "half":
        return f"{start.year}-H{(start.month - 1) // 6 + 1}"
    return f"{start.year}"


def period_label(period: ReportPeriod) -> str:
    """A human name in the active language: "2026 Q3", "July 2026"."""
    from django.utils.formats import date_format

    start = period.start
    if period.kind == "month":
        return date_format(start, "F Y")
    if period.kind == "quarter":
        return _("Q%(n)s %(year)s") % {
            "n": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    if period.kind == "half":
        return _("H%(n)s %(year)s") % {
            "n": (start.month - 1) // 6 + 1,
            "year": start.year,
        }
    return str(start.year)


def short_label(period: ReportPeriod) -> str:
    """A compact name for trend axes and tables: "2026-07", "2026 Q3"."""
    return period_code(period).replace("-", " ", 1 if period.kind != "month" else 0)
