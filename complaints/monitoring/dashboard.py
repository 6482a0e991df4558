"""The monitoring page's data: the figures by month, the cross-tables of
cases per month and channel / main category / unit, the recurring problems
and the control charts."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import (
    QuerySet,
)

from qms.measures import period_buckets

from ..models import Case
from .periods import PeriodRow, period_rows
from .scope import Filters
from .selectors import (
    RecurringProblem,
    dispute_outcomes,
    received_by,
    recurring_problems,
)

if TYPE_CHECKING:
    from qms.statistics import ControlChart

# --------------------------------------------------------------------------
# Cross-tables: cases per month and channel / main category / unit
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossRow:
    label: str
    counts: tuple[int, ...]
    total: int


def cross_table(
    rows: list[dict], keys: list[datetime.date], empty_label: str
) -> list[CrossRow]:
    """Rows of :func:`received_by` as one line per group with a count per
    bucket in ``keys``; the biggest groups first."""
    index = {key: i for i, key in enumerate(keys)}
    groups: dict[object, tuple[str, list[int]]] = {}
    for row in rows:
        _label, counts = groups.setdefault(
            row["group"], (row["label"] or empty_label, [0] * len(keys))
        )
        position = index.get(row["bucket"])
        if position is not None:
            counts[position] += row["n"]
    table = [
        CrossRow(label, tuple(counts), sum(counts)) for label, counts in groups.values()
    ]
    table.sort(key=lambda r: (-r.total, r.label))
    return table


# --------------------------------------------------------------------------
# The monitoring page's data
# --------------------------------------------------------------------------


@dataclass
class Dashboard:
    start: datetime.date
    end: datetime.date
    rows: list[PeriodRow]  # one per month
    total: PeriodRow
    by_channel: list[CrossRow]
    by_category: list[CrossRow]
    by_unit: list[CrossRow]
    recurring: list[RecurringProblem]
    dispute_outcomes: list[dict]
    rate_chart: ControlChart
    answer_chart: ControlChart


def dashboard(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    *,
    recurring_min: int = 10,
    recurring_days: int = 30,
    empty_label: str = "—",
    now: datetime.datetime | None = None,
    summary: Filters | None = None,
) -> Dashboard:
    """Everything the monitoring page shows for ``[start, end)`` by month.

    Runs a fixed number of queries whatever the number of cases: one per part
    of :func:`period_rows` (8) and the calendar (1), three cross-tables, the
    recurring problems and the dispute outcomes (5 more).

    With ``summary``, ``cases`` must be every case narrowed by those filters
    (a reader who sees every case): the figures then come from the monthly
    summaries (:mod:`~complaints.monitoring.summary_figures`), equal and much
    cheaper; only the recurring problems are read from the cases.
    """
    from qms import statistics  # scipy: on first use, not at start-up
    from qms.calendar import get_calendar

    keys = [key for key, _lo, _hi in period_buckets(start, end, "month")]
    if summary is not None:
        from . import summary_figures

        narrow = summary_figures.Narrow.of(summary)
        rows = summary_figures.period_rows(narrow, start, end, "month", now=now)
        tables = summary_figures.cross_tables(narrow, start, end, empty_label, now=now)
        outcomes = summary_figures.dispute_outcomes(narrow, start, end, now=now)
    else:
        rows = period_rows(cases, start, end, "month", calendar=get_calendar(), now=now)
        tables = {
            dimension: cross_table(
                received_by(cases, start, end, "month", dimension), keys, empty_label
            )
            for dimension in ("channel", "main_category", "org_unit")
        }
        outcomes = dispute_outcomes(cases, start, end)

    return Dashboard(
        start=start,
        end=end,
        rows=rows,
        total=PeriodRow.combine(rows, start, end),
        by_channel=tables["channel"],
        by_category=tables["main_category"],
        by_unit=tables["org_unit"],
        recurring=recurring_problems(
            cases, start, end, min_cases=recurring_min, window_days=recurring_days
        ),
        dispute_outcomes=outcomes,
        # Rates per 1,000 customer-months: the exposure in thousands.
        rate_chart=statistics.u_chart(
            [row.cases for row in rows],
            [row.customer_months / 1000 for row in rows],
        ),
        answer_chart=statistics.p_chart(
            [row.answer_on_time for row in rows], [row.answer_total for row in rows]
        ),
    )
