"""Improvement plans built through the real services (the factories in
``tests.improvements.factories`` call them)."""

import datetime

from improvements import services
from improvements.models import Plan
from tests.improvements.factories import PlanFactory

from .conftest import CUTOFF, FAKE_RATE

BASELINE = (datetime.date(2024, 3, 1), datetime.date(2024, 6, 1))
IMPLEMENTED = datetime.date(2024, 7, 1)


def make_plan(owner, by, **fields) -> Plan:
    return PlanFactory(owner=owner, created_by=by, **fields)


def implemented_plan(
    owner, approver, *, key=FAKE_RATE, before=None, after=None, target=None, days=90
) -> Plan:
    """A plan with a criterion on the fake measure, approved, implemented on
    :data:`IMPLEMENTED` with no actions left open."""
    plan = make_plan(owner, approver)
    services.plan_set_criterion(
        plan=plan,
        measure_key=key,
        filters={"before": before or {}, "after": after or {}},
        baseline_start=BASELINE[0],
        baseline_end=BASELINE[1],
        follow_up_days=days,
        target=target,
    )
    services.plan_approve(plan=plan, by=approver)
    services.plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=owner)
    services.plan_transition(
        plan=plan, to=Plan.Status.IMPLEMENTED, by=owner, today=IMPLEMENTED
    )
    plan.refresh_from_db()
    assert CUTOFF <= IMPLEMENTED
    return plan


AFTER_WINDOW = IMPLEMENTED + datetime.timedelta(days=91)
