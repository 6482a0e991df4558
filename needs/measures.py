"""The needs area's indicators, registered in :mod:`qms.measures` from
``NeedsConfig.ready``. Figures agree with :mod:`needs.monitoring`."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.calendar import get_calendar
from qms.measures import COUNT, SHARE, Measure, Period, Point

from .models import Need
from .monitoring import DECISION_WITHIN_DAYS


def _identified(start, end, filters):
    needs = Need.objects.filter(identified_on__gte=start, identified_on__lt=end)
    if filters.get("source"):
        needs = needs.filter(source=filters["source"])
    return needs


def _key(day: datetime.date, period: Period, start: datetime.date) -> datetime.date:
    return start if period is None else measures.bucket_start(day, period)


def new_needs(start, end, *, period: Period, filters: dict) -> list[Point]:
    rows: dict = {}
    for day, n in (
        _identified(start, end, filters)
        .values_list("identified_on")
        .annotate(n=Count("id"))
    ):
        key = _key(day, period, start)
        rows.setdefault(key, {"count": 0})["count"] += n
    return measures.points_from_rows(start, end, period, rows, lambda r: r or {})


def decided_on_time(start, end, *, period: Period, filters: dict) -> list[Point]:
    decided = list(
        _identified(start, end, filters)
        .filter(decided_at__isnull=False)
        .values_list("identified_on", "decided_at")
    )
    calendar = get_calendar(start, None)
    rows: dict = {}
    for identified, at in decided:
        row = rows.setdefault(
            _key(identified, period, start), {"successes": 0, "trials": 0}
        )
        row["trials"] += 1
        days = calendar.working_days_between(identified, timezone.localdate(at))
        row["successes"] += days <= DECISION_WITHIN_DAYS
    return measures.points_from_rows(start, end, period, rows, lambda r: r or {})


MEASURES = [
    Measure(
        key="needs.new_needs",
        label=_("New customer needs"),
        kind=COUNT,
        compute=new_needs,
        description=_("Needs identified in the period."),
        filter_names=("source",),
    ),
    Measure(
        key="needs.decided_on_time_share",
        label=_("Needs decided within the agreed time"),
        kind=SHARE,
        compute=decided_on_time,
        unit="%",
        description=_(
            "Share of needs decided within 20 working days of identification."
        ),
        filter_names=("source",),
    ),
]


def register_all() -> None:
    """Register the needs measures (idempotent)."""
    for measure in MEASURES:
        measures.register(measure)


# Found at start-up by the core's autodiscovery (qms.apps).
register_all()
