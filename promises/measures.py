"""The promises area's indicators for the registry in :mod:`qms.measures`.

``promises.fulfilment_share``: fulfilment events kept out of those that count
(excluded events left out), optionally for one ``promise`` or one
``indicator`` (ids). Indicators derived from another area's measure are not
summed in here: their figures stay with the measure they come from.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, DateField, Q
from django.db.models.functions import Trunc
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.measures import SHARE, Measure, Period, Point

FILTERS = ("promise", "indicator")


def _fulfilment(
    start: datetime.date, end: datetime.date, *, period: Period, filters: dict
) -> list[Point]:
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
    counts = {
        "trials": Count("id"),
        "successes": Count("id", filter=Q(kept=True)),
    }
    if period is None:
        rows = {start: events.aggregate(**counts)}
    else:
        grouped = (
            events.annotate(
                bucket=Trunc(
                    "occurred_at",
                    period,
                    output_field=DateField(),
                    tzinfo=timezone.get_default_timezone(),
                )
            )
            .values("bucket")
            .annotate(**counts)
            .order_by()
        )
        rows = {row["bucket"]: row for row in grouped}
    return measures.points_from_rows(
        start,
        end,
        period,
        rows,
        lambda r: {
            "successes": r.get("successes") or 0,
            "trials": r.get("trials") or 0,
        },
    )


FULFILMENT = Measure(
    key="promises.fulfilment_share",
    label=_("Promises kept"),
    kind=SHARE,
    compute=_fulfilment,
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
