"""Improvement plans with their actions, status history and origin cases.

Plans spread over ten years; older plans are closed (most effective), recent
ones planned or under way. Each plan answers one to three generated cases
(PlanOrigin), so the case page's "plans for this case" has real rows to find.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType

from complaints.models import Case
from improvements.models import Action, Plan, PlanOrigin, PlanTransition
from qms.areas import Area

from .base import BenchContext, analyze, first_id, reset_sequences, scaled, write

PLANS = 5_000
TYPES = ["correction", "corrective", "preventive", "system"]
PATH = ["planned", "in_progress", "implemented", "effectiveness_check"]
TITLES = [
    "Clearer invoice layout",
    "Call-back within one working day",
    "Flush the network after repairs",
    "Meter reading reminders by text message",
    "Portal login without a second password",
    "Coaching on respectful language",
    "Announce planned outages a day ahead",
]


def generate(conn, scale: float, rng, ctx: BenchContext) -> None:
    n = scaled(PLANS, scale, minimum=5)
    owners = [ctx.users[u] for u in ("owner", "owner2")]
    quality = ctx.users["quality"]
    actors = [*owners, ctx.users["agent"], ctx.users["lead"]]
    case_type = ContentType.objects.get_for_model(Case).pk
    first = first_id(Plan)
    span = 3650
    plans, actions, transitions, origins = [], [], [], []
    for i in range(n):
        pk = first + i
        age = int(span * (1 - rng.random() ** 0.7))
        created = ctx.now - datetime.timedelta(days=age, hours=rng.uniform(0, 9))
        if age > 365:
            status = "closed_effective" if rng.random() < 0.75 else (
                "closed_not_effective")  # fmt: skip
        else:
            status = PATH[min(3, int(rng.random() * 4 * (1 - age / 400)))]
        owner = rng.choice(owners)
        steps = PATH[: PATH.index(status) + 1] if status in PATH else [*PATH, status]
        at = created
        previous = ""
        for step in steps:
            transitions.append((pk, previous, step, quality, at))
            previous = step
            at += datetime.timedelta(days=rng.uniform(5, 40))
        approved = status != "planned"
        implemented = created.date() + datetime.timedelta(days=60) if (
            status not in ("planned", "in_progress")) else None  # fmt: skip
        plans.append(
            (pk, f"{rng.choice(TITLES)} ({i + 1})",
             "Complaints in this category rose above the control limit.",
             rng.choice(TYPES), Area.COMPLAINTS, status, owner,
             quality if approved else None, created if approved else None,
             "complaints.cases_per_1000_customers", "{}", implemented,
             implemented + datetime.timedelta(days=90) if implemented else None,
             90, quality, created)
        )  # fmt: skip
        for j in range(rng.randint(1, 4)):
            due = created.date() + datetime.timedelta(days=30 * (j + 1))
            done = status not in ("planned", "in_progress") or rng.random() < 0.4
            actions.append(
                (pk, f"Step {j + 1} of the plan", rng.choice(TYPES[:3]), due,
                 "done" if done else "open",
                 "Done as planned." if done else "", due if done else None,
                 rng.choice(actors), created)
            )  # fmt: skip
        if ctx.case_ids:
            for case in rng.sample(ctx.case_ids, k=min(len(ctx.case_ids), 2)):
                origins.append((pk, case_type, str(case)))
    write(
        Plan,
        ["id", "title", "problem", "type", "area", "status", "owner_id",
         "approved_by_id", "approved_at", "measure_key", "measure_filters",
         "implemented_on", "follow_up_end", "follow_up_days", "created_by_id",
         "created_at"],
        plans,
    )  # fmt: skip
    write(
        Action,
        ["plan_id", "description", "type", "due_date", "status", "evidence",
         "completed_on", "owner_id", "created_at"],
        actions,
    )  # fmt: skip
    write(
        PlanTransition,
        ["plan_id", "from_status", "to_status", "by_id", "at"],
        transitions,
    )
    write(PlanOrigin, ["plan_id", "origin_type_id", "origin_id"], origins)
    reset_sequences(Plan, Action, PlanTransition, PlanOrigin)
    analyze(Plan, Action, PlanTransition, PlanOrigin)
    ctx.count("improvement plans", n)
    ctx.count("improvement actions", len(actions))
