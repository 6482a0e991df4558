"""Reads of the complaints area, scoped to what the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from qms.models import OrgUnit

from .models import Case


def user_unit_ids(user) -> set[int]:
    """The user's unit and every unit below it (empty without a membership).
    Runs at most two queries."""
    unit = OrgUnit.objects.filter(memberships__user=user).first()
    return unit.descendant_ids() if unit else set()


def cases_visible_to(user) -> QuerySet[Case]:
    """Cases ``user`` may see: every unit with ``view_all_cases``, else their
    unit's; confidential cases only for their handler and those allowed to see
    confidential cases."""
    if not user.has_perm("complaints.view_case"):
        return Case.objects.none()
    cases = Case.objects.all()
    if not user.has_perm("complaints.view_all_cases"):
        cases = cases.filter(Q(org_unit_id__in=user_unit_ids(user)) | Q(handler=user))
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
