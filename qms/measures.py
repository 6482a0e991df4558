"""The registry of indicators every area declares once (DESIGN.md, "Measures").

A :class:`Measure` returns *sufficient statistics* per period, never a finished
figure: counts for a count, count and exposure for a rate, successes and trials
for a share, ``(n, Σx, Σx²)`` for a mean. From those and the measure's kind,
:mod:`qms.statistics` derives the value, its interval, the test between two
periods and the control-chart limits, so monitoring pages, dashboards, reports
and effectiveness checks all agree on one number.

Apps register their measures when they load (``AppConfig.ready``); readers use
:func:`get` and :func:`all_measures` only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from django.utils import timezone
from django.utils.functional import Promise

from qms import statistics

__all__ = [
    "COUNT",
    "KINDS",
    "MEAN",
    "PERIODS",
    "RATE",
    "SHARE",
    "Measure",
    "Period",
    "Point",
    "all_measures",
    "bucket_start",
    "get",
    "local_midnight",
    "period_buckets",
    "points_from_rows",
    "register",
    "unregister",
]

COUNT = "count"
RATE = "rate"
SHARE = "share"
MEAN = "mean"
KINDS = (COUNT, RATE, SHARE, MEAN)

Period = Literal["month", "quarter", "year"] | None
PERIODS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Point:
    """Sufficient statistics of one measure for one period ``[start, end)``.

    Only the fields of the measure's kind are filled: ``count`` (count),
    ``count`` and ``exposure`` (rate), ``successes`` and ``trials`` (share),
    ``n``, ``sum_x`` and ``sum_x2`` (mean). ``start``/``end`` are the part of
    the period that lies inside the range asked for.
    """

    start: datetime.date
    end: datetime.date
    count: int = 0
    exposure: float = 0.0
    successes: int = 0
    trials: int = 0
    n: int = 0
    sum_x: float = 0.0
    sum_x2: float = 0.0


class ComputeFunction(Protocol):
    def __call__(
        self,
        start: datetime.date,
        end: datetime.date,
        *,
        period: Period,
        filters: dict,
    ) -> list[Point]: ...


@dataclass(frozen=True)
class Measure:
    """One indicator: what it is, which way is good, and how to compute it.

    ``compute(start, end, *, period, filters)`` returns one :class:`Point` per
    period bucket in ``[start, end)`` (``period=None``: one point for the whole
    range), in a constant number of queries. ``per`` scales rates (1,000 for
    "per 1,000 customers"); ``exposure`` is stored unscaled.
    """

    key: str
    label: str | Promise
    kind: str
    compute: ComputeFunction
    higher_is_better: bool = True
    unit: str | Promise = ""
    target: float | None = None
    per: float = 1000.0
    description: str | Promise = ""
    filter_names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: kind must be one of {KINDS}")
        if "." not in self.key:
            raise ValueError(f"{self.key}: the key is '<app>.<name>'")

    def points(
        self,
        start: datetime.date,
        end: datetime.date,
        *,
        period: Period = None,
        filters: dict | None = None,
    ) -> list[Point]:
        if period is not None and period not in PERIODS:
            raise ValueError(f"period must be one of {PERIODS} or None")
        return self.compute(start, end, period=period, filters=dict(filters or {}))

    def value(self, point: Point) -> float | None:
        """The figure a person reads: a share in [0, 1], a rate per ``per``,
        a mean, a count. ``None`` without a base."""
        if self.kind == COUNT:
            return float(point.count)
        if self.kind == RATE:
            return statistics.rate_per(point.count, point.exposure, self.per)
        if self.kind == SHARE:
            return point.successes / point.trials if point.trials else None
        return statistics.describe(point.n, point.sum_x, point.sum_x2).mean

    def base(self, point: Point) -> int | float:
        """The n a figure rests on (trials, observations, events)."""
        if self.kind == SHARE:
            return point.trials
        if self.kind == MEAN:
            return point.n
        return point.count

    def interval(
        self, point: Point, confidence: float = 0.95
    ) -> statistics.Interval | None:
        """Wilson for shares, exact Poisson for rates, t for means; none for
        plain counts."""
        if self.kind == SHARE:
            return statistics.wilson_interval(point.successes, point.trials, confidence)
        if self.kind == RATE:
            return statistics.poisson_rate_interval(
                point.count, point.exposure, confidence, per=self.per
            )
        if self.kind == MEAN:
            return statistics.mean_interval(
                point.n, point.sum_x, point.sum_x2, confidence
            )
        return None

    def control_chart(
        self, points: list[Point], sigma: float = 3
    ) -> statistics.ControlChart | None:
        """p-chart for a share, u-chart (per ``per``) for a rate; other kinds
        have no attribute control chart."""
        if self.kind == SHARE:
            return statistics.p_chart(
                [p.successes for p in points], [p.trials for p in points], sigma
            )
        if self.kind == RATE:
            return statistics.u_chart(
                [p.count for p in points],
                [p.exposure / self.per for p in points],
                sigma,
            )
        return None

    def meets_target(self, value: float | None) -> bool | None:
        if value is None or self.target is None:
            return None
        if self.higher_is_better:
            return value >= self.target
        return value <= self.target


_REGISTRY: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    """Add ``measure``; registering the same key again replaces it, so an
    app's ``register_all`` may safely run more than once."""
    _REGISTRY[measure.key] = measure
    return measure


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get(key: str) -> Measure:
    """The measure with this key; ``KeyError`` if no app registered it."""
    return _REGISTRY[key]


def all_measures(prefix: str | None = None) -> list[Measure]:
    """Registered measures ordered by key, optionally those whose key starts
    with ``prefix`` (``"complaints."``)."""
    return [
        m
        for key, m in sorted(_REGISTRY.items())
        if prefix is None or key.startswith(prefix)
    ]


# --------------------------------------------------------------------------
# Period helpers shared by the apps' compute functions
# --------------------------------------------------------------------------


def bucket_start(day: datetime.date, period: Period) -> datetime.date:
    """First day of the month / quarter / year ``day`` falls in."""
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    raise ValueError(f"no buckets for period {period!r}")


def _next_bucket(day: datetime.date, period: Period) -> datetime.date:
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_buckets(
    start: datetime.date, end: datetime.date, period: Period
) -> Iterator[tuple[datetime.date, datetime.date, datetime.date]]:
    """``(key, clipped start, clipped end)`` of each bucket overlapping
    ``[start, end)``; ``key`` is the bucket's first day (what SQL ``Trunc``
    returns). ``period=None`` yields the whole range once, keyed by ``start``.
    """
    if end <= start:
        return
    if period is None:
        yield start, start, end
        return
    key = bucket_start(start, period)
    while key < end:
        following = _next_bucket(key, period)
        yield key, max(key, start), min(following, end)
        key = following


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware moment ``day`` begins in the site's time zone; periods are
    local calendar periods, as people read them."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min),
        timezone.get_default_timezone(),
    )


def points_from_rows(
    start: datetime.date,
    end: datetime.date,
    period: Period,
    rows: dict[datetime.date, dict],
    make: Callable[[dict], dict],
) -> list[Point]:
    """One point per bucket, zero where SQL returned no row for it.

    ``rows`` maps a bucket key to its aggregated row (for ``period=None`` the
    key is ``start``); ``make`` turns a row into the :class:`Point` fields.
    """
    return [
        Point(start=lo, end=hi, **make(rows.get(key) or {}))
        for key, lo, hi in period_buckets(start, end, period)
    ]
