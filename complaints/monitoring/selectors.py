"""Monitoring of the complaints area: aggregates computed in SQL.

Every selector takes a queryset of cases (already scoped to the reader and
filtered), a period ``[start, end)`` of local dates and a bucket size
(``"month"``, ``"quarter"``, ``"year"`` or ``None`` for the whole range), and
runs ONE grouped query whatever the number of cases. Results are dicts keyed
by the bucket's first day (``qms.measures.period_buckets``); buckets without
cases are simply missing and read as zero.

Which date puts a case in a period depends on the figure:

* counts, rates, the dispute share: when the case was received;
* acknowledged / answered on time: when the outcome became known, i.e. the
  moment it was acknowledged (answered) if that was in time, else the
  deadline itself. Each case counts once; one not yet due is not counted;
* the upheld share and remedy cost: when the decision was made;
* the reopen share and the days to close: when the case was (last) closed;
* the days to acknowledge: when it was acknowledged.

On-time and timing figures cover the cases the ISO 10002 workflow answers
(complaints, claims, disputes) and leave out cases closed as "not a
complaint" or as duplicates, which never owed the customer an answer.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case as Switch
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    TruncDate,
    TruncMonth,
    TruncQuarter,
    TruncYear,
)
from django.utils import timezone

from qms.calendar import WorkingCalendar
from qms.measures import Period, bucket_start, local_midnight, period_buckets
from qms.models import Customer
from qms.periods import month_start

from ..models import Case, Category
from .scope import DISPUTABLE_KINDS, HANDLED_KINDS, UPHELD, Kind, handled

_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


# --------------------------------------------------------------------------
# Grouping helpers
# --------------------------------------------------------------------------


def _tz() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def _in_range(field: str, start: datetime.date, end: datetime.date) -> Q:
    return Q(
        **{f"{field}__gte": local_midnight(start), f"{field}__lt": local_midnight(end)}
    )


def _in_months(
    field: str,
    start: datetime.date,
    end: datetime.date,
    months: Sequence[datetime.date] | None,
) -> Q:
    """``field`` within ``[start, end)``, or with ``months`` (first days of
    months) within one of those months: consecutive months make one range."""
    if months is None:
        return _in_range(field, start, end)
    runs: list[list[datetime.date]] = []
    for month in sorted(set(months)):
        if runs and month_start(runs[-1][1], 1) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    if not runs:
        return Q(pk__in=[])
    q = _in_range(field, runs[0][0], month_start(runs[0][1], 1))
    for first, last in runs[1:]:
        q |= _in_range(field, first, month_start(last, 1))
    return q


def _grouped(
    cases: QuerySet,
    moment: str,
    start: datetime.date,
    end: datetime.date,
    period: Period,
    aggregates: dict,
    *,
    by: tuple[str, ...] = (),
    months: Sequence[datetime.date] | None = None,
) -> dict:
    """One row of ``aggregates`` per bucket of ``moment`` (a field or an
    annotation on ``cases``) within ``[start, end)`` (or within ``months``).
    With ``by`` (fields to group by as well) the keys are tuples
    ``(bucket, *values of by)``. One query."""
    cases = cases.filter(_in_months(moment, start, end, months))
    if period is None and not by:
        return {start: cases.aggregate(**aggregates)}
    if period is None:
        bucket = Value(start, output_field=DateField())
    else:
        bucket = _TRUNC[period](moment, output_field=DateField(), tzinfo=_tz())
    rows = (
        cases.annotate(bucket=bucket)
        .values("bucket", *by)
        .annotate(**aggregates)
        .order_by()
    )
    if not by:
        return {row.pop("bucket"): row for row in rows}
    return {(row.pop("bucket"), *(row.pop(name) for name in by)): row for row in rows}


def _key(day: datetime.date, start: datetime.date, period: Period) -> datetime.date:
    return start if period is None else bucket_start(day, period)


# --------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------


def received(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    **grouping,
) -> dict[datetime.date, dict]:
    """Cases received per bucket: ``total``, one count per kind, and
    ``disputable`` / ``disputed`` (complaints and claims, and those of them
    that later went to an external body). One query. ``grouping``: ``by``
    and ``months`` of :func:`_grouped`."""
    went_to_dispute = Exists(Case.objects.filter(origin=OuterRef("pk")))
    aggregates = {
        "total": Count("id"),
        **{kind: Count("id", filter=Q(kind=kind)) for kind in Kind.values},
        "disputable": Count("id", filter=Q(kind__in=DISPUTABLE_KINDS)),
        "disputed": Count(
            "id", filter=Q(kind__in=DISPUTABLE_KINDS) & Q(went_to_dispute)
        ),
    }
    return _grouped(cases, "received_at", start, end, period, aggregates, **grouping)


DIMENSIONS = {
    # name: (id expression, label expression)
    "channel": (F("channel_id"), F("channel__name")),
    "main_category": (
        Coalesce("category__parent_id", "category_id"),
        Coalesce("category__parent__name", "category__name"),
    ),
    "org_unit": (F("org_unit_id"), F("org_unit__name")),
}


def received_by(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    dimension: str,
) -> list[dict]:
    """Cases received per bucket and channel / main category / unit:
    rows ``{"bucket", "group", "label", "n"}`` (``group`` None for cases
    without a category). One query."""
    group, label = DIMENSIONS[dimension]
    cases = cases.filter(_in_range("received_at", start, end))
    if period is None:
        bucket = Value(start, output_field=DateField())
    else:
        bucket = _TRUNC[period]("received_at", output_field=DateField(), tzinfo=_tz())
    return list(
        cases.annotate(bucket=bucket, group=group, label=label)
        .values("bucket", "group", "label")
        .annotate(n=Count("id"))
        .order_by("label", "bucket")
    )


def customer_exposure(
    start: datetime.date, end: datetime.date, period: Period
) -> dict[datetime.date, float]:
    """Customer-months per bucket: for each month, the customers on the books
    at its end, weighted by the share of the month inside ``[start, end)``.

    Summing months makes the rate "cases per 1,000 customers per month"
    whatever the bucket size, so months, quarters and years compare. One
    query: a conditional count per month.
    """
    months = list(period_buckets(start, end, "month"))
    if not months:
        return {}
    counts = Customer.objects.aggregate(
        **{
            f"m{index}": Count(
                "id", filter=Q(created_at__lt=local_midnight(month_start(key, 1)))
            )
            for index, (key, _lo, _hi) in enumerate(months)
        }
    )
    exposure: dict[datetime.date, float] = defaultdict(float)
    for index, (key, lo, hi) in enumerate(months):
        share = (hi - lo).days / (month_start(key, 1) - key).days
        exposure[_key(key, start, period)] += counts[f"m{index}"] * share
    return dict(exposure)


_ON_TIME_FIELDS = {
    "acknowledge": ("acknowledged_at", "acknowledge_due_at"),
    "respond": ("communicated_at", "response_due_at"),
}


def on_time(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    which: str,
    now: datetime.datetime | None = None,
    **grouping,
) -> dict[datetime.date, dict]:
    """Acknowledged (``which="acknowledge"``) or answered (``"respond"``) on
    time: rows ``{"on_time", "total"}`` per bucket of the moment the outcome
    became known (see the module docstring). A case still paused and
    unanswered is left out: its deadline will move. One query."""
    done, due = _ON_TIME_FIELDS[which]
    now = now or timezone.now()
    in_time = Q(**{f"{done}__lte": F(due)})
    settled = Switch(
        When(in_time, then=F(done)), default=F(due), output_field=DateTimeField()
    )
    cases = handled(cases).filter(**{f"{due}__isnull": False})
    if which == "respond":
        cases = cases.filter(
            Q(paused_since__isnull=True) | Q(communicated_at__isnull=False)
        )
    # The settled moment is the deadline or an earlier completion, so it lies
    # in the range only if one of them does: an indexable pre-filter.
    months = grouping.get("months")
    cases = cases.filter(
        _in_months(done, start, end, months) | _in_months(due, start, end, months)
    )
    cases = cases.annotate(settled=settled).filter(settled__lte=now)
    aggregates = {"on_time": Count("id", filter=in_time), "total": Count("id")}
    return _grouped(cases, "settled", start, end, period, aggregates, **grouping)


def decisions(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    **grouping,
) -> dict[datetime.date, dict]:
    """Per bucket of the decision date: ``decided``, ``upheld`` (fully or
    partly), and the remedy cost as ``cost_n``, ``cost_sum``, ``cost_sum2``.
    One query."""
    aggregates = {
        "decided": Count("id", filter=~Q(outcome="")),
        "upheld": Count("id", filter=Q(outcome__in=UPHELD)),
        "cost_n": Count("remedy_cost"),
        "cost_sum": Sum("remedy_cost"),
        "cost_sum2": Sum(F("remedy_cost") * F("remedy_cost")),
    }
    return _grouped(cases, "decided_at", start, end, period, aggregates, **grouping)


def closures(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    **grouping,
) -> dict[datetime.date, dict]:
    """Per bucket of the (last) closing date: ``closed`` and ``reopened``
    (closed cases that had been reopened at least once). One query."""
    aggregates = {
        "closed": Count("id"),
        "reopened": Count("id", filter=Q(reopen_count__gt=0)),
    }
    return _grouped(
        handled(cases), "closed_at", start, end, period, aggregates, **grouping
    )


def dispute_outcomes(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> list[dict]:
    """Disputes received in ``[start, end)`` by outcome (``""`` = open):
    rows ``{"dispute_outcome", "n"}``. One query."""
    return list(
        cases.filter(_in_range("received_at", start, end), kind=Kind.DISPUTE)
        .values("dispute_outcome")
        .annotate(n=Count("id"))
        .order_by("-n", "dispute_outcome")
    )


_DURATION_FIELDS = {"acknowledge": "acknowledged_at", "close": "closed_at"}


def working_days(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    which: str,
    calendar: WorkingCalendar,
    *,
    by: tuple[str, ...] = (),
    months: Sequence[datetime.date] | None = None,
) -> dict[datetime.date, Counter]:
    """Working days from receipt to acknowledgement (``"acknowledge"``) or to
    closure (``"close"``), as a count of cases per number of days, per bucket
    of the event date.

    One query, grouped by (received date, event date): the Python side grows
    with the number of distinct date pairs, not with the number of cases.
    ``calendar`` must cover every date involved (build it with
    ``get_calendar()``, unbounded). With ``by`` / ``months`` as in
    :func:`_grouped` (keys ``(bucket, *values of by)``).
    """
    event = _DURATION_FIELDS[which]
    rows = (
        handled(cases)
        .filter(_in_months(event, start, end, months))
        .annotate(
            received_date=TruncDate("received_at", tzinfo=_tz()),
            event_date=TruncDate(event, tzinfo=_tz()),
        )
        .values("received_date", "event_date", *by)
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = list(rows)
    # Working days up to each date of the span, counted once: a pair's
    # duration is then a subtraction (working_days_between is a day-by-day
    # walk, and a year holds thousands of date pairs).
    upto: dict[datetime.date, int] = {}
    if rows:
        dates = [r["received_date"] for r in rows] + [r["event_date"] for r in rows]
        day, last, count = min(dates), max(dates), 0
        while day <= last:
            count += calendar.is_working_day(day)
            upto[day] = count
            day += datetime.timedelta(days=1)
    result: dict = defaultdict(Counter)
    for row in rows:
        days = max(upto[row["event_date"]] - upto[row["received_date"]], 0)
        key = _key(row["event_date"], start, period)
        if by:
            key = (key, *(row[name] for name in by))
        result[key][days] += row["n"]
    return dict(result)


@dataclass(frozen=True)
class RecurringProblem:
    category_id: int
    label: str
    cases: int  # most cases in any window of ``window_days`` days
    first_day: datetime.date  # first and last day with a case in that window
    last_day: datetime.date
    total: int  # cases of the category in the whole period


def recurring_problems(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    *,
    min_cases: int = 10,
    window_days: int = 30,
) -> list[RecurringProblem]:
    """Categories with at least ``min_cases`` complaints, claims or disputes
    within some ``window_days`` consecutive days of ``[start, end)``, most
    cases first.

    One query counts cases per category and day (without the names, so
    PostgreSQL answers it from the covering ``case_recurring_idx`` alone), one
    reads the category names; the sliding window then runs over those day
    counts (at most days x categories rows).
    """
    rows = (
        cases.filter(
            _in_range("received_at", start, end),
            kind__in=HANDLED_KINDS,
            category__isnull=False,
        )
        .annotate(day=TruncDate("received_at", tzinfo=_tz()))
        .values("category_id", "day")
        .annotate(n=Count("*"))
        .order_by("category_id", "day")
    )
    per_category: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for row in rows:
        per_category[row["category_id"]].append((row["day"], row["n"]))
    labels = {
        category.pk: (
            f"{category.parent.name} / {category.name}"
            if category.parent
            else category.name
        )
        for category in Category.objects.select_related("parent")
    }
    found = []
    span = datetime.timedelta(days=window_days)
    for category_id, days in per_category.items():
        best, best_window = 0, (days[0][0], days[0][0])
        left, running = 0, 0
        for day, n in days:
            running += n
            # Keep only the days within window_days of ``day`` (inclusive).
            while days[left][0] <= day - span:
                running -= days[left][1]
                left += 1
            if running > best:
                best, best_window = running, (days[left][0], day)
        if best >= min_cases:
            found.append(
                RecurringProblem(
                    category_id=category_id,
                    label=labels[category_id],
                    cases=best,
                    first_day=best_window[0],
                    last_day=best_window[1],
                    total=sum(n for _day, n in days),
                )
            )
    found.sort(key=lambda p: (-p.cases, p.label))
    return found
