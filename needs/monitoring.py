"""Figures of the needs process (issue item 5): intake by source and segment,
time to decision, reviews kept, ownership, coverage."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.calendar import get_calendar

from .models import Need, NeedLink

# Agreed time from identification to decision (working days). A constant until
# the process description's rules are configurable.
DECISION_WITHIN_DAYS = 20
# Quadrant lines of the importance-performance grid: the middle of the 1-5
# scales.
MIDDLE = 3


@dataclass(frozen=True)
class GridPoint:
    label: str
    performance: int
    importance: int

    @property
    def is_gap(self) -> bool:
        """High importance, low performance: where to improve first."""
        return self.importance > MIDDLE and self.performance < MIDDLE


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    new_total: int = 0
    by_month_source: dict = field(default_factory=dict)
    by_segment: dict = field(default_factory=dict)
    decided: int = 0
    median_days_to_decision: float | None = None
    decided_on_time: int = 0
    open_needs: int = 0
    overdue_for_review: int = 0
    without_owner: int = 0
    accepted: int = 0
    covered: int = 0

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def on_time_share(self) -> float | None:
        return self._share(self.decided_on_time, self.decided)

    @property
    def overdue_share(self) -> float | None:
        return self._share(self.overdue_for_review, self.open_needs)

    @property
    def coverage_share(self) -> float | None:
        return self._share(self.covered, self.accepted)


def figures(
    start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> Figures:
    """Needs identified in ``[start, end)``; the state figures (overdue,
    owner, coverage) are of the registry on ``today``."""
    today = today or timezone.localdate()
    result = Figures(start=start, end=end)
    period = Need.objects.filter(identified_on__gte=start, identified_on__lt=end)
    result.new_total = period.count()
    months: dict = defaultdict(dict)
    for row in (
        period.annotate(month=TruncMonth("identified_on"))
        .values("month", "source")
        .annotate(n=Count("id"))
        .order_by("month", "source")
    ):
        months[row["month"]][row["source"]] = row["n"]
    result.by_month_source = dict(months)
    result.by_segment = {
        row["segments__name"] or "": row["n"]
        for row in period.values("segments__name")
        .annotate(n=Count("id"))
        .order_by("segments__name")
    }
    decided = list(
        period.filter(decided_at__isnull=False).values_list(
            "identified_on", "decided_at"
        )
    )
    if decided:
        calendar = get_calendar(start, None)
        days = [
            calendar.working_days_between(identified, timezone.localdate(at))
            for identified, at in decided
        ]
        result.decided = len(days)
        result.median_days_to_decision = statistics.median(days)
        result.decided_on_time = sum(1 for d in days if d <= DECISION_WITHIN_DAYS)
    live = Need.objects.exclude(status__in=Need.CLOSED_STATUSES)
    result.open_needs = live.count()
    result.overdue_for_review = live.overdue_for_review(today).count()
    result.without_owner = live.filter(owner__isnull=True).count()
    accepted = Need.objects.accepted()
    result.accepted = accepted.count()
    result.covered = (
        accepted.filter(links__kind=NeedLink.Kind.ANSWERS).distinct().count()
    )
    return result


def grid_points() -> dict[str, list[GridPoint]]:
    """Live needs per segment name, for the importance-performance grids."""
    grids: dict[str, list[GridPoint]] = defaultdict(list)
    rows = (
        Need.objects.exclude(status__in=Need.CLOSED_STATUSES)
        .values_list("pk", "performance", "importance", "segments__name")
        .order_by("segments__name", "pk")
    )
    for pk, performance, importance, segment in rows:
        grids[segment or ""].append(GridPoint(f"N-{pk}", performance, importance))
    return dict(grids)


def grid_svg(points: list[GridPoint], title: str) -> str:
    """The importance-performance grid: x = current performance, y =
    importance, gaps (:attr:`GridPoint.is_gap`) marked as the priority
    quadrant; needs with equal ratings are drawn a little apart."""
    from qms import charts  # matplotlib: on first use, not at start-up

    return charts.quadrant_chart_svg(
        [p.label for p in points],
        [p.performance for p in points],
        [p.importance for p in points],
        title,
        _("Current performance"),
        _("Importance"),
        x_split=MIDDLE,
        y_split=MIDDLE,
        priority="upper left",
        scale=(1, 5),
        spread=True,
        annotate=False,
        legend=(_("Need"), _("High importance, low performance")),
        size=(4.5, 4.0),
    )
