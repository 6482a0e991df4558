"""Root-cause analysis: the reads (selectors) and the Pareto breakdowns of
the case register (:func:`pareto_breakdown`), which count cases in ONE
grouped query each."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qms import statistics
from qms.access import Rule, declare, get_for_user, visible_to
from qms.measures import local_midnight

from ..models import (
    Case,
    IshikawaCategory,
    IshikawaCause,
    RootCauseAnalysis,
    RootCauseCategory,
)
from ..selectors import cases_visible_to

# --------------------------------------------------------------------------
# Selectors
# --------------------------------------------------------------------------


# Readers of analyses see every analysis (404 without the permission); whoever
# may change analyses changes every one.
ANALYSES = declare(
    RootCauseAnalysis,
    Rule(
        view="complaints.view_rootcauseanalysis",
        change="complaints.change_rootcauseanalysis",
    ),
)


def analyses_visible_to(user) -> QuerySet[RootCauseAnalysis]:
    return visible_to(RootCauseAnalysis, user, rule=ANALYSES)


def analysis_list(user, *, status: str = "") -> QuerySet[RootCauseAnalysis]:
    """Rows of the analyses list with their lead, category and case count."""
    analyses = analyses_visible_to(user)
    if status:
        analyses = analyses.filter(status=status)
    return (
        analyses.select_related("lead", "root_cause_category__parent")
        .annotate(case_count=Count("cases", distinct=True))
        .order_by("-created_at", "-id")
    )


def get_analysis_for_user(user, pk: int, *, write: bool = False) -> RootCauseAnalysis:
    """The analysis if ``user`` may see it (else 404); with ``write``,
    PermissionDenied unless they may change analyses."""
    return get_for_user(
        RootCauseAnalysis.objects.select_related(
            "lead", "created_by", "concluded_by", "root_cause_category"
        ),
        user,
        pk,
        write=write,
        rule=ANALYSES,
    )


def analysis_cases(user, analysis: RootCauseAnalysis) -> QuerySet[Case]:
    """The analysis's cases the user may see."""
    return (
        cases_visible_to(user)
        .filter(root_cause_analyses=analysis)
        .select_related("category__parent", "root_cause_category__parent", "org_unit")
        .order_by("received_at")
    )


def ishikawa_tree(analysis: RootCauseAnalysis) -> list[IshikawaCause]:
    """Top-level causes with their sub-causes prefetched. Two queries."""
    return list(
        analysis.causes.filter(parent__isnull=True)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "sub_causes",
                queryset=IshikawaCause.objects.order_by("pk"),
            )
        )
        .order_by("category__sort_order", "category__name", "pk")
    )


def fishbone_data(
    analysis: RootCauseAnalysis, tree: Sequence[IshikawaCause] | None = None
) -> dict[str, list[tuple[str, str, list[tuple[str, str]]]]]:
    """The input of :func:`complaints.fishbone.fishbone_svg`: every active
    category (empty bones too), its causes and their sub-causes."""
    tree = ishikawa_tree(analysis) if tree is None else tree
    bones: dict[str, list] = {
        c.name: [] for c in IshikawaCategory.objects.filter(is_active=True)
    }
    for cause in tree:
        bones.setdefault(cause.category.name, []).append(
            (
                cause.text,
                cause.status,
                [(sub.text, sub.status) for sub in cause.sub_causes.all()],
            )
        )
    return bones


# --------------------------------------------------------------------------
# Pareto
# --------------------------------------------------------------------------

BY_CATEGORY = "category"
BY_ROOT_CAUSE = "root_cause"
BY_COST = "cost"
MAIN = "main"
SUB = "sub"


@dataclass(frozen=True)
class Breakdown:
    key: str
    rows: list[statistics.ParetoRow]
    total: float
    cases: int


def _group(by: str, level: str) -> tuple:
    """(id expression, label expression, parent-label expression)."""
    field = "root_cause_category" if by == BY_ROOT_CAUSE else "category"
    if level == MAIN:
        return (
            Coalesce(f"{field}__parent_id", f"{field}_id"),
            Coalesce(f"{field}__parent__name", f"{field}__name"),
            None,
        )
    return F(f"{field}_id"), F(f"{field}__name"), F(f"{field}__parent__name")


def in_period(
    cases: QuerySet[Case], start: datetime.date, end: datetime.date
) -> QuerySet[Case]:
    """Cases received in ``[start, end)`` (local dates)."""
    return cases.filter(
        received_at__gte=local_midnight(start), received_at__lt=local_midnight(end)
    )


def pareto_breakdown(
    cases: QuerySet[Case],
    by: str,
    *,
    level: str = MAIN,
    cut: float = 0.8,
) -> Breakdown:
    """Cases by category or root-cause category (count), or remedy cost by
    category (sum), in Pareto order; cases without a category are "Other",
    last. One grouped query."""
    group, label, parent = _group(by, level)
    other = _("Other")
    if by == BY_COST:
        cases = cases.filter(remedy_cost__isnull=False)
        value = Sum("remedy_cost")
    else:
        value = Count("id")
    annotations = {"group": group, "label": label}
    if parent is not None:
        annotations["parent_label"] = parent
    rows = (
        cases.annotate(**annotations)
        .values(*annotations)
        .annotate(value=value, n=Count("id"))
        .order_by("label", "group")
    )
    items: list[tuple[str, float]] = []
    other_value = 0.0
    count = 0
    for row in rows:
        count += row["n"]
        amount = float(row["value"] or Decimal(0))
        if row["group"] is None:
            other_value += amount
            continue
        name = row["label"]
        if row.get("parent_label"):
            name = f"{row['parent_label']} / {name}"
        items.append((name, amount))
    if other_value:
        items.append((other, other_value))
    result = statistics.pareto(items, cut, other_label=other)
    return Breakdown(
        key=by,
        rows=result,
        total=sum(r.value for r in result),
        cases=count,
    )


def root_cause_choices() -> QuerySet[RootCauseCategory]:
    """Active root-cause categories, main ones first then their children."""
    return (
        RootCauseCategory.objects.filter(is_active=True)
        .select_related("parent")
        .order_by(
            Coalesce("parent__sort_order", "sort_order"),
            Coalesce("parent__name", "name"),
            F("parent_id").asc(nulls_first=True),
            "sort_order",
            "name",
        )
    )


def analyses_for_case(case: Case) -> QuerySet[RootCauseAnalysis]:
    return case.root_cause_analyses.select_related("lead").order_by("-created_at")
