"""Demo improvements that grow from the complaints demo (complaints may use
the improvement system; not the other way round).

A proposal raised from a discoloured-water case, and two plans checked
through the real service on the seeded cases: the discoloured-water spike
(baseline: the spike month ± 1, follow-up: the last two full months) shows a
significant improvement; taste-or-smell complaints, flat all year, show no
significant change. Safe to run twice: everything is looked up by title
first.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from improvements import services
from improvements.models import Action, Plan, Proposal
from qms import measures
from qms.areas import Area
from qms.periods import month_start

from ..models import Case, Category
from .data import SPIKE_CATEGORY

RATE_KEY = "complaints.cases_per_1000_customers"
FLAT_CATEGORY = "water-taste-smell"
PROPOSAL = "Warn customers before mains flushing"


def seed(ctx) -> None:
    users = ctx.users
    today = timezone.localdate()
    with transaction.atomic():
        _proposal(ctx, users["quality"], users["agent"])
        _checked_plans(ctx, users["quality"], users["owner"], users["owner2"], today)


def _proposal(ctx, quality, agent) -> None:
    if Proposal.objects.filter(title=PROPOSAL).exists():
        return
    proposal = services.proposal_submit(
        title=PROPOSAL,
        description=PROPOSAL + ".",
        expected_benefit="Fewer repeat contacts.",
        proposer=agent,
        area=Area.COMPLAINTS,
        origin=Case.objects.filter(category__code=SPIKE_CATEGORY).first(),
    )
    ctx.count("improvement proposals")
    services.proposal_decide(proposal=proposal, by=quality, accept=True)


def _checked_plans(ctx, quality, owner, owner2, today) -> None:
    categories = dict(
        Category.objects.filter(code__in=[SPIKE_CATEGORY, FLAT_CATEGORY]).values_list(
            "code", "pk"
        )
    )
    if len(categories) < 2:
        return
    measure = measures.get(RATE_KEY)
    # Find the spike in the data rather than assuming where the complaints
    # demo put it.
    points = measure.points(
        month_start(today, -12),
        month_start(today, 0),
        period="month",
        filters={"category": categories[SPIKE_CATEGORY]},
    )
    spike = max(points, key=lambda p: p.count).start
    implemented = month_start(today, -2)
    _checked_plan(
        ctx,
        title="Notify customers before mains flushing",
        problem="Discoloured-water complaints spiked after mains flushing.",
        category=categories[SPIKE_CATEGORY],
        baseline=(month_start(spike, -1), min(month_start(spike, 2), implemented)),
        implemented=implemented,
        today=today,
        owner=owner,
        quality=quality,
    )
    _checked_plan(
        ctx,
        title="New chlorine dosing procedure",
        problem="Customers report a taste or smell of chlorine.",
        category=categories[FLAT_CATEGORY],
        baseline=(month_start(today, -9), month_start(today, -6)),
        implemented=month_start(today, -3),
        today=today,
        owner=owner2,
        quality=quality,
    )


def _checked_plan(
    ctx, *, title, problem, category, baseline, implemented, today, owner, quality
) -> None:
    if Plan.objects.filter(title=title).exists():
        return
    plan = services.plan_create(
        title=title,
        problem=problem,
        plan_type=Plan.Type.CORRECTIVE,
        area=Area.COMPLAINTS,
        owner=owner,
        by=quality,
    )
    services.plan_set_criterion(
        plan=plan,
        measure_key=RATE_KEY,
        filters={"category": category},
        baseline_start=baseline[0],
        baseline_end=baseline[1],
        follow_up_days=(month_start(today, 0) - implemented).days,
    )
    services.plan_approve(plan=plan, by=quality)
    services.plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=owner)
    action = services.action_create(
        plan=plan,
        description=problem.replace("Customers report", "Remove the cause of"),
        owner=owner,
        due_date=implemented - datetime.timedelta(days=3),
    )
    services.action_update(
        action=action,
        status=Action.Status.DONE,
        evidence="Done and documented.",
        today=implemented - datetime.timedelta(days=5),
    )
    services.plan_transition(
        plan=plan, to=Plan.Status.IMPLEMENTED, by=owner, today=implemented
    )
    plan.refresh_from_db()
    services.run_effectiveness_check(plan=plan, by=quality, today=today)
    ctx.count("improvement plans")
    ctx.count("effectiveness checks")
