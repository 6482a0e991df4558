"""Reads of the complaints area, scoped to what the user may see."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast

from qms.access import Rule, declare, get_for_user, visible_to
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


def _scope(user) -> Q:
    # A subquery, since the scope joins many-valued relations (improvement
    # origins, root-cause analyses) that would repeat a case.
    return Q(pk__in=Case.objects.filter(scope_q(user)).values("pk"))


def _confidential(user) -> Q | None:
    if user.has_perm("complaints.view_confidential_case"):
        return None
    return Q(confidential=False) | Q(handler=user)


def _is_subject(user, case: Case) -> bool:
    return case.subject_employee_id == user.pk


# Readers of cases see those of :func:`scope_q` (every case with
# ``view_all_cases``), confidential ones only as their handler or with
# ``view_confidential_case``; outside that a case answers 404. Handlers
# handle every case they see, except one about themselves.
CASES = declare(
    Case,
    Rule(
        view="complaints.view_case",
        read_all=("complaints.view_all_cases",),
        scope=_scope,
        narrow=_confidential,
        change="complaints.handle_case",
        never_writes=_is_subject,
    ),
)


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases ``user`` may see (:func:`scope_q`); confidential cases only for
    their handler and those allowed to see confidential cases."""
    return visible_to(Case, user, rule=CASES)


def _rows(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related(
        "channel", "category__parent", "org_unit", "handler", "customer"
    )


def case_list(user) -> QuerySet[Case]:
    """The work queue's rows with what each row shows, in constant queries."""
    return _rows(cases_visible_to(user))


def get_case_for_user(user, reference: str, *, write: bool = False) -> Case:
    """The case with this reference if ``user`` may see it (else 404); with
    ``write``, PermissionDenied unless they may also handle it."""
    return get_for_user(
        _rows(Case.objects.all()).select_related(
            "service", "subject_employee", "decided_by", "created_by"
        ),
        user,
        reference=reference,
        write=write,
        rule=CASES,
    )
