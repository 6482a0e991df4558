"""Everything about one period, for tables, measures and charts: the
sufficient statistics of a period (:class:`PeriodRow`) from the live
selectors, and the summaries of the day counts."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    QuerySet,
)

from qms.calendar import WorkingCalendar
from qms.measures import Period, period_buckets

from ..models import Case
from .scope import Kind
from .selectors import (
    closures,
    customer_exposure,
    decisions,
    on_time,
    received,
    working_days,
)

# --------------------------------------------------------------------------
# Summaries of the day counts
# --------------------------------------------------------------------------


def percentile_from_counts(counts: Mapping[float, int], q: float) -> float | None:
    """The ``q``-th percentile (0-100) of values given as ``{value: how many}``,
    equal to :func:`qms.statistics.percentile` on the expanded list (linear
    interpolation at position ``(N - 1)·q/100``) without expanding it."""
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100, got {q!r}")
    items = sorted((float(v), n) for v, n in counts.items() if n > 0)
    total = sum(n for _v, n in items)
    if not total:
        return None
    position = (total - 1) * q / 100
    below = math.floor(position)
    above = min(below + 1, total - 1)

    def at(index: int) -> float:
        seen = 0
        for value, n in items:
            seen += n
            if index < seen:
                return value
        return items[-1][0]

    low, high = at(below), at(above)
    return low + (high - low) * (position - below)


def moments(counts: Mapping[float, int]) -> tuple[int, float, float]:
    """``(n, Σx, Σx²)`` of values given as ``{value: how many}``."""
    n = sum(counts.values())
    sum_x = math.fsum(v * k for v, k in counts.items())
    sum_x2 = math.fsum(v * v * k for v, k in counts.items())
    return n, sum_x, sum_x2


# --------------------------------------------------------------------------
# Everything about one period, for tables, measures and charts
# --------------------------------------------------------------------------

PARTS = (
    "received",
    "exposure",
    "acknowledge",
    "respond",
    "decisions",
    "closures",
    "ack_days",
    "close_days",
)


@dataclass
class PeriodRow:
    """The sufficient statistics of one period; figures are derived from them
    (so a row of totals is the sum of the rows, never an average of figures)."""

    start: datetime.date
    end: datetime.date
    received: Counter
    customer_months: float = 0.0
    ack_on_time: int = 0
    ack_total: int = 0
    answer_on_time: int = 0
    answer_total: int = 0
    ack_days: Counter | None = None
    close_days: Counter | None = None
    decided: int = 0
    upheld: int = 0
    cost_n: int = 0
    cost_sum: float = 0.0
    cost_sum2: float = 0.0
    closed: int = 0
    reopened: int = 0

    @classmethod
    def combine(
        cls, rows: list[PeriodRow], start: datetime.date, end: datetime.date
    ) -> PeriodRow:
        total = cls(start=start, end=end, received=Counter())
        total.ack_days, total.close_days = Counter(), Counter()
        for row in rows:
            total.received.update(row.received)
            total.ack_days.update(row.ack_days or {})
            total.close_days.update(row.close_days or {})
            for name in (
                "customer_months",
                "ack_on_time",
                "ack_total",
                "answer_on_time",
                "answer_total",
                "decided",
                "upheld",
                "cost_n",
                "cost_sum",
                "cost_sum2",
                "closed",
                "reopened",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total

    # Figures (None where there is no base)

    @property
    def cases(self) -> int:
        return self.received["total"]

    @property
    def feedback(self) -> int:
        return self.received[Kind.COMPLIMENT] + self.received[Kind.SUGGESTION]

    @property
    def rate(self) -> float | None:
        """Cases per 1,000 customers per month."""
        if not self.customer_months:
            return None
        return 1000 * self.cases / self.customer_months

    @staticmethod
    def _share(successes: int, trials: int) -> float | None:
        return successes / trials if trials else None

    @property
    def ack_share(self) -> float | None:
        return self._share(self.ack_on_time, self.ack_total)

    @property
    def answer_share(self) -> float | None:
        return self._share(self.answer_on_time, self.answer_total)

    @property
    def upheld_share(self) -> float | None:
        return self._share(self.upheld, self.decided)

    @property
    def reopen_share(self) -> float | None:
        return self._share(self.reopened, self.closed)

    @property
    def dispute_share(self) -> float | None:
        return self._share(self.received["disputed"], self.received["disputable"])

    @property
    def ack_days_n(self) -> int:
        return sum((self.ack_days or {}).values())

    @property
    def close_days_n(self) -> int:
        return sum((self.close_days or {}).values())

    @property
    def ack_median(self) -> float | None:
        return percentile_from_counts(self.ack_days or {}, 50)

    @property
    def ack_p90(self) -> float | None:
        return percentile_from_counts(self.ack_days or {}, 90)

    @property
    def close_median(self) -> float | None:
        return percentile_from_counts(self.close_days or {}, 50)

    @property
    def close_p90(self) -> float | None:
        return percentile_from_counts(self.close_days or {}, 90)


def period_rows(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    *,
    parts: tuple[str, ...] = PARTS,
    calendar: WorkingCalendar | None = None,
    now: datetime.datetime | None = None,
) -> list[PeriodRow]:
    """One :class:`PeriodRow` per bucket of ``[start, end)`` with the ``parts``
    asked for; one query per part (plus one for the calendar when a days part
    is asked for without one)."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {sorted(unknown)}")
    got = collect_parts(
        cases, start, end, period, parts=parts, calendar=calendar, now=now
    )
    return rows_from_parts(got, start, end, period)


def collect_parts(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    *,
    parts: tuple[str, ...] = PARTS,
    calendar: WorkingCalendar | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, dict]:
    """The live selectors' results for ``parts``: ``{part: {bucket key: row}}``
    (one query per part, plus the calendar when needed)."""
    if calendar is None and {"ack_days", "close_days"} & set(parts):
        from qms.calendar import get_calendar

        calendar = get_calendar()
    got: dict[str, dict] = {}
    if "received" in parts:
        got["received"] = received(cases, start, end, period)
    if "exposure" in parts:
        got["exposure"] = customer_exposure(start, end, period)
    if "acknowledge" in parts:
        got["acknowledge"] = on_time(cases, start, end, period, "acknowledge", now)
    if "respond" in parts:
        got["respond"] = on_time(cases, start, end, period, "respond", now)
    if "decisions" in parts:
        got["decisions"] = decisions(cases, start, end, period)
    if "closures" in parts:
        got["closures"] = closures(cases, start, end, period)
    if "ack_days" in parts:
        got["ack_days"] = working_days(
            cases, start, end, period, "acknowledge", calendar
        )
    if "close_days" in parts:
        got["close_days"] = working_days(cases, start, end, period, "close", calendar)
    return got


def rows_from_parts(
    got: dict[str, dict], start: datetime.date, end: datetime.date, period: Period
) -> list[PeriodRow]:
    """One :class:`PeriodRow` per bucket from :func:`collect_parts`' shape."""
    rows = []
    for key, lo, hi in period_buckets(start, end, period):

        def part(name: str, key=key) -> dict:
            return got.get(name, {}).get(key) or {}

        decided = part("decisions")
        acknowledged, answered, closed = (
            part("acknowledge"),
            part("respond"),
            part("closures"),
        )
        rows.append(
            PeriodRow(
                start=lo,
                end=hi,
                received=Counter(part("received")),
                customer_months=float(got.get("exposure", {}).get(key, 0.0)),
                ack_on_time=acknowledged.get("on_time", 0),
                ack_total=acknowledged.get("total", 0),
                answer_on_time=answered.get("on_time", 0),
                answer_total=answered.get("total", 0),
                ack_days=Counter(part("ack_days")),
                close_days=Counter(part("close_days")),
                decided=decided.get("decided", 0),
                upheld=decided.get("upheld", 0),
                cost_n=decided.get("cost_n", 0),
                cost_sum=float(decided.get("cost_sum") or 0),
                cost_sum2=float(decided.get("cost_sum2") or 0),
                closed=closed.get("closed", 0),
                reopened=closed.get("reopened", 0),
            )
        )
    return rows
