"""The registry of indicators every area declares once (DESIGN.md, "Measures").

A :class:`Measure` returns *sufficient statistics* per period, never a finished
figure: counts for a count, count and exposure for a rate, successes and trials
for a share, ``(n, Σx, Σx²)`` for a mean. From those and the measure's kind,
:mod:`qms.statistics` derives the value, its interval, the test between two
periods and the control-chart limits, so monitoring pages, dashboards, reports
and effectiveness checks all agree on one number.

Apps register their measures when they load (``AppConfig.ready``); readers use
:func:`get` and :func:`all_measures` only.

A dashboard or report build asks the same measure for the same range more than
once (a promise derived from a complaints measure, the review of promises, the
indicator row). Inside ``with measures.memoized():`` an identical
:meth:`Measure.points` call returns the points computed the first time, and a
call for whole buckets inside a range already computed with the same period
and filters is served by slicing those points; :func:`prefetch` computes many
calls at once (one query for every promise of a report where the measure can
batch them). Outside the context nothing is kept, so a page never serves a
figure older than its own request.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

from django.utils import timezone
from django.utils.functional import Promise

from qms.periods import month_start

if TYPE_CHECKING:
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
    "memoized",
    "period_buckets",
    "points_from_rows",
    "prefetch",
    "register",
    "shared",
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


class BatchFunction(Protocol):
    def __call__(
        self,
        start: datetime.date,
        end: datetime.date,
        *,
        period: Period,
        filters: dict,
        values: list,
    ) -> dict[Hashable, list[Point]]: ...


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
    # Optional: ``batch(start, end, *, period, filters, values)`` computes the
    # points for each of many ``values`` of the filter ``batch_filter`` in a
    # constant number of queries and returns ``{value: points}``, equal to
    # ``compute`` called once per value. Used by :func:`prefetch`.
    batch: BatchFunction | None = None
    batch_filter: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: kind must be one of {KINDS}")
        if "." not in self.key:
            raise ValueError(f"{self.key}: the key is '<app>.<name>'")
        if (self.batch is None) != (not self.batch_filter):
            raise ValueError(f"{self.key}: batch and batch_filter go together")

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
        filters = dict(filters or {})
        memo = _MEMO.get()
        if memo is None:
            return self.compute(start, end, period=period, filters=filters)
        key = _memo_key(self.key, period, filters)
        if key is None:
            return self.compute(start, end, period=period, filters=filters)
        found = memo.find(key, start, end, period)
        if found is not None:
            return found
        points = self.compute(start, end, period=period, filters=filters)
        memo.store(key, start, end, points)
        return list(points)

    def value(self, point: Point) -> float | None:
        """The figure a person reads: a share in [0, 1], a rate per ``per``,
        a mean, a count. ``None`` without a base."""
        from qms import statistics  # scipy: loaded on first use, not at start-up

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
        from qms import statistics

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
        from qms import statistics

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


# --------------------------------------------------------------------------
# Memoisation within one build
# --------------------------------------------------------------------------


def _frozen(value) -> Hashable:
    """A hashable stand-in for a filter value: a model instance by its class
    and primary key, lists and sets as tuples; ``TypeError`` if it cannot be
    made hashable (the call is then not memoised)."""
    pk = getattr(value, "pk", None)
    if pk is not None and hasattr(value, "_meta"):
        return (value._meta.label, pk)
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    hash(value)
    return value


def _memo_key(measure_key: str, period: Period, filters: dict) -> Hashable | None:
    try:
        return (
            measure_key,
            period,
            tuple(sorted((name, _frozen(v)) for name, v in filters.items())),
        )
    except TypeError:
        return None


class _Memo:
    """Points already computed in this build, per (measure, period, filters):
    a list of ``(start, end, points)``."""

    def __init__(self) -> None:
        self.entries: dict[Hashable, list[tuple[datetime.date, datetime.date, list]]]
        self.entries = {}
        self.shared: dict[Hashable, object] = {}
        self.hits = 0
        self.misses = 0

    def find(
        self,
        key: Hashable,
        start: datetime.date,
        end: datetime.date,
        period: Period,
    ) -> list[Point] | None:
        for lo, hi, points in self.entries.get(key, ()):
            if (lo, hi) == (start, end):
                self.hits += 1
                return list(points)
            if period is None or not (lo <= start and end <= hi):
                continue
            # Whole buckets of a longer range: the points of the buckets
            # from ``start`` to ``end`` are exactly those a call for that
            # range returns (each bucket's figure depends on the bucket only).
            first = next((i for i, p in enumerate(points) if p.start == start), None)
            last = next((i for i, p in enumerate(points) if p.end == end), None)
            if first is None or last is None or last < first:
                continue
            if start != lo and start != bucket_start(start, period):
                continue
            self.hits += 1
            return list(points[first : last + 1])
        self.misses += 1
        return None

    def store(
        self,
        key: Hashable,
        start: datetime.date,
        end: datetime.date,
        points: list[Point],
    ) -> None:
        self.entries.setdefault(key, []).append((start, end, list(points)))


_MEMO: ContextVar[_Memo | None] = ContextVar("qms_measures_memo", default=None)


@contextmanager
def memoized() -> Iterator[_Memo]:
    """Within the block, identical :meth:`Measure.points` calls (same measure,
    range, period and filters) compute once; whole buckets of a range already
    computed are sliced from it. Off by default; nested blocks share the
    outer memo. Use it around one build (a dashboard, a report), never across
    requests: the figures are as fresh as the block's first call."""
    memo = _MEMO.get()
    if memo is not None:
        yield memo
        return
    memo = _Memo()
    token = _MEMO.set(memo)
    try:
        yield memo
    finally:
        _MEMO.reset(token)


def memoizing() -> bool:
    """Whether a :func:`memoized` block is active: a measure may then compute
    one wider aggregate that its sibling measures of the build will share
    (:func:`shared`) instead of the narrow one a lone call needs."""
    return _MEMO.get() is not None


def shared(key: Hashable, compute: Callable[[], object]):
    """``compute()``, or within :func:`memoized` the result of the first call
    with an equal ``key`` in this build. For an aggregate several measures
    read (the standards' compliance, critical-fail share and mean score come
    from one query over the evaluations): the key names the aggregate and
    every argument it depends on (range, period, filters)."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    try:
        key = ("shared", _frozen(key))
    except TypeError:
        return compute()
    if key not in memo.shared:
        memo.shared[key] = compute()
    return memo.shared[key]


@dataclass(frozen=True)
class Call:
    """One :meth:`Measure.points` call, for :func:`prefetch`."""

    measure: Measure
    start: datetime.date
    end: datetime.date
    period: Period
    filters: dict


def prefetch(calls: Iterable[Call]) -> None:
    """Compute ``calls`` ahead into the active memo (no-op without one): calls
    of a measure with a ``batch`` function that differ only in the value of
    its ``batch_filter`` are computed by one batch call, so the number of
    queries does not grow with the number of values (e.g. promises)."""
    memo = _MEMO.get()
    if memo is None:
        return
    groups: dict[Hashable, tuple[Call, list]] = {}
    for call in calls:
        measure = call.measure
        name = measure.batch_filter
        if measure.batch is None or call.filters.get(name) is None:
            continue
        key = _memo_key(measure.key, call.period, call.filters)
        if key is None or memo.find(key, call.start, call.end, call.period):
            continue
        rest = {k: v for k, v in call.filters.items() if k != name}
        group_key = _memo_key(
            f"{measure.key}@{call.start}/{call.end}", call.period, rest
        )
        if group_key is None:
            continue
        _first, values = groups.setdefault(group_key, (call, []))
        if call.filters[name] not in values:
            values.append(call.filters[name])
    for first, values in groups.values():
        measure, name = first.measure, first.measure.batch_filter
        rest = {k: v for k, v in first.filters.items() if k != name}
        assert measure.batch is not None
        found = measure.batch(
            first.start, first.end, period=first.period, filters=rest, values=values
        )
        for value in values:
            key = _memo_key(measure.key, first.period, {**rest, name: value})
            memo.store(key, first.start, first.end, found[value])


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
    return month_start(day, {"month": 1, "quarter": 3, "year": 12}[period])


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
