"""The monthly summaries serve exactly the live figures.

Random-ish cases over November 2025 to May 2026 (now: 20 May 2026, Tallinn):
every figure read through :mod:`complaints.monitoring.summary_figures` (and
so the registry's complaints measures and the monitoring page of readers of
every case) must equal the live computation (:mod:`complaints.monitoring`),
for months, quarters, years and the whole range, with each filter, and again
after edits.
"""

import datetime
import itertools
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints import measures, personal_data, services
from complaints.models import (
    Case,
    CaseMonthSummary,
    CaseMonthTally,
    CaseSummaryMonth,
    Category,
)
from complaints.monitoring import periods, summaries, summary_figures
from complaints.monitoring.dashboard import dashboard
from complaints.monitoring.scope import Filters, apply_filters
from qms.models import Channel, ClosureDay
from tests.factories import CustomerFactory, OrgUnitFactory

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
NOW = datetime.datetime(2026, 5, 20, 12, 0, tzinfo=TALLINN)
CURRENT = datetime.date(2026, 5, 1)
FIRST = datetime.date(2025, 11, 1)
K = Case.Kind

RANGES = [
    (FIRST, datetime.date(2026, 6, 1)),  # whole months, the current one too
    (datetime.date(2025, 11, 15), datetime.date(2026, 5, 10)),  # unaligned
    (datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)),  # summarised only
    (datetime.date(2025, 12, 3), datetime.date(2025, 12, 20)),  # inside a month
]
PERIODS = ["month", "quarter", "year", None]


@pytest.fixture
def sweep() -> str:
    """How many combinations a test compares after each change: pairwise.
    The tests parametrised with ``EVERY_SWEEP`` compare every combination in
    the slow run too (``pytest --slow``, once in CI)."""
    return "pairwise"


EVERY_SWEEP = pytest.mark.parametrize(
    "sweep", ["pairwise", pytest.param("full", marks=pytest.mark.slow)]
)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


_numbers = iter(range(1, 100_000))


def moment(rng, lo: datetime.date, days: int) -> datetime.datetime:
    day = lo + datetime.timedelta(days=rng.randrange(days))
    return datetime.datetime(
        day.year,
        day.month,
        day.day,
        rng.randrange(24),
        rng.randrange(60),
        tzinfo=TALLINN,
    )


def make_case(**fields) -> Case:
    fields.setdefault("description", "x")
    fields["reference"] = f"K-2026-{next(_numbers):06d}"
    return Case.objects.create(**fields)


@pytest.fixture
def world():
    rng = random.Random(7)
    top = OrgUnitFactory(name="Service")
    sub = OrgUnitFactory(name="Network", parent=top)
    other = OrgUnitFactory(name="Billing desk")
    water = Category.objects.create(name="Water", code="w")
    brown = Category.objects.create(name="Discoloured", code="w-d", parent=water)
    bills = Category.objects.create(name="Bills", code="b")
    channels = list(Channel.objects.order_by("pk")[:3])
    for created in (datetime.datetime(2025, 1, 1, tzinfo=TALLINN), NOW):
        CustomerFactory(created_at=created)
    cases = []
    kinds = [K.COMPLAINT] * 4 + [K.CLAIM] * 2 + [K.COMPLIMENT, K.SUGGESTION, K.DISPUTE]
    for _number in range(160):
        received = moment(rng, FIRST, 200)
        if received > NOW:
            received = NOW - datetime.timedelta(hours=rng.randrange(1, 400))
        fields = {
            "kind": rng.choice(kinds),
            "channel": rng.choice(channels),
            "category": rng.choice([water, brown, bills, None]),
            "org_unit": rng.choice([top, sub, other]),
            "received_at": received,
            "acknowledge_due_at": received + datetime.timedelta(days=2),
            "response_due_at": received + datetime.timedelta(days=rng.choice([15, 30])),
        }
        if rng.random() < 0.8:
            fields["acknowledged_at"] = received + datetime.timedelta(
                hours=rng.randrange(1, 100)
            )
        if rng.random() < 0.6:
            decided = received + datetime.timedelta(days=rng.randrange(1, 40))
            fields["decided_at"] = decided
            fields["outcome"] = rng.choice(list(Case.Outcome.values))
            if fields["outcome"] == Case.Outcome.NOT_UPHELD:
                fields["decision_reasons"] = "because"
            if rng.random() < 0.5:
                # Multiples of 0.25 sum exactly in binary too (SQLite).
                fields["remedy_cost"] = Decimal(rng.randrange(1, 4000)) / 4
            if rng.random() < 0.8:
                fields["communicated_at"] = decided + datetime.timedelta(hours=3)
                if rng.random() < 0.7:
                    fields["closed_at"] = decided + datetime.timedelta(days=2)
                    fields["status"] = Case.Status.CLOSED
                    fields["closure_reason"] = rng.choice(
                        list(Case.ClosureReason.values)
                    )
                    fields["reopen_count"] = rng.choice([0, 0, 0, 1, 2])
        elif rng.random() < 0.2:
            fields["paused_since"] = received + datetime.timedelta(days=1)
        if fields["kind"] == K.DISPUTE:
            fields["dispute_outcome"] = rng.choice(["", *Case.DisputeOutcome.values])
            earlier = [
                c
                for c in cases
                if c.kind in (K.COMPLAINT, K.CLAIM) and c.received_at < received
            ]
            if earlier and rng.random() < 0.7:
                fields["origin"] = rng.choice(earlier)
        cases.append(make_case(**fields))
    return {
        "cases": cases,
        "rng": rng,
        "units": (top, sub, other),
        "categories": (water, brown, bills),
        "channels": channels,
    }


def filter_sets(world):
    top, sub, _other = world["units"]
    water, brown, _bills = world["categories"]
    return [
        Filters(),
        Filters(kind=K.COMPLAINT),
        Filters(kind=K.DISPUTE),
        Filters(channel=world["channels"][0].pk),
        Filters(category=water.pk),
        Filters(category=brown.pk),
        Filters(org_unit=top.pk),
        Filters(org_unit=sub.pk, category=water.pk, kind=K.CLAIM),
    ]


def live_rows(filters, start, end, period):
    cases = apply_filters(Case.objects.all(), filters)
    return periods.period_rows(cases, start, end, period)


def sweep_points(world, sweep: str) -> list:
    """The (filters, range, period) combinations a sweep compares. ``full`` is
    every one (8 by 4 by 4, slow: thousands of aggregate queries); ``pairwise``
    covers every pair of values (each filter with each range and each period,
    each range with each period) in a quarter of the queries."""
    filters = filter_sets(world)
    if sweep == "full":
        return list(itertools.product(filters, RANGES, PERIODS))
    return [
        (one, RANGES[r], PERIODS[(i + r) % len(PERIODS)])
        for i, one in enumerate(filters)
        for r in range(len(RANGES))
    ]


def measure_points(sweep: str) -> list:
    """(measure, filter set, period): all of them, or pairwise (each measure
    with each filter set and each period, each filter set with each period)."""
    if sweep == "full":
        return list(itertools.product(measures.MEASURES, range(3), PERIODS))
    return [
        (measure, (m + p) % 3, period)
        for m, measure in enumerate(measures.MEASURES)
        for p, period in enumerate(PERIODS)
    ]


def assert_all_equal(world, sweep: str = "pairwise"):
    for filters, (start, end), period in sweep_points(world, sweep):
        served = summary_figures.period_rows(filters, start, end, period)
        assert served == live_rows(filters, start, end, period), (
            filters,
            start,
            end,
            period,
        )
    for filters in filter_sets(world)[: 4 if sweep == "full" else 2]:
        assert_dashboard_equal(filters)
    assert_measures_equal(world, sweep)
    assert not CaseMonthSummary.objects.filter(month__gte=CURRENT).exists()
    assert not CaseMonthTally.objects.filter(month__gte=CURRENT).exists()


def assert_dashboard_equal(filters, start=FIRST, end=datetime.date(2026, 6, 1)):
    cases = apply_filters(Case.objects.all(), filters)
    live = dashboard(cases, start, end, recurring_min=2)
    served = dashboard(cases, start, end, recurring_min=2, summary=filters)
    assert served == live


def assert_measures_equal(world, sweep: str):
    _top, sub, _other = world["units"]
    water = world["categories"][0]
    filter_choices = ({}, {"kind": K.CLAIM}, {"category": water, "org_unit": sub})
    for measure, choice, period in measure_points(sweep):
        filters = filter_choices[choice]
        reading = measures.READINGS[measure.key]
        start, end = FIRST, datetime.date(2026, 6, 1)
        served = measure.compute(start, end, period=period, filters=filters)
        cases = apply_filters(Case.objects.all(), Filters.from_dict(filters))
        live = [
            measures.point_from_row(row, reading)
            for row in periods.period_rows(
                cases, start, end, period, parts=reading.parts
            )
        ]
        assert served == live, (measure.key, filters, period)


@EVERY_SWEEP
def test_summaries_equal_the_live_figures(sweep, world):
    assert_all_equal(world, sweep)
    months = set(CaseSummaryMonth.objects.values_list("month", flat=True))
    assert months == {datetime.date(2025, m, 1) for m in (11, 12)} | {
        datetime.date(2026, m, 1) for m in (1, 2, 3, 4)
    }
    assert CaseMonthSummary.objects.exists() and CaseMonthTally.objects.exists()


@EVERY_SWEEP
def test_summaries_follow_edits(sweep, world, quality_manager):
    assert_all_equal(world, sweep)
    rng = world["rng"]
    cases = [c for c in world["cases"] if c.received_at.date() < CURRENT]
    water, brown, bills = world["categories"]
    # Reclassify, move to another unit, change the kind.
    for case in rng.sample(cases, 10):
        case = Case.objects.get(pk=case.pk)
        case.category = rng.choice([water, brown, bills, None])
        case.org_unit = world["units"][2]
        case.save()
    case = Case.objects.get(pk=rng.choice(cases).pk)
    case.kind = K.CLAIM if case.kind != K.CLAIM else K.COMPLAINT
    case.save(update_fields=["kind"])
    # Close and reopen.
    open_cases = [c for c in cases if c.closed_at is None]
    for case in rng.sample(open_cases, 5):
        case = Case.objects.get(pk=case.pk)
        case.closed_at = case.received_at + datetime.timedelta(days=9)
        case.closure_reason = Case.ClosureReason.RESOLVED
        case.status = Case.Status.CLOSED
        case.save()
    closed = [c for c in cases if c.closed_at is not None]
    for case in rng.sample(closed, 5):
        case = Case.objects.get(pk=case.pk)
        case.closed_at = None
        case.reopen_count += 1
        case.status = Case.Status.INVESTIGATING
        case.save()
    # Decide with a cost; acknowledge late.
    for case in rng.sample(cases, 5):
        case = Case.objects.get(pk=case.pk)
        case.decided_at = case.received_at + datetime.timedelta(days=3)
        case.outcome = Case.Outcome.UPHELD
        case.remedy_cost = Decimal("12.25")
        case.acknowledged_at = case.received_at + datetime.timedelta(days=5)
        case.save()
    assert_all_equal(world, sweep)

    # A dispute grown from an old complaint (received this month).
    origin = next(c for c in cases if c.kind == K.COMPLAINT and not c.disputes.exists())
    make_case(
        kind=K.DISPUTE,
        origin=origin,
        channel=origin.channel,
        org_unit=origin.org_unit,
        received_at=NOW - datetime.timedelta(hours=2),
    )
    # Personal data erasure (queryset updates of text fields only).
    customer = CustomerFactory(name="Mari Maasikas")
    Case.objects.filter(pk__in=[c.pk for c in cases[:5]]).update(customer=customer)
    personal_data.anonymise(customer)
    # A closure day changes working days; a case is deleted.
    ClosureDay.objects.create(date=datetime.date(2026, 2, 10), reason="Move")
    victim = Case.objects.filter(disputes__isnull=True, origin__isnull=True).first()
    victim.transitions.all().delete()
    victim.delete()
    assert_all_equal(world, sweep)


def test_a_dispute_marks_its_origins_month_stale(sweep, world):
    summaries.ensure_fresh(summaries.summarised_months(FIRST, CURRENT))
    origin = next(
        c
        for c in world["cases"]
        if c.kind == K.COMPLAINT and c.received_at.date() < CURRENT
    )
    with CaptureQueriesContext(connection) as queries:
        make_case(
            kind=K.DISPUTE,
            origin=origin,
            channel=origin.channel,
            org_unit=origin.org_unit,
        )
    month = summaries.month_of(origin.received_at)
    assert CaseSummaryMonth.objects.get(month=month).dirty
    # The origin was loaded with the dispute: no query to find its month.
    assert not any(
        "received_at" in q["sql"] and "SELECT" in q["sql"][:7]
        for q in queries.captured_queries
    )
    assert_all_equal(world, sweep)


def test_a_save_in_the_current_month_adds_no_query(world, django_assert_num_queries):
    summaries.ensure_fresh(summaries.summarised_months(FIRST, CURRENT))
    received = NOW - datetime.timedelta(days=3)
    made = make_case(
        kind=K.COMPLAINT,
        channel=world["channels"][0],
        org_unit=world["units"][0],
        received_at=received,
        acknowledge_due_at=received + datetime.timedelta(days=1),
        response_due_at=received + datetime.timedelta(days=15),
    )
    case = Case.objects.get(pk=made.pk)
    case.description = "new text"
    with CaptureQueriesContext(connection) as plain:
        case.save()
    case.acknowledged_at = NOW
    case.category = world["categories"][2]
    # The same UPDATE and history row as a save of text only: nothing more.
    with django_assert_num_queries(len(plain.captured_queries)):
        case.save()
    assert not CaseSummaryMonth.objects.filter(dirty=True).exists()
    # An old case's save marks its months stale with one more query.
    old = Case.objects.filter(
        received_at__lt=datetime.datetime(2026, 2, 1, tzinfo=TALLINN)
    ).first()
    old.category = world["categories"][2]
    with django_assert_num_queries(len(plain.captured_queries) + 1):
        old.save()
    assert CaseSummaryMonth.objects.filter(dirty=True).exists()


def _not_inserts(queries) -> int:
    """Queries other than the batched inserts of summary rows (one per 2,000
    rows on PostgreSQL, per 999 parameters on SQLite)."""
    return sum(
        not q["sql"].startswith('INSERT INTO "complaints_casemonth')
        for q in queries.captured_queries
    )


def test_a_refresh_runs_the_same_queries_for_one_or_many_stale_months(world):
    months = summaries.summarised_months(FIRST, CURRENT)
    summaries.ensure_fresh(months)
    summaries.mark_dirty(months[:1])
    with CaptureQueriesContext(connection) as one:
        summary_figures.period_rows(Filters(), FIRST, CURRENT, "month")
    summaries.mark_dirty(months)
    with CaptureQueriesContext(connection) as many:
        summary_figures.period_rows(Filters(), FIRST, CURRENT, "month")
    assert _not_inserts(many) == _not_inserts(one)
    assert CaseSummaryMonth.objects.filter(dirty=False).count() == len(months)


def test_up_to_date_months_are_read_in_constant_queries(
    world, django_assert_num_queries
):
    months = summaries.summarised_months(FIRST, CURRENT)
    summaries.ensure_fresh(months)
    # The state, the monthly sums, the day tallies, the exposure.
    with django_assert_num_queries(4):
        summary_figures.period_rows(Filters(), FIRST, CURRENT, "month")
    for _number in range(50):
        make_case(
            kind=K.COMPLAINT,
            channel=world["channels"][1],
            org_unit=world["units"][1],
            received_at=datetime.datetime(2026, 2, 3, 9, tzinfo=TALLINN),
            acknowledged_at=datetime.datetime(2026, 2, 4, 9, tzinfo=TALLINN),
        )
    summaries.ensure_fresh(months)
    with django_assert_num_queries(4):
        summary_figures.period_rows(Filters(), FIRST, CURRENT, "month")


def test_services_keep_the_summaries_right(sweep, world, quality_manager):
    assert_all_equal(world, sweep)
    old = [
        c
        for c in world["cases"]
        if c.received_at.date() < CURRENT
        and c.kind == K.COMPLAINT
        and c.closed_at is None
        and c.status != Case.Status.CLOSED
        and c.paused_since is None
    ]
    for case in old[:3]:
        case = Case.objects.get(pk=case.pk)
        services.case_pause(case=case, reason="waiting", by=quality_manager)
    assert_all_equal(world, sweep)
    for case in old[:2]:
        case = Case.objects.get(pk=case.pk)
        services.case_resume(case=case, by=quality_manager)
    assert_all_equal(world, sweep)


def test_rebuild_recomputes_every_month(sweep, world):
    summaries.ensure_fresh(summaries.summarised_months(FIRST, CURRENT))
    Case.objects.filter(kind=K.CLAIM).update(kind=K.COMPLAINT)  # behind its back
    summaries.rebuild()
    assert_all_equal(world, sweep)


def test_bulk_writes_keep_the_summaries_right(sweep, world):
    assert_all_equal(world, sweep)
    channel, unit = world["channels"][0], world["units"][1]
    received = datetime.datetime(2026, 1, 14, 10, tzinfo=TALLINN)
    Case.objects.bulk_create(
        [
            Case(
                reference=f"K-B-{number}",
                kind=K.CLAIM,
                channel=channel,
                org_unit=unit,
                description="x",
                received_at=received,
                acknowledge_due_at=received + datetime.timedelta(days=1),
                acknowledged_at=received + datetime.timedelta(days=2),
            )
            for number in range(5)
        ]
    )
    assert_all_equal(world, sweep)
    Case.objects.filter(kind=K.CLAIM).update(channel=world["channels"][1])
    assert_all_equal(world, sweep)
    cases = list(Case.objects.filter(kind=K.COMPLAINT)[:5])
    for case in cases:
        case.category = world["categories"][2]
    Case.objects.bulk_update(cases, ["category"])
    assert_all_equal(world, sweep)
    # Fields no figure depends on leave the summaries up to date.
    Case.objects.update(subject="changed")
    assert not CaseSummaryMonth.objects.filter(dirty=True).exists()


def test_a_closure_day_marks_stale_only_the_months_from_its_own(sweep, world):
    summaries.ensure_fresh(summaries.summarised_months(FIRST, CURRENT))
    day = ClosureDay.objects.create(date=datetime.date(2026, 3, 10), reason="Move")
    stale = set(
        CaseSummaryMonth.objects.filter(dirty=True).values_list("month", flat=True)
    )
    assert stale == {datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)}
    assert_all_equal(world, sweep)

    # Moved earlier: the months from the old and the new date are stale.
    day = ClosureDay.objects.get(pk=day.pk)
    day.date = datetime.date(2026, 1, 5)
    day.save()
    stale = set(
        CaseSummaryMonth.objects.filter(dirty=True).values_list("month", flat=True)
    )
    assert min(stale) == datetime.date(2026, 1, 1)
    assert_all_equal(world, sweep)
    day.delete()
    assert_all_equal(world, sweep)


def test_a_case_saved_without_being_loaded_marks_only_its_months(sweep, world):
    summaries.ensure_fresh(summaries.summarised_months(FIRST, CURRENT))
    loaded = Case.objects.filter(received_at__lt=NOW.replace(day=1)).first()
    by_hand = Case(
        **{f.attname: getattr(loaded, f.attname) for f in Case._meta.concrete_fields}
    )
    by_hand.remedy_cost = Decimal("12.50")
    by_hand.decided_at = by_hand.received_at + datetime.timedelta(days=3)
    by_hand.outcome = Case.Outcome.UPHELD
    by_hand.save()
    stale = set(
        CaseSummaryMonth.objects.filter(dirty=True).values_list("month", flat=True)
    )
    assert stale and len(stale) < CaseSummaryMonth.objects.count()
    assert_all_equal(world, sweep)
