"""The complaints demo data: a believable two years with one planted signal."""

import re
from collections import defaultdict

import pytest
from django.utils import timezone

from complaints import demo as complaints_demo
from complaints import measures
from complaints.demo import data as demo_data
from complaints.models import (
    Case,
    CaseSequence,
    Category,
    RootCauseAnalysis,
    Transition,
)
from complaints.rca import demo as rca_demo
from complaints.rca import services as rca_services
from qms import demo, statistics
from qms.periods import month_start
from tests.worlds import module_world

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.xdist_group("complaints-demo"),
    pytest.mark.single_db,
]

Status = Case.Status


# Seeding takes seconds (thousands of cases), so the module seeds once and
# each test reads (or changes, in its own savepoint) the same demo world.
@module_world
def seeded():
    """The core demo and the complaints demo (with its root-cause analyses)."""
    ctx = demo.seed()
    complaints_demo.seed(ctx)
    return ctx


def test_the_planted_spike_is_flagged_by_the_u_chart(seeded):
    spike = Category.objects.get(code=demo_data.SPIKE_CATEGORY)
    today = timezone.localdate()
    start = month_start(today, 1 - demo_data.MONTHS)
    end = today.replace(day=1)  # complete months only
    rate = measures.CASES_PER_1000
    points = rate.points(start, end, period="month", filters={"category": spike})
    chart = rate.control_chart(points)
    flagged = {
        points[s.index].start
        for s in chart.signals
        if s.rule == statistics.RULE_OUTSIDE_LIMITS and s.side == statistics.ABOVE
    }
    assert flagged == {demo_data.SPIKE_MONTH}


def test_seed_makes_consistent_cases_once(seeded):
    assert 3000 <= seeded.created["cases"] == Case.objects.count() <= 4500
    assert seeded.created["case categories"] == 21
    _cases_follow_the_workflow()
    _references_continue_the_yearly_sequences()
    again = demo.DemoContext(rng=seeded.rng, users=seeded.users, units=seeded.units)
    complaints_demo.seed(again)
    assert again.created == {}
    assert Case.objects.count() == seeded.created["cases"]


def _cases_follow_the_workflow():
    cases = list(Case.objects.select_related("origin"))
    assert {case.kind for case in cases} == set(Case.Kind.values)
    assert any(case.reopen_count for case in cases)
    assert Case.objects.overdue(timezone.now()).exists()
    assert Case.objects.filter(remedy_cost__gt=0).exists()
    last_status, first_action = {}, {}
    for case_id, action, to_status in Transition.objects.order_by(
        "at", "pk"
    ).values_list("case_id", "action", "to_status"):
        first_action.setdefault(case_id, action)
        last_status[case_id] = to_status
    for case in cases:
        assert first_action[case.pk] == "register"
        assert last_status[case.pk] == case.status, case.reference
        assert (case.status == Status.CLOSED) == (case.closed_at is not None)
        assert (case.status == Status.CLOSED) == bool(case.closure_reason)
        steps = [
            case.received_at,
            case.acknowledged_at,
            case.decided_at,
            case.communicated_at,
        ]
        known = [moment for moment in steps if moment is not None]
        assert known == sorted(known), case.reference
        if case.outcome and case.outcome != Case.Outcome.UPHELD:
            assert case.decision_reasons
        if case.kind == Case.Kind.DISPUTE:
            assert case.origin.closure_reason == Case.ClosureReason.ESCALATED


def _references_continue_the_yearly_sequences():
    numbers = defaultdict(list)
    for reference in Case.objects.order_by("received_at", "reference").values_list(
        "reference", flat=True
    ):
        year, number = re.fullmatch(r"K-(\d{4})-(\d{6})", reference).groups()
        numbers[int(year)].append(int(number))
    for year, used in numbers.items():
        # Without gaps, in order of receipt, and the sequence goes on from there.
        assert used == list(range(1, len(used) + 1))
        assert CaseSequence.objects.get(year=year).last == len(used)


def test_demo_analyses_the_spike_and_is_idempotent(seeded):
    # The complaints demo ran the root-cause demo once already; twice more
    # must add nothing.
    rca_demo.seed(seeded)
    rca_demo.seed(seeded)
    spike = RootCauseAnalysis.objects.get(title=rca_demo.SPIKE_TITLE)
    assert spike.status == RootCauseAnalysis.Status.CONCLUDED
    assert spike.cases.count() > demo_data.SPIKE_EXTRA_CASES
    assert not rca_services.human_error_warning(list(spike.why_steps.all()))
    statuses = set(spike.causes.values_list("status", flat=True))
    assert {"confirmed", "rejected"} <= statuses
    closed = spike.cases.filter(status=Case.Status.CLOSED)
    assert closed.exists()
    assert not closed.filter(root_cause_category__isnull=True).exists()
    open_analyses = RootCauseAnalysis.objects.filter(
        status=RootCauseAnalysis.Status.OPEN
    )
    assert open_analyses.count() == 1
