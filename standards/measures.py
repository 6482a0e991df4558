"""The standards area's indicators, registered in :mod:`qms.measures` from
``StandardsConfig.ready``. They read :mod:`standards.results`, so they equal
the figures of the results page.

Acknowledgement coverage is not a measure: who had to read which version is
known only for today (memberships keep no history), so it appears as a table
in the report and on the coverage page instead.

Filters: ``channel`` (channel id) and ``unit`` (an org unit, with the units
below it).
"""

from __future__ import annotations

import datetime

from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext_lazy as _

from qms import measures
from qms.measures import MEAN, SHARE, Measure, Period, Point

from . import results

FILTERS = ("channel", "unit")
TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def _filters(start, end, filters: dict) -> results.Filters:
    unit = filters.get("unit")
    units = None
    if unit is not None:
        units = unit.descendant_ids() if hasattr(unit, "descendant_ids") else {unit}
    channel = filters.get("channel")
    return results.Filters(
        start=start,
        end=end,
        channel=getattr(channel, "pk", channel),
        units=units,
    )


def _grouped(queryset, date_field: str, start, period: Period, aggregates: dict):
    if period is None:
        return {start: queryset.aggregate(**aggregates)}
    rows = (
        queryset.annotate(bucket=TRUNC[period](date_field))
        .values("bucket")
        .annotate(**aggregates)
        .order_by("bucket")
    )
    return {row["bucket"]: row for row in rows}


def _evaluation_measure(make):
    def compute(
        start: datetime.date, end: datetime.date, *, period: Period, filters: dict
    ) -> list[Point]:
        def aggregate() -> dict:
            qs = results.evaluations(_filters(start, end, filters))
            return _grouped(qs, "interaction_date", start, period, results.AGGREGATES)

        # Compliance, critical-fail share and mean score read the same
        # aggregate: one query for the three within a report build.
        rows = measures.shared(
            ("standards.evaluations", start, end, period, filters), aggregate
        )
        return measures.points_from_rows(start, end, period, rows, make)

    return compute


def _timeliness(
    start: datetime.date, end: datetime.date, *, period: Period, filters: dict
) -> list[Point]:
    qs = results.timeliness_figures(_filters(start, end, filters))
    rows = _grouped(
        qs,
        "date",
        start,
        period,
        {"count_sum": Sum("count"), "within_sum": Sum("within_target")},
    )
    return measures.points_from_rows(
        start,
        end,
        period,
        rows,
        lambda r: {
            "successes": r.get("within_sum") or 0,
            "trials": r.get("count_sum") or 0,
        },
    )


COMPLIANCE = Measure(
    key="standards.compliance",
    label=_("Compliant evaluations"),
    kind=SHARE,
    compute=_evaluation_measure(
        lambda r: {"successes": r.get("compliant_n") or 0, "trials": r.get("n") or 0}
    ),
    target=0.85,
    description=_(
        "Share of evaluated interactions without a critical fail that score at "
        "least 80 % against the standard in force."
    ),
    filter_names=FILTERS,
)
CRITICAL_FAIL_SHARE = Measure(
    key="standards.critical_fail_share",
    label=_("Evaluations failing a critical criterion"),
    kind=SHARE,
    compute=_evaluation_measure(
        lambda r: {"successes": r.get("critical_n") or 0, "trials": r.get("n") or 0}
    ),
    higher_is_better=False,
    target=0.05,
    filter_names=FILTERS,
)
MEAN_SCORE = Measure(
    key="standards.mean_score",
    label=_("Mean evaluation score"),
    kind=MEAN,
    unit="%",
    compute=_evaluation_measure(
        lambda r: {
            "n": r.get("scored_n") or 0,
            "sum_x": r.get("score_sum") or 0.0,
            "sum_x2": r.get("score_sum2") or 0.0,
        }
    ),
    description=_("A critical fail counts as 0."),
    filter_names=FILTERS,
)
TIMELINESS = Measure(
    key="standards.timeliness_on_target",
    label=_("Contacts answered within the standard's target"),
    kind=SHARE,
    compute=_timeliness,
    target=0.8,
    filter_names=("channel",),
)

MEASURES = [COMPLIANCE, CRITICAL_FAIL_SHARE, MEAN_SCORE, TIMELINESS]


def register_all() -> None:
    """Register the standards measures (idempotent)."""
    for measure in MEASURES:
        measures.register(measure)


# Found at start-up by the core's autodiscovery (qms.apps).
register_all()
