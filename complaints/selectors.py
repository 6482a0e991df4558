"""Reads of the complaints area, scoped to what the user may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from qms.models import OrgUnit

from .models import Case, RootCauseAnalysis


def user_unit_ids(user) -> set[int]:
    """The user's unit and every unit below it (empty without a membership).
    Runs at most two queries."""
    unit = OrgUnit.objects.filter(memberships__user=user).first()
    return unit.descendant_ids() if unit else set()


def linked_to_my_improvements(user) -> Q:
    """Cases an improvement plan acts on where ``user`` owns the plan or one of
    its actions: the plan's own origin cases and the cases of root-cause
    analyses the plan came from. Subqueries only, no query of its own."""
    from improvements.models import Action, Plan, PlanOrigin

    plan_ids = Plan.objects.filter(
        Q(owner=user) | Q(pk__in=Action.objects.filter(owner=user).values("plan_id"))
    ).values("pk")
    origins = PlanOrigin.objects.filter(plan_id__in=plan_ids)

    def origin_ids(model):
        return origins.filter(
            origin_type=ContentType.objects.get_for_model(model)
        ).values_list(Cast("origin_id", BigIntegerField()), flat=True)

    return Q(pk__in=origin_ids(Case)) | Q(
        root_cause_analyses__in=origin_ids(RootCauseAnalysis)
    )


def scope_q(user) -> Q | None:
    """Which cases ``user`` works with, ignoring confidentiality: None for every
    unit (``view_all_cases``); else the cases they handle, those an improvement
    plan of theirs acts on (process owners) and, for handlers, their unit's and
    the units' below. Runs at most two queries (the user's units)."""
    if user.has_perm("complaints.view_all_cases"):
        return None
    scope = Q(handler=user) | linked_to_my_improvements(user)
    if user.has_perm("complaints.handle_case"):
        scope |= Q(org_unit_id__in=user_unit_ids(user))
    return scope


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases ``user`` may see (:func:`scope_q`); confidential cases only for
    their handler and those allowed to see confidential cases."""
    if not user.has_perm("complaints.view_case"):
        return Case.objects.none()
    cases = Case.objects.all()
    scope = scope_q(user)
    if scope is not None:
        cases = cases.filter(pk__in=Case.objects.filter(scope).values("pk"))
    if not user.has_perm("complaints.view_confidential_case"):
        cases = cases.filter(Q(confidential=False) | Q(handler=user))
    return cases


def case_list(user) -> QuerySet[Case]:
    """The work queue's rows with what each row shows, in constant queries."""
    return cases_visible_to(user).select_related(
        "channel", "category__parent", "org_unit", "handler", "customer"
    )


def get_case_for_user(user, reference: str, *, write: bool = False) -> Case:
    """The case with this reference if ``user`` may see it (else 404); with
    ``write``, PermissionDenied unless they may also handle it."""
    case = (
        case_list(user)
        .select_related("service", "subject_employee", "decided_by", "created_by")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise Http404
    if write and (
        not user.has_perm("complaints.handle_case")
        or case.subject_employee_id == user.pk
    ):
        raise PermissionDenied
    return case
