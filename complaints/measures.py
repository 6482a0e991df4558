"""The complaints area's indicators, declared once for the registry in
:mod:`qms.measures` (monitoring page, dashboard, reports, effectiveness checks).

Each measure reads the parts of
:func:`complaints.monitoring.periods.period_rows` it needs, so its figures are
exactly those of the monitoring page. Filters are the monitoring page's:
``kind``, ``channel``, ``category`` (a main category includes its
subcategories) and ``org_unit`` (with the units below it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.measures import COUNT, MEAN, RATE, SHARE, Measure, Period, Point

from .monitoring import summary_figures
from .monitoring.periods import PeriodRow, moments
from .monitoring.scope import Filters

FILTERS = ("kind", "channel", "category", "org_unit")


@dataclass(frozen=True)
class Reading:
    """How a measure reads a :class:`~complaints.monitoring.periods.PeriodRow`."""

    parts: tuple[str, ...]
    fields: Callable[[PeriodRow], dict]


def _compute(reading: Reading):
    def compute(
        start: datetime.date,
        end: datetime.date,
        *,
        period: Period,
        filters: dict,
    ) -> list[Point]:
        # Every case, whoever asks: served from the monthly summaries.
        rows = summary_figures.period_rows(
            Filters.from_dict(filters),
            start,
            end,
            period,
            parts=reading.parts,
        )
        return [point_from_row(row, reading) for row in rows]

    return compute


def point_from_row(row: PeriodRow, reading: Reading) -> Point:
    return Point(start=row.start, end=row.end, **reading.fields(row))


def _mean_of(counts) -> dict:
    n, sum_x, sum_x2 = moments(counts or {})
    return {"n": n, "sum_x": sum_x, "sum_x2": sum_x2}


READINGS: dict[str, Reading] = {
    "complaints.cases": Reading(("received",), lambda r: {"count": r.cases}),
    "complaints.cases_per_1000_customers": Reading(
        ("received", "exposure"),
        lambda r: {"count": r.cases, "exposure": r.customer_months},
    ),
    "complaints.acknowledged_on_time_share": Reading(
        ("acknowledge",),
        lambda r: {"successes": r.ack_on_time, "trials": r.ack_total},
    ),
    "complaints.on_time_share": Reading(
        ("respond",),
        lambda r: {"successes": r.answer_on_time, "trials": r.answer_total},
    ),
    "complaints.days_to_acknowledge": Reading(
        ("ack_days",), lambda r: _mean_of(r.ack_days)
    ),
    "complaints.days_to_close": Reading(
        ("close_days",), lambda r: _mean_of(r.close_days)
    ),
    "complaints.upheld_share": Reading(
        ("decisions",), lambda r: {"successes": r.upheld, "trials": r.decided}
    ),
    "complaints.reopen_share": Reading(
        ("closures",), lambda r: {"successes": r.reopened, "trials": r.closed}
    ),
    "complaints.dispute_share": Reading(
        ("received",),
        lambda r: {
            "successes": r.received["disputed"],
            "trials": r.received["disputable"],
        },
    ),
    "complaints.remedy_cost": Reading(
        ("decisions",),
        lambda r: {"n": r.cost_n, "sum_x": r.cost_sum, "sum_x2": r.cost_sum2},
    ),
}


def _measure(key: str, label, kind: str, **options) -> Measure:
    return Measure(
        key=key,
        label=label,
        kind=kind,
        compute=_compute(READINGS[key]),
        filter_names=FILTERS,
        **options,
    )


# Targets follow the process description PD-04 (acknowledge in 1 working day,
# answer in 15 days) and the organisation's quality objectives.
CASES = _measure(
    "complaints.cases",
    _("Cases received"),
    COUNT,
    higher_is_better=False,
    unit=_("cases"),
    description=_("Complaints, claims, disputes and feedback received."),
)
CASES_PER_1000 = _measure(
    "complaints.cases_per_1000_customers",
    _("Cases per 1,000 customers"),
    RATE,
    higher_is_better=False,
    unit=_("per 1,000 customers per month"),
    description=_(
        "Cases received per 1,000 customers on the books, per month "
        "(exposure: customer-months)."
    ),
)
ACKNOWLEDGED_ON_TIME = _measure(
    "complaints.acknowledged_on_time_share",
    _("Acknowledged on time"),
    SHARE,
    target=0.95,
    unit="%",
    description=_(
        "Complaints, claims and disputes acknowledged by their deadline, in the "
        "period the outcome became known."
    ),
)
ANSWERED_ON_TIME = _measure(
    "complaints.on_time_share",
    _("Answered on time"),
    SHARE,
    target=0.90,
    unit="%",
    description=_(
        "Complaints, claims and disputes whose decision was communicated by the "
        "response deadline."
    ),
)
DAYS_TO_ACKNOWLEDGE = _measure(
    "complaints.days_to_acknowledge",
    _("Working days to acknowledge"),
    MEAN,
    higher_is_better=False,
    target=1.0,
    unit=_("working days"),
)
DAYS_TO_CLOSE = _measure(
    "complaints.days_to_close",
    _("Working days to close"),
    MEAN,
    higher_is_better=False,
    unit=_("working days"),
)
UPHELD = _measure(
    "complaints.upheld_share",
    _("Upheld fully or partly"),
    SHARE,
    # Fewer justified complaints means fewer failures behind them.
    higher_is_better=False,
    unit="%",
)
REOPENED = _measure(
    "complaints.reopen_share",
    _("Reopened"),
    SHARE,
    higher_is_better=False,
    target=0.05,
    unit="%",
    description=_("Closed cases that had to be reopened at least once."),
)
DISPUTED = _measure(
    "complaints.dispute_share",
    _("Taken to an external body"),
    SHARE,
    higher_is_better=False,
    target=0.02,
    unit="%",
    description=_("Complaints and claims that grew into a dispute."),
)
REMEDY_COST = _measure(
    "complaints.remedy_cost",
    _("Remedy cost per remedied case"),
    MEAN,
    higher_is_better=False,
    unit="€",
)

MEASURES = (
    CASES,
    CASES_PER_1000,
    ACKNOWLEDGED_ON_TIME,
    ANSWERED_ON_TIME,
    DAYS_TO_ACKNOWLEDGE,
    DAYS_TO_CLOSE,
    UPHELD,
    REOPENED,
    DISPUTED,
    REMEDY_COST,
)


def register_all() -> None:
    """Register the complaints measures (idempotent; call from
    ``ComplaintsConfig.ready``)."""
    for measure in MEASURES:
        measures.register(measure)


# Found at start-up by the core's autodiscovery (qms.apps).
register_all()
