"""Reads of the improvement system for its pages and the management report;
each returns what the page shows in a constant number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from .models import (
    Action,
    EffectivenessCheck,
    Plan,
    PlanOrigin,
    PlanTransition,
    Proposal,
)

OVERVIEW_LIMIT = 10


def proposals() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("proposer", "decided_by", "plan")


def proposals_awaiting() -> QuerySet[Proposal]:
    return proposals().filter(
        status__in=[Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW]
    )


def plans() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("owner", "approved_by")
        .order_by("-created_at", "-id")
        .annotate(open_actions=Count("actions", filter=_open_action_filter()))
    )


def _open_action_filter() -> Q:
    return Q(actions__status__in=Action.OPEN_STATUSES)


def plan_detail(pk: int) -> QuerySet[Plan]:
    return (
        Plan.objects.select_related(
            "owner", "approved_by", "created_by", "follow_up_of"
        )
        .prefetch_related(
            "team",
            Prefetch("actions", Action.objects.select_related("owner")),
            Prefetch("transitions", PlanTransition.objects.select_related("by")),
            Prefetch("checks", EffectivenessCheck.objects.select_related("checked_by")),
            "follow_ups",
            "proposals",
        )
        .filter(pk=pk)
    )


def actions() -> QuerySet[Action]:
    return Action.objects.select_related("owner", "plan")


def overdue_actions(today: datetime.date) -> QuerySet[Action]:
    return actions().overdue(today)


def plans_due_for_check(today: datetime.date) -> QuerySet[Plan]:
    return Plan.objects.due_for_check(today).select_related("owner")


def checks() -> QuerySet[EffectivenessCheck]:
    return EffectivenessCheck.objects.select_related("plan", "checked_by")


def plan_counts_by_status() -> list[tuple[str, str, int]]:
    """``(status, label, count)`` for every status, zero included; one query."""
    counts = dict(Plan.objects.order_by().values_list("status").annotate(n=Count("id")))
    return [
        (value, label, counts.get(value, 0)) for value, label in Plan.Status.choices
    ]


def overview(today: datetime.date) -> dict:
    """Everything the overview page shows, in six queries."""
    return {
        "awaiting": list(proposals_awaiting()[:OVERVIEW_LIMIT]),
        "awaiting_count": proposals_awaiting().count(),
        "by_status": plan_counts_by_status(),
        "overdue": list(overdue_actions(today)[:OVERVIEW_LIMIT]),
        "due_for_check": list(plans_due_for_check(today)[:OVERVIEW_LIMIT]),
        "verdicts": list(checks()[:OVERVIEW_LIMIT]),
    }


def attach_origins(links: list) -> list:
    """Load the records behind origin links, one query per model type (not
    per link), and set ``link.record`` (``None`` when it was deleted)."""
    by_type: dict[int, list] = defaultdict(list)
    for link in links:
        if link.origin_type_id:
            by_type[link.origin_type_id].append(link)
    for type_id, group in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        found = {}
        if model is not None:
            found = {
                str(o.pk): o
                for o in model._default_manager.filter(
                    pk__in=[g.origin_id for g in group]
                )
            }
        for link in group:
            link.record = found.get(link.origin_id)
    for link in links:
        if not link.origin_type_id:
            link.record = None
    return links


def origin_links(plan: Plan) -> list[PlanOrigin]:
    return attach_origins(list(plan.origins.select_related("origin_type")))


def proposals_from(obj) -> QuerySet[Proposal]:
    """Proposals raised from ``obj`` (the origin card)."""
    return Proposal.objects.filter(
        origin_type=ContentType.objects.get_for_model(obj), origin_id=str(obj.pk)
    )
