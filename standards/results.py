"""Compliance results: aggregated in SQL, turned into shares with Wilson 95 %
intervals by :mod:`qms.statistics`. The results page, the measures and the
management-report section all read these functions, so they agree.

Definitions (README, "Communication standards"):

* an evaluation is *compliant* when it has no critical fail and its weighted
  score is at least ``PASS_SCORE``; the compliance share is compliant / all
  regular evaluations (calibration exercises excluded);
* the *mean score* counts a critical fail as 0;
* a criterion check *fails* on "no" or a scale answer of 2 or less; the
  criterion's compliance is met / applicable checks (n.a. excluded).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth

from qms.models import Channel, OrgUnit

from .models import Criterion, CriterionScore, Evaluation, TimelinessFigure

if TYPE_CHECKING:
    from qms import statistics

# The score with a critical fail as 0, in the stored decimal, so that sums
# are exact: a total rolled up from partial sums (``summary``) then equals the
# total summed at once, and the float of it is the same in every path.
EFFECTIVE_SCORE = Case(
    When(critical_fail=True, then=Value(Decimal(0))),
    default=F("score"),
    output_field=DecimalField(max_digits=5, decimal_places=2),
)


@dataclass
class Filters:
    start: datetime.date
    end: datetime.date  # exclusive
    channel: int | None = None
    unit: int | None = None
    units: set[int] | None = None  # a unit and those below it (measures)


def _filtered(qs: QuerySet, filters: Filters) -> QuerySet:
    """``qs`` (of evaluations, or of criterion scores, which carry copies of
    the same fields) limited to regular evaluations within ``filters``."""
    qs = qs.filter(
        calibration__isnull=True,
        interaction_date__gte=filters.start,
        interaction_date__lt=filters.end,
    )
    if filters.channel:
        qs = qs.filter(channel_id=filters.channel)
    if filters.unit:
        qs = qs.filter(org_unit_id=filters.unit)
    if filters.units is not None:
        qs = qs.filter(org_unit_id__in=filters.units)
    return qs


def evaluations(filters: Filters) -> QuerySet[Evaluation]:
    # ``regular()`` is ``calibration__isnull=True``, which ``_filtered`` applies.
    return _filtered(Evaluation.objects.regular(), filters)


COUNTS = {
    "n": Count("pk"),
    "compliant_n": Count("pk", filter=Q(compliant=True)),
    "critical_n": Count("pk", filter=Q(critical_fail=True)),
    "scored_n": Count("pk", filter=Q(score__isnull=False)),
}
# Exact decimal sums, for roll-ups.
EXACT_AGGREGATES = {
    **COUNTS,
    "score_sum": Sum(
        EFFECTIVE_SCORE, filter=Q(score__isnull=False), output_field=DecimalField()
    ),
    "score_sum2": Sum(
        EFFECTIVE_SCORE * EFFECTIVE_SCORE,
        filter=Q(score__isnull=False),
        output_field=DecimalField(),
    ),
}
# The same with the sums as floats (the exact sum, rounded once).
AGGREGATES = {
    **COUNTS,
    "score_sum": Cast(EXACT_AGGREGATES["score_sum"], FloatField()),
    "score_sum2": Cast(EXACT_AGGREGATES["score_sum2"], FloatField()),
}


@dataclass
class Row:
    key: object
    label: str
    n: int
    compliant: int
    critical: int
    scored: int = 0
    score_sum: float = 0.0
    score_sum2: float = 0.0

    @cached_property
    def share(self) -> statistics.Interval:
        from qms import statistics  # scipy: on first use, not at start-up

        # Cached: a page reads the estimate and the interval of each row.
        return statistics.wilson_interval(self.compliant, self.n)

    @property
    def critical_share(self) -> float | None:
        return self.critical / self.n if self.n else None

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None


def _row(key, label, values: dict) -> Row:
    return Row(
        key=key,
        label=label,
        n=values["n"] or 0,
        compliant=values["compliant_n"] or 0,
        critical=values["critical_n"] or 0,
        scored=values["scored_n"] or 0,
        score_sum=float(values["score_sum"] or 0),
        score_sum2=float(values["score_sum2"] or 0),
    )


def overall(filters: Filters) -> Row:
    return _row(None, "", evaluations(filters).aggregate(**AGGREGATES))


DIMENSIONS = {
    "channel": ("channel_id", "channel__name"),
    "unit": ("org_unit_id", "org_unit__name"),
    "employee": ("employee_id", "employee__last_name", "employee__first_name"),
    "standard": ("standard_id", "standard__document__title"),
}


def by(dimension: str, filters: Filters) -> list[Row]:
    """Compliance per channel / unit / employee / standard: one query."""
    fields = DIMENSIONS[dimension]
    rows = (
        evaluations(filters)
        .values(*fields)
        .annotate(**AGGREGATES)
        .order_by(*fields[1:], fields[0])
    )
    return [
        _row(
            row[fields[0]],
            " ".join(str(row[f]) for f in reversed(fields[1:]) if row[f])
            if dimension == "employee"
            else str(row[fields[1]] or "-"),
            row,
        )
        for row in rows
    ]


def by_month(filters: Filters) -> list[Row]:
    """One row per calendar month of the range, zero where none: one query."""
    found = {
        row["month"]: row
        for row in evaluations(filters)
        .annotate(month=TruncMonth("interaction_date"))
        .values("month")
        .annotate(**AGGREGATES)
        .order_by("month")
    }
    empty = dict.fromkeys(AGGREGATES, 0)
    return [
        _row(month, month.strftime("%Y-%m"), found.get(month, empty))
        for month in _months(filters)
    ]


def _months(filters: Filters) -> list[datetime.date]:
    """The first day of every calendar month the range touches."""
    result = []
    month = filters.start.replace(day=1)
    while month < filters.end:
        result.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return result


@dataclass
class Summary:
    """The results page's compliance tables."""

    overall: Row
    by_channel: list[Row]
    by_unit: list[Row]
    by_employee: list[Row]
    by_month: list[Row]


def _rolled_up(cells: list[dict], key: str) -> dict:
    totals: dict = {}
    for cell in cells:
        into = totals.setdefault(cell[key], dict.fromkeys(EXACT_AGGREGATES, 0))
        for name in EXACT_AGGREGATES:
            into[name] += cell[name] or 0
    return totals


def _in_order(totals: dict, labelled, nulls_last: bool) -> list[Row]:
    rows = [_row(pk, label, totals[pk]) for pk, label in labelled]
    if None in totals:
        missing = _row(None, "-", totals[None])
        rows = [*rows, missing] if nulls_last else [missing, *rows]
    return rows


def summary(filters: Filters) -> Summary:
    """``overall``, ``by`` channel, unit and employee and ``by_month`` at once:
    one grouped query per month, channel, unit and employee (the groups are
    bounded by staff and months, not by evaluations) rolled up here with
    exact sums, and one small query per dimension for the labels in the
    order ``by`` gives. Four queries instead of five scans of the period."""
    cells = list(
        evaluations(filters)
        .annotate(month=TruncMonth("interaction_date"))
        .values("month", "channel_id", "org_unit_id", "employee_id")
        .annotate(**EXACT_AGGREGATES)
        .order_by()
    )
    nulls_last = connection.features.nulls_order_largest
    whole = dict.fromkeys(EXACT_AGGREGATES, 0)
    for cell in cells:
        for name in EXACT_AGGREGATES:
            whole[name] += cell[name] or 0
    channels = _rolled_up(cells, "channel_id")
    units = _rolled_up(cells, "org_unit_id")
    employees = _rolled_up(cells, "employee_id")
    months = _rolled_up(cells, "month")
    empty = dict.fromkeys(EXACT_AGGREGATES, 0)
    return Summary(
        overall=_row(None, "", whole),
        by_channel=_in_order(
            channels,
            (
                (pk, str(name or "-"))
                for pk, name in Channel.objects.filter(pk__in=list(channels))
                .order_by("name", "pk")
                .values_list("pk", "name")
            ),
            nulls_last,
        ),
        by_unit=_in_order(
            units,
            (
                (pk, str(name or "-"))
                for pk, name in OrgUnit.objects.filter(
                    pk__in=[pk for pk in units if pk is not None]
                )
                .order_by("name", "pk")
                .values_list("pk", "name")
            ),
            nulls_last,
        ),
        by_employee=_in_order(
            employees,
            (
                (pk, " ".join(str(part) for part in (first, last) if part))
                for pk, last, first in get_user_model()
                .objects.filter(pk__in=list(employees))
                .order_by("last_name", "first_name", "pk")
                .values_list("pk", "last_name", "first_name")
            ),
            nulls_last,
        ),
        by_month=[
            _row(month, month.strftime("%Y-%m"), months.get(month, empty))
            for month in _months(filters)
        ],
    )


@dataclass
class CriterionRow:
    standard: str
    behaviour: str
    is_critical: bool
    applicable: int
    failed: int
    criterion_id: int

    @property
    def met(self) -> int:
        return self.applicable - self.failed

    @cached_property
    def share(self) -> statistics.Interval:
        from qms import statistics  # scipy: on first use, not at start-up

        # Cached: a page reads the estimate and the interval of each row.
        return statistics.wilson_interval(self.met, self.applicable)

    @property
    def fail_share(self) -> float | None:
        return self.failed / self.applicable if self.applicable else None


def _scores(filters: Filters) -> QuerySet[CriterionScore]:
    """The applicable checks of the evaluations of ``evaluations(filters)``,
    selected on the fields the scores copy from their evaluation, so the
    period is read from ``score_results_idx`` without a join."""
    return _filtered(CriterionScore.objects.filter(failed__isnull=False), filters)


def by_criterion(filters: Filters) -> list[CriterionRow]:
    """Per criterion (the same behaviour across versions of a standard is one
    criterion), applicable and failed checks, weakest first: two queries.

    The checks are counted per criterion id from ``score_results_idx`` alone
    (no join per score); the few criteria found are then labelled and merged
    by standard title and behaviour."""
    counts = {
        row["criterion_id"]: row
        for row in _scores(filters)
        .values("criterion_id")
        .annotate(applicable=Count("pk"), failed_n=Count("pk", filter=Q(failed=True)))
        .order_by()
    }
    merged: dict[tuple[str, str], CriterionRow] = {}
    for pk, title, behaviour, critical in Criterion.objects.filter(
        pk__in=list(counts)
    ).values_list("pk", "version__document__title", "behaviour", "is_critical"):
        row = counts[pk]
        found = merged.get((title, behaviour))
        if found is None:
            merged[title, behaviour] = CriterionRow(
                standard=title,
                behaviour=behaviour,
                is_critical=critical,
                applicable=row["applicable"],
                failed=row["failed_n"],
                criterion_id=pk,
            )
        else:
            found.is_critical = found.is_critical or critical
            found.applicable += row["applicable"]
            found.failed += row["failed_n"]
            found.criterion_id = max(found.criterion_id, pk)
    result = list(merged.values())
    result.sort(key=lambda r: (-(r.fail_share or 0), r.standard, r.behaviour))
    return result


PARETO_BARS = 10
LABEL_LENGTH = 32


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


def pareto(rows: list[CriterionRow], cut: float = 0.8, *, other: str = "Other"):
    """Pareto rows of failed checks per criterion and standard: the ten most
    failed, the rest together as ``other`` (pass it translated)."""
    failing = sorted((r for r in rows if r.failed), key=lambda r: -r.failed)
    items = [
        (f"{_short(r.behaviour)} ({r.standard.split()[0]})", r.failed)
        for r in failing[:PARETO_BARS]
    ]
    rest = sum(r.failed for r in failing[PARETO_BARS:])
    if rest:
        items.append((other, rest))
    from qms import statistics

    return statistics.pareto(items, cut, other_label=other)


@dataclass
class TrainingNeed:
    employee: str
    employee_id: int
    behaviour: str
    applicable: int
    failed: int

    @property
    def fail_share(self) -> float:
        return self.failed / self.applicable


def training_needs(
    filters: Filters, *, threshold: float = 0.3, min_checks: int = 5
) -> list[TrainingNeed]:
    """Employees and criteria they fail more often than ``threshold`` (with at
    least ``min_checks`` applicable checks, so one bad day does not count):
    one query, the threshold applied in SQL."""
    rows = (
        _scores(filters)
        .values(
            "employee_id",
            "employee__first_name",
            "employee__last_name",
            "employee__username",
            "criterion__behaviour",
        )
        .annotate(applicable=Count("pk"), failed_n=Count("pk", filter=Q(failed=True)))
        .filter(applicable__gte=min_checks)
        .filter(failed_n__gt=threshold * F("applicable"))
        .order_by("employee__last_name", "criterion__behaviour")
    )
    return [
        TrainingNeed(
            employee=" ".join(
                filter(
                    None,
                    [
                        row["employee__first_name"],
                        row["employee__last_name"],
                    ],
                )
            )
            or row["employee__username"],
            employee_id=row["employee_id"],
            behaviour=row["criterion__behaviour"],
            applicable=row["applicable"],
            failed=row["failed_n"],
        )
        for row in rows
    ]


# ---------------------------------------------------------------------------
# Timeliness
# ---------------------------------------------------------------------------


@dataclass
class TimelinessRow:
    month: datetime.date
    channel: str
    metric: str
    count: int
    within: int
    target: object
    mean: float | None

    @cached_property
    def share(self) -> statistics.Interval:
        from qms import statistics  # scipy: on first use, not at start-up

        # Cached: a page reads the estimate and the interval of each row.
        return statistics.wilson_interval(self.within, self.count)


def timeliness_figures(filters: Filters) -> QuerySet[TimelinessFigure]:
    qs = TimelinessFigure.objects.filter(date__gte=filters.start, date__lt=filters.end)
    if filters.channel:
        qs = qs.filter(channel_id=filters.channel)
    return qs


def timeliness_by_month(filters: Filters) -> list[TimelinessRow]:
    """Per month, channel and metric: contacts measured, within target, the
    target of the standard in force and the weighted mean: one query."""
    rows = (
        timeliness_figures(filters)
        .annotate(month=TruncMonth("date"))
        .values("month", "channel__name", "metric")
        .annotate(
            count_sum=Sum("count"),
            within_sum=Sum("within_target"),
            weighted=Sum(F("mean_value") * F("count"), output_field=FloatField()),
            weighted_n=Sum("count", filter=Q(mean_value__isnull=False)),
            target=Max("target_value"),
        )
        .order_by("channel__name", "metric", "month")
    )
    labels = dict(TimelinessFigure.Metric.choices)
    return [
        TimelinessRow(
            month=row["month"],
            channel=row["channel__name"],
            metric=str(labels.get(row["metric"], row["metric"])),
            count=row["count_sum"] or 0,
            within=row["within_sum"] or 0,
            target=row["target"],
            mean=(row["weighted"] / row["weighted_n"]) if row["weighted_n"] else None,
        )
        for row in rows
    ]


@dataclass
class TimelinessSeries:
    channel: str
    metric: str
    target: object
    months: list  # TimelinessRow or None, one per month of the range
    total: TimelinessRow


def timeliness_table(filters: Filters) -> tuple[list[str], list[TimelinessSeries]]:
    """Month labels and, per channel and metric, the monthly rows side by side
    with the whole range's total (from the same single query)."""
    months = []
    month = filters.start.replace(day=1)
    while month < filters.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    series: dict[tuple[str, str], dict] = {}
    for row in timeliness_by_month(filters):
        series.setdefault((row.channel, row.metric), {})[row.month] = row
    result = []
    for (channel, metric), by_month in series.items():
        rows = list(by_month.values())
        count = sum(r.count for r in rows)
        weighted = [(r.mean, r.count) for r in rows if r.mean is not None]
        total = TimelinessRow(
            month=filters.start,
            channel=channel,
            metric=metric,
            count=count,
            within=sum(r.within for r in rows),
            target=rows[-1].target,
            mean=(
                sum(m * n for m, n in weighted) / sum(n for _m, n in weighted)
                if weighted and sum(n for _m, n in weighted)
                else None
            ),
        )
        result.append(
            TimelinessSeries(
                channel, metric, total.target, [by_month.get(m) for m in months], total
            )
        )
    return [m.strftime("%m/%y") for m in months], result
