"""Monitoring of promises: fulfilment per period with its Wilson interval
against the target, the classification below / at risk / meets, the p-chart,
and which promises need review.

Event-based indicators aggregate :class:`FulfilmentEvent` rows in SQL (one
grouped query for any number of indicators). Indicators derived from a measure
(e.g. complaints acknowledged within one working day) read the measures
registry, so their figures are the owning area's own and no rows are copied.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, DateField, Q
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import measures, statistics
from qms.measures import Period, Point

from .models import FulfilmentEvent, Promise, PromiseIndicator

BELOW = "below"
AT_RISK = "at_risk"
MEETS = "meets"
NO_DATA = "no_data"
LABELS = {
    BELOW: _("below target"),
    AT_RISK: _("at risk"),
    MEETS: _("meets target"),
    NO_DATA: _("no data"),
}
CONCERNS = (BELOW, AT_RISK)


def classify(successes: int, trials: int, target: float) -> str:
    """``below`` only when the whole 95 % Wilson interval lies below the
    target, ``at risk`` when the interval reaches the target from below
    (straddles or touches it), else ``meets``."""
    if trials == 0:
        return NO_DATA
    interval = statistics.wilson_interval(successes, trials)
    if interval.high < target:
        return BELOW
    if interval.low < target:
        return AT_RISK
    return MEETS


def review_after_periods() -> int:
    return int(getattr(settings, "PROMISES_REVIEW_AFTER_PERIODS", 2))


@dataclass(frozen=True)
class Row:
    """One period of one indicator as a page shows it."""

    start: datetime.date
    end: datetime.date
    successes: int
    trials: int
    interval: statistics.Interval
    status: str

    @property
    def rate(self) -> float | None:
        return self.successes / self.trials if self.trials else None

    @property
    def status_label(self):
        return LABELS[self.status]


def event_points(
    indicators: Iterable[PromiseIndicator],
    start: datetime.date,
    end: datetime.date,
    period: Period,
) -> dict[int, list[Point]]:
    """Kept / counted events per period for event-based indicators, in ONE
    query. Excluded events do not count."""
    ids = [i.pk for i in indicators if not i.is_derived]
    if not ids:
        return {}
    events = FulfilmentEvent.objects.filter(
        indicator_id__in=ids,
        excluded=False,
        occurred_at__gte=measures.local_midnight(start),
        occurred_at__lt=measures.local_midnight(end),
    )
    if period is None:
        rows = events.values("indicator_id")
    else:
        rows = events.annotate(
            bucket=Trunc(
                "occurred_at",
                period,
                output_field=DateField(),
                tzinfo=timezone.get_default_timezone(),
            )
        ).values("indicator_id", "bucket")
    rows = rows.annotate(trials=Count("id"), successes=Count("id", filter=Q(kept=True)))
    grouped: dict[int, dict[datetime.date, dict]] = defaultdict(dict)
    for row in rows.order_by():
        grouped[row["indicator_id"]][row.get("bucket", start)] = row
    return {
        pk: measures.points_from_rows(
            start,
            end,
            period,
            grouped.get(pk, {}),
            lambda r: {
                "successes": r.get("successes", 0),
                "trials": r.get("trials", 0),
            },
        )
        for pk in ids
    }


def indicator_points(
    indicators: Iterable[PromiseIndicator],
    start: datetime.date,
    end: datetime.date,
    period: Period,
) -> dict[int, list[Point]]:
    """Points of every indicator: one query for the event-based ones, plus the
    measure's own queries for each derived one."""
    indicators = list(indicators)
    points = event_points(indicators, start, end, period)
    for indicator in indicators:
        if indicator.is_derived:
            try:
                measure = measures.get(indicator.source_measure)
            except KeyError:
                points[indicator.pk] = []
                continue
            points[indicator.pk] = measure.points(start, end, period=period)
    return points


def rows_for(points: list[Point], target: float) -> list[Row]:
    return [
        Row(
            start=p.start,
            end=p.end,
            successes=p.successes,
            trials=p.trials,
            interval=statistics.wilson_interval(p.successes, p.trials),
            status=classify(p.successes, p.trials, target),
        )
        for p in points
    ]


def needs_review(rows: list[Row], periods: int | None = None) -> bool:
    """Below target or at risk in each of the last ``periods`` periods."""
    periods = periods or review_after_periods()
    recent = rows[-periods:]
    return len(recent) == periods and all(r.status in CONCERNS for r in recent)


def last_complete_periods(
    today: datetime.date, period: str, count: int
) -> tuple[datetime.date, datetime.date]:
    """``[start, end)`` covering the ``count`` complete periods before the one
    ``today`` falls in."""
    end = measures.bucket_start(today, period)
    start = end
    for _i in range(count):
        start = measures.bucket_start(start - datetime.timedelta(days=1), period)
    return start, end


@dataclass
class ReviewFlag:
    promise: Promise
    indicator: PromiseIndicator
    rows: list[Row]


def promises_needing_review(
    today: datetime.date | None = None, period: str = "month"
) -> list[ReviewFlag]:
    """Published promises with an indicator below target or at risk in each of
    the last N complete periods (``PROMISES_REVIEW_AFTER_PERIODS``).

    Queries: the indicators of published promises with their promise (one),
    one grouped query for all event-based indicators, and the measure's
    queries for each derived indicator.
    """
    today = today or timezone.localdate()
    count = review_after_periods()
    start, end = last_complete_periods(today, period, count)
    indicators = list(
        PromiseIndicator.objects.filter(promise__status=Promise.Status.PUBLISHED)
        .select_related("promise__owner")
        .order_by("promise__title", "promise_id", "id")
    )
    points = indicator_points(indicators, start, end, period)
    flags = []
    flagged: set[int] = set()
    for indicator in indicators:
        if indicator.promise_id in flagged:
            continue
        rows = rows_for(points.get(indicator.pk, []), indicator.target)
        if needs_review(rows, count):
            flags.append(ReviewFlag(indicator.promise, indicator, rows))
            flagged.add(indicator.promise_id)
    return flags


def control_chart(points: list[Point]) -> statistics.ControlChart:
    return statistics.p_chart([p.successes for p in points], [p.trials for p in points])


def period_label(day: datetime.date, period: str) -> str:
    if period == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return f"{day:%Y-%m}"
