"""The monitoring figures read from the monthly summaries
(:mod:`complaints.monitoring.summaries`): equal to the live computation, for
whole complete months from the summaries and live for the rest of a range."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Sum

from qms.measures import Period, bucket_start, period_buckets
from qms.models import OrgUnit
from qms.periods import month_start

from ..models import Case, CaseMonthSummary, CaseMonthTally
from . import periods, selectors
from .dashboard import CrossRow, cross_table
from .periods import PARTS, PeriodRow
from .scope import Filters, apply_filters
from .summaries import SUMMARY_FIELDS, ensure_fresh, summarised_months

# --------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------


def _live_spans(
    start: datetime.date, end: datetime.date, months: list[datetime.date]
) -> list[tuple[datetime.date, datetime.date]]:
    """The parts of ``[start, end)`` not covered by the (consecutive)
    summarised ``months``."""
    if not months:
        return [(start, end)] if start < end else []
    spans = []
    if start < months[0]:
        spans.append((start, months[0]))
    after = month_start(months[-1], 1)
    if after < end:
        spans.append((after, end))
    return spans


@dataclass(frozen=True)
class Narrow:
    """:class:`~complaints.monitoring.scope.Filters` with the unit tree resolved
    once (one query with a unit filter), to narrow cases and summary rows."""

    filters: Filters
    units: tuple[int, ...] | None

    @classmethod
    def of(cls, filters: Filters | Narrow) -> Narrow:
        if isinstance(filters, Narrow):
            return filters
        units = None
        if filters.org_unit:
            units = tuple(OrgUnit(pk=filters.org_unit).descendant_ids())
        return cls(filters, units)

    def __call__(self, rows: QuerySet) -> QuerySet:
        """``rows`` (cases or summary rows) narrowed like
        :func:`complaints.monitoring.scope.apply_filters`."""
        unitless = Filters(
            kind=self.filters.kind,
            channel=self.filters.channel,
            category=self.filters.category,
        )
        rows = apply_filters(rows, unitless)
        if self.units is not None:
            rows = rows.filter(org_unit_id__in=self.units)
        return rows


def _bucket(day: datetime.date, start: datetime.date, period: Period):
    return start if period is None else bucket_start(day, period)


def _add(target: dict, row: dict) -> None:
    for name, value in row.items():
        target[name] = target.get(name, 0) + (value or 0)


def _summary_rows(narrow: Narrow, months, parts) -> tuple[list[dict], list[dict]]:
    """Monthly sums of the summary (and, if ``parts`` needs them, of the
    tally) for ``months`` narrowed by ``filters``. Two queries (three with a
    unit filter)."""
    rows = narrow(CaseMonthSummary.objects.filter(month__in=months))
    sums = list(
        rows.values("month")
        .annotate(
            **{f"sum_{name}": Sum(name) for name in SUMMARY_FIELDS},
            **{
                f"sum_{kind}": Sum("received", filter=Q(kind=kind))
                for kind in Case.Kind.values
            },
        )
        .order_by()
    )
    sums = [
        {"month": row.pop("month"), **{k[4:]: v for k, v in row.items()}}
        for row in sums
    ]
    tally = []
    facts = [f for f in ("ack_days", "close_days") if f in parts]
    if facts:
        tally = list(
            narrow(CaseMonthTally.objects.filter(month__in=months, fact__in=facts))
            .values("month", "fact", "value")
            .annotate(n=Sum("n"))
            .order_by()
        )
    return sums, tally


def collect_parts(
    filters: Filters | Narrow,
    start: datetime.date,
    end: datetime.date,
    period: Period,
    *,
    parts: tuple[str, ...] = PARTS,
    calendar=None,
    now: datetime.datetime | None = None,
) -> dict[str, dict]:
    """:func:`complaints.monitoring.periods.collect_parts` for every case narrowed
    by ``filters``, from the summaries for whole complete months and live
    for the rest of the range."""
    narrow = Narrow.of(filters)
    months = summarised_months(start, end, now)
    ensure_fresh(months)
    got: dict[str, dict] = {
        part: defaultdict(Counter if part.endswith("_days") else dict)
        for part in parts
        if part != "exposure"
    }
    if "exposure" in parts:
        got["exposure"] = selectors.customer_exposure(start, end, period)
    if months:
        sums, tally = _summary_rows(narrow, months, parts)
        for row in sums:
            key = _bucket(row["month"], start, period)
            if "received" in parts:
                _add(
                    got["received"][key],
                    {
                        "total": row["received"],
                        **{kind: row[kind] for kind in Case.Kind.values},
                        "disputable": row["disputable"],
                        "disputed": row["disputed"],
                    },
                )
            for part, prefix in (("acknowledge", "ack"), ("respond", "answer")):
                if part in parts:
                    _add(
                        got[part][key],
                        {
                            "on_time": row[f"{prefix}_on_time"],
                            "total": row[f"{prefix}_total"],
                        },
                    )
            if "decisions" in parts:
                names = ("decided", "upheld", "cost_n", "cost_sum", "cost_sum2")
                _add(got["decisions"][key], {name: row[name] for name in names})
            if "closures" in parts:
                _add(
                    got["closures"][key],
                    {"closed": row["closed"], "reopened": row["reopened"]},
                )
        for row in tally:
            key = _bucket(row["month"], start, period)
            got[row["fact"]][key][int(row["value"])] += row["n"]
    live_parts = tuple(part for part in parts if part != "exposure")
    if live_parts:
        cases = narrow(Case.objects.all())
        for lo, hi in _live_spans(start, end, months):
            live = periods.collect_parts(
                cases, lo, hi, "month", parts=live_parts, calendar=calendar, now=now
            )
            for part, by_month in live.items():
                for month, row in by_month.items():
                    key = _bucket(month, start, period)
                    if part.endswith("_days"):
                        got[part][key].update(row)
                    else:
                        _add(got[part][key], row)
    return got


def period_rows(
    filters: Filters | Narrow,
    start: datetime.date,
    end: datetime.date,
    period: Period,
    *,
    parts: tuple[str, ...] = PARTS,
    calendar=None,
    now: datetime.datetime | None = None,
) -> list[PeriodRow]:
    """:func:`complaints.monitoring.periods.period_rows` over every case narrowed by
    ``filters`` (no reader scope), served from the monthly summaries; equal
    to the live figures. A constant number of queries."""
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise ValueError(f"unknown parts: {sorted(unknown)}")
    got = collect_parts(
        filters, start, end, period, parts=parts, calendar=calendar, now=now
    )
    return periods.rows_from_parts(got, start, end, period)


def received_by(
    filters: Filters | Narrow,
    start: datetime.date,
    end: datetime.date,
    dimension: str,
    *,
    now: datetime.datetime | None = None,
) -> list[dict]:
    """:func:`complaints.monitoring.selectors.received_by` by month for every case
    narrowed by ``filters``, from the summaries where they cover the range.
    Call after :func:`ensure_fresh` (or :func:`collect_parts`) on its months."""
    narrow = Narrow.of(filters)
    months = summarised_months(start, end, now)
    rows = []
    if months:
        group, label = selectors.DIMENSIONS[dimension]
        rows = list(
            narrow(CaseMonthSummary.objects.filter(month__in=months))
            .annotate(bucket=F("month"), group=group, label=label)
            .values("bucket", "group", "label")
            .annotate(n=Sum("received"))
            .filter(n__gt=0)
            .order_by("label", "bucket")
        )
    cases = narrow(Case.objects.all())
    for lo, hi in _live_spans(start, end, months):
        rows += selectors.received_by(cases, lo, hi, "month", dimension)
    return rows


def dispute_outcomes(
    filters: Filters | Narrow,
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime | None = None,
) -> list[dict]:
    """:func:`complaints.monitoring.selectors.dispute_outcomes` for every case narrowed
    by ``filters``, from the tally where it covers the range."""
    narrow = Narrow.of(filters)
    months = summarised_months(start, end, now)
    counts: Counter = Counter()
    if months:
        for row in (
            narrow(
                CaseMonthTally.objects.filter(month__in=months, fact="dispute_outcome")
            )
            .values("value")
            .annotate(n=Sum("n"))
            .order_by()
        ):
            counts[row["value"]] += row["n"]
    cases = narrow(Case.objects.all())
    for lo, hi in _live_spans(start, end, months):
        for row in selectors.dispute_outcomes(cases, lo, hi):
            counts[row["dispute_outcome"]] += row["n"]
    rows = [{"dispute_outcome": value, "n": n} for value, n in counts.items() if n]
    rows.sort(key=lambda row: (-row["n"], row["dispute_outcome"]))
    return rows


def cross_tables(
    filters: Filters | Narrow,
    start: datetime.date,
    end: datetime.date,
    empty_label: str,
    *,
    now: datetime.datetime | None = None,
) -> dict[str, list[CrossRow]]:
    """The monitoring page's three cross-tables by month."""
    narrow = Narrow.of(filters)
    keys = [key for key, _lo, _hi in period_buckets(start, end, "month")]
    return {
        dimension: cross_table(
            received_by(narrow, start, end, dimension, now=now), keys, empty_label
        )
        for dimension in ("channel", "main_category", "org_unit")
    }
