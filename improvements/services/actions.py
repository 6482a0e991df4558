"""A plan's actions and the reminders of those coming due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import workflow

from ..models import (
    Action,
    ActionTransition,
    Plan,
)
from .common import (
    ERR_ACTION_TRANSITION,
    _site_url,
)

# --------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------


def action_create(
    *,
    plan: Plan,
    description: str,
    owner,
    due_date: datetime.date,
    action_type: str = Action.Type.CORRECTIVE,
) -> Action:
    action = Action(
        plan=plan,
        description=description,
        owner=owner,
        due_date=due_date,
        type=action_type,
    )
    action.full_clean()
    action.save()
    return action


def _action_done(action: Action, *, today: datetime.date, **_data) -> list[str]:
    action.completed_on = today
    return ["completed_on"]


def _action_undone(action: Action, **_data) -> list[str]:
    action.completed_on = None
    return ["completed_on"]


A = Action.Status
ACTION_WORKFLOW = workflow.Workflow(
    log=ActionTransition,
    refusal=ERR_ACTION_TRANSITION,
    actions=[
        workflow.Action("start", gettext_lazy("Start"), {A.OPEN}, A.IN_PROGRESS),
        workflow.Action(
            "back_to_open", gettext_lazy("Back to open"), {A.IN_PROGRESS}, A.OPEN
        ),
        workflow.Action(
            "complete",
            gettext_lazy("Mark done"),
            {A.OPEN, A.IN_PROGRESS},
            A.DONE,
            effect=_action_done,
            style="primary",
        ),
        workflow.Action(
            "cancel",
            gettext_lazy("Cancel"),
            {A.OPEN, A.IN_PROGRESS},
            A.CANCELLED,
            effect=_action_undone,
        ),
        workflow.Action(
            "reopen",
            gettext_lazy("Reopen"),
            {A.DONE, A.CANCELLED},
            A.OPEN,
            effect=_action_undone,
        ),
    ],
)


def action_update(
    *,
    action: Action,
    status: str | None = None,
    today: datetime.date | None = None,
    by=None,
    **fields,
) -> Action:
    """Save the owner's changes (evidence); a new ``status`` is a step of
    :data:`ACTION_WORKFLOW` (done stamps the completion date)."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(action, name, value)
        action._history_user = by
        action.full_clean()
        action.save()
        if status and status != action.status:
            ACTION_WORKFLOW.transition_to(
                action, status, by=by, today=today or timezone.localdate()
            )
    return action


@dataclass
class ReminderRun:
    due_soon: int = 0
    overdue: int = 0


REMIND_DAYS_BEFORE = 3


def send_reminders(today: datetime.date | None = None) -> ReminderRun:
    """E-mail owners of open actions due in three days or overdue, once a day
    per action (``last_reminded_on``), so a second run the same day sends
    nothing."""
    today = today or timezone.localdate()
    run = ReminderRun()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    candidates = (
        Action.objects.open()
        .filter(due_date__lte=soon)
        .exclude(last_reminded_on=today)
        .select_related("owner", "plan")
    )
    for action in candidates:
        overdue = action.due_date < today
        if not overdue and action.due_date != soon:
            # Due within three days but not exactly: reminded on the day it
            # entered the window already.
            continue
        # Claim the reminder first so two workers cannot both send it.
        claimed = (
            Action.objects.filter(pk=action.pk)
            .exclude(last_reminded_on=today)
            .update(last_reminded_on=today)
        )
        if not claimed or not action.owner.email:
            continue
        context = {
            "action": action,
            "overdue": overdue,
            "url": _site_url(action.get_absolute_url()),
        }
        subject = (
            _("Overdue improvement action: %(plan)s")
            if overdue
            else _("Improvement action due in %(days)s days: %(plan)s")
        ) % {"plan": action.plan.title, "days": REMIND_DAYS_BEFORE}
        send_mail(
            subject,
            render_to_string("improvements/email/action_reminder.txt", context),
            None,
            [action.owner.email],
        )
        if overdue:
            run.overdue += 1
        else:
            run.due_soon += 1
    return run
