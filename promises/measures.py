"""The promises area's indicators for the registry in :mod:`qms.measures`.

``promises.fulfilment_share``: fulfilment events kept out of those that count
(excluded events left out), optionally for one ``promise`` or one
``indicator`` (ids). Indicators derived from another area's measure are not
summed in here: their figures stay with the measure they come from.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, DateField, Q
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.measures import SHARE, Measure, Period, Point

FILTERS = ("promise", "indicator")


def _events(start: datetime.date, end: datetime.date, filters: dict):
    from .models import FulfilmentEvent

    events = FulfilmentEvent.objects.filter(
        excluded=False,
        occurred_at__gte=measures.local_midnight(start),
        occurred_at__lt=measures.local_midnight(end),
    )
    if filters.get("promise"):
        events = events.filter(indicator__promise_id=filters["promise"])
    if filters.get("indicator"):
        events = events.filter(indicator_id=filters["indicator"])
    return events


COUNTS = {
    "trials": Count("id"),
    "successes": Count("id", filter=Q(kept=True)),
}


def _bucket(period: Period) -> Trunc:
    return Trunc(
        "occurred_at",
        period,
        output_field=DateField(),
        tzinfo=timezone.get_default_timezone(),
    )


def _point_fields(row: dict) -> dict:
    return {"successes": row.get("successes") or 0, "trials": row.get("trials") or 0}


def _fulfilment(
    start: datetime.date, end: datetime.date, *, period: Period, filters: dict
) -> list[Point]:
    events = _events(start, end, filters)
    if period is None:
        rows = {start: events.aggregate(**COUNTS)}
    else:
        grouped = (
            events.annotate(bucket=_bucket(period))
            .values("bucket")
            .annotate(**COUNTS)
            .order_by()
        )
        rows = {row["bucket"]: row for row in grouped}
    return measures.points_from_rows(start, end, period, rows, _point_fields)


def _fulfilment_by_promise(
    start: datetime.date,
    end: datetime.date,
    *,
    period: Period,
    filters: dict,
    values: list,
) -> dict:
    """The points of each promise in ``values`` (ids) in ONE grouped query,
    equal to :func:`_fulfilment` with ``filters["promise"]`` set to each."""
    events = _events(start, end, {**filters, "promise": None}).filter(
        indicator__promise_id__in=values
    )
    group = ["indicator__promise_id"] + ([] if period is None else ["bucket"])
    if period is not None:
        events = events.annotate(bucket=_bucket(period))
    rows: dict = defaultdict(dict)
    for row in events.values(*group).annotate(**COUNTS).order_by():
        rows[row["indicator__promise_id"]][row.get("bucket", start)] = row
    return {
        value: measures.points_from_rows(
            start, end, period, rows.get(value, {}), _point_fields
        )
        for value in values
    }


FULFILMENT = Measure(
    key="promises.fulfilment_share",
    label=_("Promises kept"),
    kind=SHARE,
    compute=_fulfilment,
    batch=_fulfilment_by_promise,
    batch_filter="promise",
    unit="%",
    target=0.95,
    filter_names=FILTERS,
    description=_(
        "Fulfilment events in which the promise was kept, of those that count "
        "(excluded events left out)."
    ),
)

MEASURES = (FULFILMENT,)


def register_all() -> None:
    """Register the promises measures (idempotent; from ``ready``)."""
    for measure in MEASURES:
        measures.register(measure)


# Found at start-up by the core's autodiscovery (qms.apps).
register_all()
