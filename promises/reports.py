"""The promises section of the management report (contract: qms.reporting)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from qms.reporting import Indicator, Section, SectionRequest, Signal, Table

from . import monitoring
from .models import Promise


def _percent(value: float | None) -> str:
    # No-break space: the number and its sign stay on one line in the PDF.
    return "-" if value is None else f"{value * 100:.1f}\N{NO-BREAK SPACE}%"


def _indicator(promise: Promise) -> Indicator:
    """The promise's figure: its own events, or, when every indicator is
    derived from another area's measure, that measure itself (the events
    measure would be empty)."""
    own = list(promise.indicators.all())
    derived = [i for i in own if i.kind == i.Kind.MEASURE and i.source_measure]
    if own and len(derived) == len(own) and len(derived) == 1:
        return Indicator(
            measure=derived[0].source_measure,
            label=promise.title,
            url=promise.get_absolute_url(),
        )
    return Indicator(
        measure="promises.fulfilment_share",
        filters={"promise": promise.pk},
        label=promise.title,
        url=promise.get_absolute_url(),
    )


def section(request: SectionRequest) -> Section:
    """Fulfilment against target of each published promise in the period,
    and the promises needing review as signals. Queries: the promises with
    their indicators (two), one grouped query for event-based indicators and
    the measure's own for each derived one."""
    period = request.period
    promises = list(
        Promise.objects.published().prefetch_related("indicators").order_by("title")
    )
    indicators = [i for p in promises for i in p.indicators.all()]
    points = monitoring.indicator_points(indicators, period.start, period.end, None)
    rows = []
    for promise in promises:
        for indicator in promise.indicators.all():
            point = (points.get(indicator.pk) or [None])[0]
            if point is None:
                continue
            row = monitoring.rows_for([point], indicator.target)[0]
            rows.append(
                [
                    f"{promise.reference} {promise.title}",
                    indicator.name,
                    row.successes,
                    row.trials,
                    _percent(row.rate),
                    "\N{EN DASH}".join(
                        [_percent(row.interval.low), _percent(row.interval.high)]
                    )
                    if row.trials
                    else "-",
                    _percent(indicator.target),
                    str(row.status_label),
                ]
            )
    signals = [
        Signal(
            level="breach",
            text=_(
                "%(promise)s: “%(indicator)s” below target or at risk in each of "
                "the last %(n)s months; the promise needs review."
            )
            % {
                "promise": str(flag.promise),
                "indicator": flag.indicator.name,
                "n": len(flag.rows),
            },
            url=flag.promise.get_absolute_url(),
        )
        for flag in monitoring.promises_needing_review(today=period.end, period="month")
    ]
    return Section(
        key="promises",
        title=_("Customer promises"),
        order=10,
        indicators=[_indicator(p) for p in promises],
        tables=[
            Table(
                title=_("Fulfilment against target"),
                columns=[
                    _("Promise"),
                    _("Indicator"),
                    _("Kept"),
                    _("Events"),
                    _("Rate"),
                    _("Interval (95 %)"),
                    _("Target"),
                    _("Against target"),
                ],
                rows=rows,
                note=_(
                    "Below target only when the whole interval lies below the "
                    "target; at risk when it reaches the target."
                ),
                base_column=3,
            )
        ],
        signals=signals,
        notes=[_("Promises are organisation-wide; the section is not split by unit.")]
        + ([] if promises else [_("No promise is published.")]),
    )
