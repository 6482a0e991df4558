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
import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
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
from qms.models import Customer, OrgUnit
from qms.statistics import ControlChart, p_chart, u_chart

from .models import Case, Category
from .selectors import scope_q

Kind = Case.Kind
HANDLED_KINDS = (Kind.COMPLAINT, Kind.CLAIM, Kind.DISPUTE)
# Complaints and claims can grow into disputes; disputes themselves cannot.
DISPUTABLE_KINDS = (Kind.COMPLAINT, Kind.CLAIM)
NO_ANSWER_OWED = (Case.ClosureReason.NOT_A_COMPLAINT, Case.ClosureReason.DUPLICATE)
UPHELD = (Case.Outcome.UPHELD, Case.Outcome.PARTLY)

_TRUNC = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


# --------------------------------------------------------------------------
# Scope and filters
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to; ``None``/``""`` means everything."""

    kind: str = ""
    channel: int | None = None
    category: int | None = None
    org_unit: int | None = None

    @classmethod
    def from_dict(cls, values: Mapping | None) -> Filters:
        """Accepts ids or model instances under the keys ``kind``,
        ``channel``, ``category``, ``org_unit``."""
        values = values or {}

        def pk(name):
            value = values.get(name)
            return getattr(value, "pk", value) or None

        return cls(
            kind=values.get("kind") or "",
            channel=pk("channel"),
            category=pk("category"),
            org_unit=pk("org_unit"),
        )


def monitoring_scope(user) -> QuerySet[Case]:
    """The cases whose figures ``user`` may see: every unit's with
    ``view_all_cases``, else those of :func:`~complaints.selectors.scope_q`.

    Unlike :func:`~complaints.selectors.cases_visible_to`, confidential cases
    are counted: a count discloses nothing about a case, and leaving them out
    would give executives and quality managers different complaint rates.
    Runs up to two queries (the user's units).
    """
    if not user.has_perm("complaints.view_case"):
        return Case.objects.none()
    scope = scope_q(user)
    if scope is None:
        return Case.objects.all()
    return Case.objects.filter(pk__in=Case.objects.filter(scope).values("pk"))


def sees_every_case(user) -> bool:
    """Whether :func:`monitoring_scope` is every case for ``user``: their
    figures can then come from the monthly summaries."""
    return user.has_perm("complaints.view_case") and scope_q(user) is None


def apply_filters(cases: QuerySet[Case], filters: Filters) -> QuerySet[Case]:
    """Narrow ``cases``; a main category includes its subcategories and a unit
    the units below it. Runs one query when a unit is given (the unit tree)."""
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.channel:
        cases = cases.filter(channel_id=filters.channel)
    if filters.category:
        cases = cases.filter(
            Q(category_id=filters.category) | Q(category__parent_id=filters.category)
        )
    if filters.org_unit:
        units = OrgUnit(pk=filters.org_unit).descendant_ids()
        cases = cases.filter(org_unit_id__in=units)
    return cases


def handled(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Cases that owe the customer an acknowledgement and an answer."""
    return cases.filter(kind__in=HANDLED_KINDS).exclude(
        closure_reason__in=NO_ANSWER_OWED
    )


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
        if runs and _next_month(runs[-1][1]) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    if not runs:
        return Q(pk__in=[])
    q = _in_range(field, runs[0][0], _next_month(runs[0][1]))
    for first, last in runs[1:]:
        q |= _in_range(field, first, _next_month(last))
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
                "id", filter=Q(created_at__lt=local_midnight(_next_month(key)))
            )
            for index, (key, _lo, _hi) in enumerate(months)
        }
    )
    exposure: dict[datetime.date, float] = defaultdict(float)
    for index, (key, lo, hi) in enumerate(months):
        share = (hi - lo).days / (_next_month(key) - key).days
        exposure[_key(key, start, period)] += counts[f"m{index}"] * share
    return dict(exposure)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


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


# --------------------------------------------------------------------------
# Summaries of the day counts
# --------------------------------------------------------------------------


def percentile_from_counts(counts: Mapping[float, int], q: float) -> float | None:
    """The ``q``-th percentile (0-100) of values given as ``{value: how many}``,
    equal to :func:`qms.statistics.percentile` on the expanded list (linear
    interpolation at position ``(N - 1)·q/100``) without expanding it."""
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100, got {q!r}")
    items = sorted((float(v), n) for v, n in counts.items() if n > 0)
    total = sum(n for _v, n in items)
    if not total:
        return None
    position = (total - 1) * q / 100
    below = math.floor(position)
    above = min(below + 1, total - 1)

    def at(index: int) -> float:
        seen = 0
        for value, n in items:
            seen += n
            if index < seen:
                return value
        return items[-1][0]

    low, high = at(below), at(above)
    return low + (high - low) * (position - below)


def moments(counts: Mapping[float, int]) -> tuple[int, float, float]:
    """``(n, Σx, Σx²)`` of values given as ``{value: how many}``."""
    n = sum(counts.values())
    sum_x = math.fsum(v * k for v, k in counts.items())
    sum_x2 = math.fsum(v * v * k for v, k in counts.items())
    return n, sum_x, sum_x2


# --------------------------------------------------------------------------
# Everything about one period, for tables, measures and charts
# --------------------------------------------------------------------------

PARTS = (
    "received",
    "exposure",
    "acknowledge",
    "respond",
    "decisions",
    "closures",
    "ack_days",
    "close_days",
)


@dataclass
class PeriodRow:
    """The sufficient statistics of one period; figures are derived from them
    (so a row of totals is the sum of the rows, never an average of figures)."""

    start: datetime.date
    end: datetime.date
    received: Counter
    customer_months: float = 0.0
    ack_on_time: int = 0
    ack_total: int = 0
    answer_on_time: int = 0
    answer_total: int = 0
    ack_days: Counter | None = None
    close_days: Counter | None = None
    decided: int = 0
    upheld: int = 0
    cost_n: int = 0
    cost_sum: float = 0.0
    cost_sum2: float = 0.0
    closed: int = 0
    reopened: int = 0

    @classmethod
    def combine(
        cls, rows: list[PeriodRow], start: datetime.date, end: datetime.date
    ) -> PeriodRow:
        total = cls(start=start, end=end, received=Counter())
        total.ack_days, total.close_days = Counter(), Counter()
        for row in rows:
            total.received.update(row.received)
            total.ack_days.update(row.ack_days or {})
            total.close_days.update(row.close_days or {})
            for name in (
                "customer_months",
                "ack_on_time",
                "ack_total",
                "answer_on_time",
                "answer_total",
                "decided",
                "upheld",
                "cost_n",
                "cost_sum",
                "cost_sum2",
                "closed",
                "reopened",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total

    # Figures (None where there is no base)

    @property
    def cases(self) -> int:
        return self.received["total"]

    @property
    def feedback(self) -> int:
        return self.received[Kind.COMPLIMENT] + self.received[Kind.SUGGESTION]

    @property
    def rate(self) -> float | None:
        """Cases per 1,000 customers per month."""
        if not self.customer_months:
            return None
        return 1000 * self.cases / self.customer_months

    @staticmethod
    def _share(successes: int, trials: int) -> float | None:
        return successes / trials if trials else None

    @property
    def ack_share(self) -> float | None:
        return self._share(self.ack_on_time, self.ack_total)

    @property
    def answer_share(self) -> float | None:
        return self._share(self.answer_on_time, self.answer_total)

    @property
    def upheld_share(self) -> float | None:
        return self._share(self.upheld, self.decided)

    @property
    def reopen_share(self) -> float | None:
        return self._share(self.reopened, self.closed)

    @property
    def dispute_share(self) -> float | None:
        return self._share(self.received["disputed"], self.received["disputable"])

    @property
    def ack_days_n(self) -> int:
        return sum((self.ack_days or {}).values())

    @property
    def close_days_n(self) -> int:
        return sum((self.close_days or {}).values())

    @property
    def ack_median(self) -> float | None:
        return percentile_from_counts(self.ack_days or {}, 50)

    @property
    def ack_p90(self) -> float | None:
        return percentile_from_counts(self.ack_days or {}, 90)

    @property
    def close_median(self) -> float | None:
        return percentile_from_counts(self.close_days or {}, 50)

    @property
    def close_p90(self) -> float | None:
        return percentile_from_counts(self.close_days or {}, 90)


def period_rows(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    *,
    parts: tuple[str, ...] = PARTS,
    calendar: WorkingCalendar | None = None,
    now: datetime.datetime | None = None,
) -> list[PeriodRow]:
    """One :class:`PeriodRow` per bucket of ``[start, end)`` with the ``parts``
    asked for; one query per part (plus one for the calendar when a days part
    is asked for without one)."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {sorted(unknown)}")
    got = collect_parts(
        cases, start, end, period, parts=parts, calendar=calendar, now=now
    )
    return rows_from_parts(got, start, end, period)


def collect_parts(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    period: Period,
    *,
    parts: tuple[str, ...] = PARTS,
    calendar: WorkingCalendar | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, dict]:
    """The live selectors' results for ``parts``: ``{part: {bucket key: row}}``
    (one query per part, plus the calendar when needed)."""
    if calendar is None and {"ack_days", "close_days"} & set(parts):
        from qms.calendar import get_calendar

        calendar = get_calendar()
    got: dict[str, dict] = {}
    if "received" in parts:
        got["received"] = received(cases, start, end, period)
    if "exposure" in parts:
        got["exposure"] = customer_exposure(start, end, period)
    if "acknowledge" in parts:
        got["acknowledge"] = on_time(cases, start, end, period, "acknowledge", now)
    if "respond" in parts:
        got["respond"] = on_time(cases, start, end, period, "respond", now)
    if "decisions" in parts:
        got["decisions"] = decisions(cases, start, end, period)
    if "closures" in parts:
        got["closures"] = closures(cases, start, end, period)
    if "ack_days" in parts:
        got["ack_days"] = working_days(
            cases, start, end, period, "acknowledge", calendar
        )
    if "close_days" in parts:
        got["close_days"] = working_days(cases, start, end, period, "close", calendar)
    return got


def rows_from_parts(
    got: dict[str, dict], start: datetime.date, end: datetime.date, period: Period
) -> list[PeriodRow]:
    """One :class:`PeriodRow` per bucket from :func:`collect_parts`' shape."""
    rows = []
    for key, lo, hi in period_buckets(start, end, period):

        def part(name: str, key=key) -> dict:
            return got.get(name, {}).get(key) or {}

        decided = part("decisions")
        acknowledged, answered, closed = (
            part("acknowledge"),
            part("respond"),
            part("closures"),
        )
        rows.append(
            PeriodRow(
                start=lo,
                end=hi,
                received=Counter(part("received")),
                customer_months=float(got.get("exposure", {}).get(key, 0.0)),
                ack_on_time=acknowledged.get("on_time", 0),
                ack_total=acknowledged.get("total", 0),
                answer_on_time=answered.get("on_time", 0),
                answer_total=answered.get("total", 0),
                ack_days=Counter(part("ack_days")),
                close_days=Counter(part("close_days")),
                decided=decided.get("decided", 0),
                upheld=decided.get("upheld", 0),
                cost_n=decided.get("cost_n", 0),
                cost_sum=float(decided.get("cost_sum") or 0),
                cost_sum2=float(decided.get("cost_sum2") or 0),
                closed=closed.get("closed", 0),
                reopened=closed.get("reopened", 0),
            )
        )
    return rows


# --------------------------------------------------------------------------
# Cross-tables: cases per month and channel / main category / unit
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossRow:
    label: str
    counts: tuple[int, ...]
    total: int


def cross_table(
    rows: list[dict], keys: list[datetime.date], empty_label: str
) -> list[CrossRow]:
    """Rows of :func:`received_by` as one line per group with a count per
    bucket in ``keys``; the biggest groups first."""
    index = {key: i for i, key in enumerate(keys)}
    groups: dict[object, tuple[str, list[int]]] = {}
    for row in rows:
        _label, counts = groups.setdefault(
            row["group"], (row["label"] or empty_label, [0] * len(keys))
        )
        position = index.get(row["bucket"])
        if position is not None:
            counts[position] += row["n"]
    table = [
        CrossRow(label, tuple(counts), sum(counts)) for label, counts in groups.values()
    ]
    table.sort(key=lambda r: (-r.total, r.label))
    return table


# --------------------------------------------------------------------------
# The monitoring page's data
# --------------------------------------------------------------------------


@dataclass
class Dashboard:
    start: datetime.date
    end: datetime.date
    rows: list[PeriodRow]  # one per month
    total: PeriodRow
    by_channel: list[CrossRow]
    by_category: list[CrossRow]
    by_unit: list[CrossRow]
    recurring: list[RecurringProblem]
    dispute_outcomes: list[dict]
    rate_chart: ControlChart
    answer_chart: ControlChart


def dashboard(
    cases: QuerySet[Case],
    start: datetime.date,
    end: datetime.date,
    *,
    recurring_min: int = 10,
    recurring_days: int = 30,
    empty_label: str = "—",
    now: datetime.datetime | None = None,
    summary: Filters | None = None,
) -> Dashboard:
    """Everything the monitoring page shows for ``[start, end)`` by month.

    Runs a fixed number of queries whatever the number of cases: one per part
    of :func:`period_rows` (8) and the calendar (1), three cross-tables, the
    recurring problems and the dispute outcomes (5 more).

    With ``summary``, ``cases`` must be every case narrowed by those filters
    (a reader who sees every case): the figures then come from the monthly
    summaries (:mod:`complaints.summaries`), equal and much cheaper; only the
    recurring problems are read from the cases.
    """
    from qms.calendar import get_calendar

    keys = [key for key, _lo, _hi in period_buckets(start, end, "month")]
    if summary is not None:
        from . import summaries

        narrow = summaries.Narrow.of(summary)
        rows = summaries.period_rows(narrow, start, end, "month", now=now)
        tables = summaries.cross_tables(narrow, start, end, empty_label, now=now)
        outcomes = summaries.dispute_outcomes(narrow, start, end, now=now)
    else:
        rows = period_rows(cases, start, end, "month", calendar=get_calendar(), now=now)
        tables = {
            dimension: cross_table(
                received_by(cases, start, end, "month", dimension), keys, empty_label
            )
            for dimension in ("channel", "main_category", "org_unit")
        }
        outcomes = dispute_outcomes(cases, start, end)

    return Dashboard(
        start=start,
        end=end,
        rows=rows,
        total=PeriodRow.combine(rows, start, end),
        by_channel=tables["channel"],
        by_category=tables["main_category"],
        by_unit=tables["org_unit"],
        recurring=recurring_problems(
            cases, start, end, min_cases=recurring_min, window_days=recurring_days
        ),
        dispute_outcomes=outcomes,
        # Rates per 1,000 customer-months: the exposure in thousands.
        rate_chart=u_chart(
            [row.cases for row in rows],
            [row.customer_months / 1000 for row in rows],
        ),
        answer_chart=p_chart(
            [row.answer_on_time for row in rows], [row.answer_total for row in rows]
        ),
    )
