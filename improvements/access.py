"""Who may read and change plans, actions and proposals (object level on top
of the model permissions; the roles' groups only say which kinds of record a
role may touch at all)."""

from __future__ import annotations

from qms.access import Rule, declare

from .models import Action, Plan, Proposal

# Every plan is readable to whoever may view plans (403 without); owners
# change their plans, quality managers every plan.
PLANS = declare(
    Plan,
    Rule(
        view="improvements.view_plan",
        without_view=403,
        write_all=("improvements.change_plan", "improvements.manage_plan"),
        change="improvements.change_plan",
        own=("owner",),
    ),
)
# Actions: the action's owner, the plan's owner, or a quality manager.
ACTIONS = declare(
    Action,
    Rule(
        view="improvements.view_action",
        without_view=403,
        write_all=("improvements.change_action", "improvements.manage_plan"),
        change="improvements.change_action",
        own=("owner", "plan__owner"),
    ),
)
# Proposals: readers of proposals see every one, anyone their own; the
# record is no secret, so another's proposal answers 403, not 404.
PROPOSALS = declare(
    Proposal,
    Rule(
        read_all=("improvements.view_proposal",),
        own=("proposer",),
        outside_scope=403,
    ),
)


def can_edit_plan(user, plan: Plan) -> bool:
    """Owners edit their plans; quality managers every plan."""
    return PLANS.may_write(user, plan)


def can_edit_action(user, action: Action) -> bool:
    """The action's owner, the plan's owner, or a quality manager."""
    return ACTIONS.may_write(user, action)
