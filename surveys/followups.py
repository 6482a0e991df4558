"""Closing the loop (issue 8, item 6): a respondent who gave a low score in an
identified wave gets a follow-up task.

``create_follow_ups(response)`` is called by the answer pages and staff entry
when a response is submitted. Thresholds are configurable with the setting
``SURVEY_FOLLOW_UP_THRESHOLDS`` (question type → highest score that opens a
task); the default opens one for NPS ≤ 6 and CSAT ≤ 2.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import calendar
from qms.workflow import Action, Workflow

from .models import Answer, FollowUp, FollowUpTransition, Question, Response

DEFAULT_THRESHOLDS = {Question.Type.NPS: 6, Question.Type.CSAT: 2}
# Working days to call the customer back.
DUE_WORKING_DAYS = 2

ERR_ALREADY_DONE = gettext_lazy("This follow-up is already done.")
ERR_OUTCOME_REQUIRED = gettext_lazy("Write down what came of the contact.")


def thresholds() -> dict[str, int]:
    return dict(getattr(settings, "SURVEY_FOLLOW_UP_THRESHOLDS", DEFAULT_THRESHOLDS))


def create_follow_ups(response: Response) -> list[FollowUp]:
    """Open one follow-up for ``response`` when a score is at or below its
    threshold and the respondent is known (identified wave, a participant
    link). Anonymous waves never get one. Safe to call twice: a response
    has at most one open follow-up. Two or three queries."""
    wave = response.wave
    if wave.anonymous or response.participant_id is None or response.excluded:
        return []
    limits = thresholds()
    if not limits:
        return []
    condition = Q()
    for kind, limit in limits.items():
        condition |= Q(question__type=kind, value_int__lte=limit)
    low = list(
        Answer.objects.filter(condition, response=response, value_int__isnull=False)
        .select_related("question")
        .order_by("question__order", "pk")
    )
    if not low:
        return []
    if FollowUp.objects.filter(response=response, status=FollowUp.Status.OPEN).exists():
        return []
    reason = _("Low score: %(scores)s") % {
        "scores": ", ".join(f"{a.question.code} = {a.value_int}" for a in low)
    }
    due_day = calendar.add_working_days(timezone.localdate(), DUE_WORKING_DAYS)
    due_at = timezone.make_aware(
        datetime.datetime.combine(due_day, datetime.time(17, 0))
    )
    follow_up = FollowUp.objects.create(
        response=response,
        reason=reason[:200],
        assigned_to=wave.series.owner,
        due_at=due_at,
    )
    return [follow_up]


def _outcome_given(follow_up: FollowUp, *, outcome: str = "", **_data) -> None:
    if not (outcome or "").strip():
        raise ValidationError(ERR_OUTCOME_REQUIRED, code="outcome_required")


def _done(follow_up: FollowUp, *, now, outcome: str, **_data) -> list[str]:
    follow_up.outcome = outcome.strip()
    follow_up.done_at = now
    return ["outcome", "done_at"]


WORKFLOW = Workflow(
    log=FollowUpTransition,
    refusal=ERR_ALREADY_DONE,
    actions=[
        Action(
            "complete",
            gettext_lazy("Mark done"),
            {FollowUp.Status.OPEN},
            FollowUp.Status.DONE,
            guard=_outcome_given,
            effect=_done,
            style="primary",
        ),
    ],
)


def follow_up_complete(*, follow_up: FollowUp, outcome: str, by) -> FollowUp:
    """Mark a follow-up done with what came of the contact."""
    _outcome_given(follow_up, outcome=outcome)
    return WORKFLOW.transition(follow_up, "complete", by=by, outcome=outcome)


def follow_ups(status: str | None = None) -> QuerySet[FollowUp]:
    """The follow-up list: open first, by due date, with what the page shows."""
    items = FollowUp.objects.select_related(
        "response__wave__series",
        "response__participant__customer",
        "response__participant__case",
        "assigned_to",
    )
    if status:
        items = items.filter(status=status)
    return items.order_by("status", "due_at", "pk")
