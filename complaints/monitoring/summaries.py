"""Monthly summaries of the complaints monitoring figures.

The figures of the live selectors (:mod:`complaints.monitoring.selectors`)
are sums over cases, each in the month of its own moment (received, settled,
decided, closed, acknowledged). Re-reading a year of cases on every page
view is slow at a million cases, so the sums of each COMPLETE local month are
kept per dimension (kind, channel, category, unit) in
:class:`~complaints.models.CaseMonthSummary` and, for the
day histograms and the dispute outcomes, :class:`~complaints.models.CaseMonthTally`.
The month still running is always computed live: "settled by now" makes it
change with the clock. A range that does not cover whole summarised months
(its first or last days, the current month) is computed live for that part,
and the two are added up, so every figure equals the live computation.

Validity: :class:`~complaints.models.CaseSummaryMonth` says which months are
up to date. A case save marks the months of its old and new moments stale
(:func:`case_saved`); a read first recomputes every stale or missing month of
its range in a constant number of queries (:func:`ensure_fresh`), then serves
(:mod:`complaints.monitoring.summary_figures`).

Concurrency: a refresh locks the state rows of the months it recomputes
before reading cases, and a save marks its months stale with an upsert on
the same rows inside its transaction, so a save either waits for the refresh
(and marks the month stale after it) or the refresh waits for the save (and
reads it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, DateField, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from qms.measures import local_midnight
from qms.periods import month_start

from ..models import Case, CaseMonthSummary, CaseMonthTally, CaseSummaryMonth
from . import selectors

DIMS = ("kind", "channel_id", "category_id", "org_unit_id")
# Every field a summarised fact depends on, and the moments that put a fact
# in a month (the settled moment is one of a deadline and its completion).
MOMENTS = (
    "received_at",
    "acknowledge_due_at",
    "acknowledged_at",
    "response_due_at",
    "communicated_at",
    "decided_at",
    "closed_at",
)
TRACKED = (
    *MOMENTS,
    "kind",
    "channel_id",
    "category_id",
    "org_unit_id",
    "origin_id",
    "paused_since",
    "outcome",
    "remedy_cost",
    "closure_reason",
    "reopen_count",
    "dispute_outcome",
)
SUMMARY_FIELDS = (
    "received",
    "disputable",
    "disputed",
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
)
BATCH = 2000


# --------------------------------------------------------------------------
# Months
# --------------------------------------------------------------------------


def _tz() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the local month ``moment`` falls in."""
    return timezone.localtime(moment, _tz()).date().replace(day=1)


def current_month(now: datetime.datetime | None = None) -> datetime.date:
    """The first day of the month still running (never summarised); with
    ``now`` in the past, the month of ``now``."""
    moment = timezone.now() if now is None else min(now, timezone.now())
    return month_of(moment)


def summarised_months(
    start: datetime.date, end: datetime.date, now: datetime.datetime | None = None
) -> list[datetime.date]:
    """The whole months of ``[start, end)`` before the current month."""
    limit = min(end, current_month(now))
    months = []
    month = start if start.day == 1 else month_start(start, 1)
    while month_start(month, 1) <= limit:
        months.append(month)
        month = month_start(month, 1)
    return months


# --------------------------------------------------------------------------
# Invalidation
# --------------------------------------------------------------------------


def remember_loaded(case: Case) -> None:
    """Keep the loaded values of :data:`TRACKED` (from ``Case.from_db``)."""
    values = case.__dict__
    case._summary_loaded = {name: values[name] for name in TRACKED if name in values}


def mark_dirty(months) -> None:
    """Mark ``months`` stale (one upsert; nothing for no months)."""
    months = sorted(set(months))
    if not months:
        return
    CaseSummaryMonth.objects.bulk_create(
        [CaseSummaryMonth(month=month, dirty=True) for month in months],
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["dirty"],
    )


def invalidate_all() -> None:
    """Mark every summarised month stale: after a bulk write of cases that
    went around :meth:`Case.save`, or a change of the working-day calendar."""
    CaseSummaryMonth.objects.filter(dirty=False).update(dirty=True)


def fields_touch_summaries(names) -> bool:
    """Whether writing the fields ``names`` (``channel`` or ``channel_id``)
    may change a summarised fact."""
    tracked = {name.removesuffix("_id") for name in TRACKED}
    return any(name.removesuffix("_id") in tracked for name in names)


def cases_bulk_created(cases) -> None:
    """After ``Case.objects.bulk_create``: mark the months of the new cases'
    moments (and their origins') stale; no query for current-month cases."""
    cutoff = local_midnight(current_month())
    months: set[datetime.date] = set()
    origins: set[int] = set()
    for case in cases:
        months |= _past_months(vars(case), cutoff)
        if case.origin_id:
            origins.add(case.origin_id)
    if origins:
        moments = Case.objects.filter(pk__in=origins).values_list(
            "received_at", flat=True
        )
        months |= {month_of(m) for m in moments if m < cutoff}
    mark_dirty(months)


def _past_months(values: dict, cutoff: datetime.datetime) -> set[datetime.date]:
    return {
        month_of(values[name])
        for name in MOMENTS
        if values.get(name) is not None and values[name] < cutoff
    }


def _origin_months(
    case: Case, origin_ids: set[int], cutoff: datetime.datetime
) -> set[datetime.date]:
    """The received months of the cases a dispute grew from (their
    ``disputed`` fact); the origin already loaded on ``case`` needs no query."""
    origin_ids.discard(None)
    moments = []
    cached = case._state.fields_cache.get("origin")
    if cached is not None and cached.pk in origin_ids and "received_at" in vars(cached):
        moments.append(cached.received_at)
        origin_ids.discard(cached.pk)
    if origin_ids:
        moments += Case.objects.filter(pk__in=origin_ids).values_list(
            "received_at", flat=True
        )
    return {month_of(m) for m in moments if m < cutoff}


def before_save(case: Case) -> None:
    """Before ``case.save()`` of an instance not loaded from the database but
    carrying the pk of a stored case (built by hand): read what it replaces,
    one query, so the save marks the months of the old values too. A new
    case (no pk) costs nothing."""
    if case.pk is None or hasattr(case, "_summary_loaded"):
        return
    stored = Case.objects.filter(pk=case.pk).values(*TRACKED).first()
    if stored is not None:
        case._summary_loaded = stored


def case_saved(case: Case) -> None:
    """After ``case.save()``: mark stale the complete months of its old and new
    moments when a summarised fact may have changed. No query when nothing
    tracked changed or every moment is in the current month."""
    loaded = getattr(case, "_summary_loaded", None)
    adding = loaded is None
    values = case.__dict__
    now_values = {name: values[name] for name in TRACKED if name in values}
    case._summary_loaded = now_values
    loaded = loaded or {}
    if not adding and all(
        name in loaded and loaded[name] == value for name, value in now_values.items()
    ):
        return
    cutoff = local_midnight(current_month())
    missing = [name for name in MOMENTS if name not in now_values]
    if missing:
        # Deferred fields were not written: the database holds them.
        now_values = {
            **now_values,
            **Case.objects.filter(pk=case.pk).values(*missing).first(),
        }
    months = _past_months(loaded, cutoff) | _past_months(now_values, cutoff)
    old_origin, new_origin = loaded.get("origin_id"), now_values.get("origin_id")
    if old_origin != new_origin:
        months |= _origin_months(case, {old_origin, new_origin}, cutoff)
    mark_dirty(months)


def case_deleted(case: Case) -> None:
    """After a case is deleted: its months (and its origin's) are stale."""
    values = case.__dict__
    if any(name not in values for name in MOMENTS):
        invalidate_all()
        return
    cutoff = local_midnight(current_month())
    months = _past_months(values, cutoff)
    if values.get("origin_id"):
        months |= _origin_months(case, {values["origin_id"]}, cutoff)
    mark_dirty(months)


# --------------------------------------------------------------------------
# Computing months
# --------------------------------------------------------------------------


def _months_query(cases: QuerySet[Case], months, calendar) -> tuple[dict, dict]:
    """The summary and tally rows of ``months`` from the live selectors,
    grouped by month and :data:`DIMS`: ``({(month, *dims): {field: value}},
    {(month, *dims, fact, value): n})``. Eight queries."""
    start, end = min(months), month_start(max(months), 1)
    grouping = {"by": DIMS, "months": months}
    summary: dict[tuple, dict] = defaultdict(dict)

    def take(rows: dict, names: dict[str, str]) -> None:
        for key, row in rows.items():
            target = summary[key]
            for field, name in names.items():
                target[field] = row[name] or 0

    take(
        selectors.received(cases, start, end, "month", **grouping),
        {"received": "total", "disputable": "disputable", "disputed": "disputed"},
    )
    for which, prefix in (("acknowledge", "ack"), ("respond", "answer")):
        take(
            selectors.on_time(cases, start, end, "month", which, None, **grouping),
            {f"{prefix}_on_time": "on_time", f"{prefix}_total": "total"},
        )
    take(
        selectors.decisions(cases, start, end, "month", **grouping),
        {name: name for name in ("decided", "upheld", "cost_n")}
        | {"cost_sum": "cost_sum", "cost_sum2": "cost_sum2"},
    )
    take(
        selectors.closures(cases, start, end, "month", **grouping),
        {"closed": "closed", "reopened": "reopened"},
    )
    tally: dict[tuple, int] = defaultdict(int)
    for which, fact in (("acknowledge", "ack_days"), ("close", "close_days")):
        counts = selectors.working_days(
            cases, start, end, "month", which, calendar, **grouping
        )
        for key, counter in counts.items():
            for days, n in counter.items():
                tally[(*key, fact, str(days))] += n
    outcomes = (
        cases.filter(
            selectors._in_months("received_at", start, end, months),
            kind=Case.Kind.DISPUTE,
        )
        .annotate(
            bucket=TruncMonth("received_at", output_field=DateField(), tzinfo=_tz())
        )
        .values("bucket", *DIMS, "dispute_outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in outcomes:
        key = (row["bucket"], *(row[d] for d in DIMS))
        tally[(*key, "dispute_outcome", row["dispute_outcome"])] += row["n"]
    wanted = set(months)
    return (
        {key: row for key, row in summary.items() if key[0] in wanted},
        {key: n for key, n in tally.items() if key[0] in wanted},
    )


def _dims(key: tuple) -> dict:
    month, kind, channel, category, unit = key[:5]
    return {
        "month": month,
        "kind": kind,
        "channel_id": channel,
        "category_id": category,
        "org_unit_id": unit,
    }


def refresh(months) -> int:
    """Recompute ``months`` (complete months only) and mark them up to date;
    a constant number of queries however many months (plus one insert per
    :data:`BATCH` rows). Returns the number of summary rows written."""
    from qms.calendar import get_calendar

    limit = current_month()
    months = sorted({m for m in months if m < limit})
    if not months:
        return 0
    with transaction.atomic():
        CaseSummaryMonth.objects.bulk_create(
            [CaseSummaryMonth(month=m) for m in months], ignore_conflicts=True
        )
        # Lock them: a concurrent save marks them stale only after we commit.
        list(
            CaseSummaryMonth.objects.select_for_update()
            .filter(month__in=months)
            .order_by("month")
            .values_list("month", flat=True)
        )
        summary, tally = _months_query(Case.objects.all(), months, get_calendar())
        CaseMonthSummary.objects.filter(month__in=months).delete()
        CaseMonthTally.objects.filter(month__in=months).delete()
        CaseMonthSummary.objects.bulk_create(
            [CaseMonthSummary(**_dims(key), **row) for key, row in summary.items()],
            batch_size=BATCH,
        )
        CaseMonthTally.objects.bulk_create(
            [
                CaseMonthTally(**_dims(key), fact=key[5], value=key[6], n=n)
                for key, n in tally.items()
            ],
            batch_size=BATCH,
        )
        CaseSummaryMonth.objects.filter(month__in=months).update(
            dirty=False, computed_at=timezone.now()
        )
    return len(summary)


def ensure_fresh(months) -> None:
    """Recompute the stale or never computed ``months`` (one query when all
    are up to date)."""
    months = list(months)
    if not months:
        return
    fresh = set(
        CaseSummaryMonth.objects.filter(month__in=months, dirty=False).values_list(
            "month", flat=True
        )
    )
    stale = [m for m in months if m not in fresh]
    if stale:
        refresh(stale)


def rebuild() -> int:
    """Recompute every complete month that holds a fact (after a bulk load);
    returns the number of summary rows."""
    from django.db.models import Min

    firsts = Case.objects.aggregate(**{name: Min(name) for name in MOMENTS})
    moments = [m for m in firsts.values() if m is not None]
    if not moments:
        return 0
    month, limit = month_of(min(moments)), current_month()
    months = []
    while month < limit:
        months.append(month)
        month = month_start(month, 1)
    with transaction.atomic():
        CaseMonthSummary.objects.exclude(month__in=months).delete()
        CaseMonthTally.objects.exclude(month__in=months).delete()
        CaseSummaryMonth.objects.exclude(month__in=months).delete()
        return refresh(months)


# --------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------


def _on_case_deleted(sender, instance, **kwargs) -> None:
    case_deleted(instance)


def _on_closure_day_loaded(sender, instance, **kwargs) -> None:
    instance._summary_date = instance.date


def _on_calendar_changed(sender, instance, **kwargs) -> None:
    # The working days between two dates changed, so the day histograms of
    # the months of events on or after the (old or new) closure day: usually
    # the current year's, not ten years' (a full refresh would fall on the
    # next reader's request).
    days = [d for d in (instance.date, getattr(instance, "_summary_date", None)) if d]
    if days:
        cutoff = current_month()
        CaseSummaryMonth.objects.filter(
            month__gte=min(days).replace(day=1), month__lt=cutoff, dirty=False
        ).update(dirty=True)
    instance._summary_date = instance.date


def connect_signals() -> None:
    """Keep the summaries right on deletions of cases and on changes of the
    working-day calendar (call from ``ComplaintsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_init, post_save

    from qms.models import ClosureDay

    post_delete.connect(_on_case_deleted, sender=Case, dispatch_uid="case-summary")
    post_init.connect(
        _on_closure_day_loaded, sender=ClosureDay, dispatch_uid="closure-summary"
    )
    for signal in (post_save, post_delete):
        signal.connect(
            _on_calendar_changed, sender=ClosureDay, dispatch_uid="closure-summary"
        )
