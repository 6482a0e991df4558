"""Who may read an evaluation (object level on top of the model permissions)."""

from __future__ import annotations

from django.db.models import Q

from qms.access import Rule, declare
from qms.models import Membership

from .models import Evaluation


def _evaluator_scope(user) -> Q | None:
    """Evaluators (team leads): the evaluations they made and those of their
    unit and the units below it. Runs one query for the unit tree."""
    if not user.has_perm("standards.add_evaluation"):
        return None
    scope = Q(evaluator=user)
    membership = Membership.objects.filter(user=user).select_related("unit")
    unit = membership.first()
    if unit is not None:
        scope |= Q(org_unit_id__in=unit.unit.descendant_ids())
    return scope


# Quality managers see every evaluation; evaluators theirs and their units';
# everybody else only their own. Outside that an evaluation answers 404.
EVALUATIONS = declare(
    Evaluation,
    Rule(
        read_all=("standards.view_all_evaluations",),
        own=("employee",),
        scope=_evaluator_scope,
    ),
)
