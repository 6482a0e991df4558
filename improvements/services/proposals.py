"""Proposals: submitted, reviewed, decided, turned into a plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import workflow

from ..models import (
    Plan,
    Proposal,
    ProposalTransition,
)
from .common import (
    ERR_PROPOSAL_TRANSITION,
    ERR_REASON_REQUIRED,
    _site_url,
)
from .plans import plan_create

# --------------------------------------------------------------------------
# Proposals
# --------------------------------------------------------------------------


def proposal_submit(
    *,
    title: str,
    description: str,
    proposer,
    expected_benefit: str = "",
    area: str = "",
    origin=None,
) -> Proposal:
    proposal = Proposal(
        title=title,
        description=description,
        expected_benefit=expected_benefit,
        proposer=proposer,
    )
    if area:
        proposal.area = area
    if origin is not None:
        proposal.origin = origin
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        PROPOSAL_WORKFLOW.log_created(proposal, by=proposer)
    return proposal


def _decided(proposal: Proposal, *, by, now, comment: str, **_data) -> list[str]:
    proposal.decided_by = by
    proposal.decided_at = now
    proposal.decision_reason = comment
    return ["decided_by", "decided_at", "decision_reason"]


def _planned(proposal: Proposal, *, plan: Plan, **_data) -> list[str]:
    proposal.plan = plan
    return ["plan"]


# Proposal workflow: submitted → under review → accepted / rejected → planned.
PR = Proposal.Status
PROPOSAL_WORKFLOW = workflow.Workflow(
    log=ProposalTransition,
    refusal=ERR_PROPOSAL_TRANSITION,
    actions=[
        workflow.Action(
            "review", gettext_lazy("Start review"), {PR.SUBMITTED}, PR.UNDER_REVIEW
        ),
        workflow.Action(
            "accept",
            gettext_lazy("Accept"),
            {PR.SUBMITTED, PR.UNDER_REVIEW},
            PR.ACCEPTED,
            effect=_decided,
            style="primary",
        ),
        workflow.Action(
            "reject",
            gettext_lazy("Reject"),
            {PR.SUBMITTED, PR.UNDER_REVIEW},
            PR.REJECTED,
            needs_comment=ERR_REASON_REQUIRED,
            effect=_decided,
            style="outline-danger",
        ),
        workflow.Action(
            "plan",
            gettext_lazy("Turn into a plan"),
            {PR.ACCEPTED},
            PR.PLANNED,
            effect=_planned,
        ),
    ],
)


def proposal_review(*, proposal: Proposal, by) -> Proposal:
    return PROPOSAL_WORKFLOW.transition(proposal, "review", by=by)


def proposal_decide(
    *, proposal: Proposal, by, accept: bool, reason: str = ""
) -> Proposal:
    """Accept or reject; the proposer is told by e-mail (B.2.9 feedback)."""
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError({"reason": ERR_REASON_REQUIRED})
    proposal = PROPOSAL_WORKFLOW.transition(
        proposal, "accept" if accept else "reject", by=by, comment=reason
    )
    _tell_proposer(proposal)
    return proposal


def _tell_proposer(proposal: Proposal) -> None:
    email = proposal.proposer.email
    if not email:
        return
    context = {"proposal": proposal, "url": _site_url(proposal.get_absolute_url())}
    send_mail(
        _("Your improvement proposal: %(title)s") % {"title": proposal.title},
        render_to_string("improvements/email/proposal_decided.txt", context),
        None,
        [email],
    )


@transaction.atomic
def proposal_to_plan(*, proposal: Proposal, by, owner, plan_type: str = "") -> Plan:
    """Turn an accepted proposal into a plan; the plan keeps the proposal and
    its origin as origins."""
    step = PROPOSAL_WORKFLOW.action("plan")
    if not PROPOSAL_WORKFLOW.allows(proposal, step):
        raise PROPOSAL_WORKFLOW.refuse(proposal, step)
    plan = plan_create(
        title=proposal.title,
        problem=proposal.description,
        owner=owner,
        by=by,
        area=proposal.area,
        plan_type=plan_type or Plan.Type.CORRECTIVE,
        origins=[o for o in (proposal, proposal.origin) if o is not None],
    )
    PROPOSAL_WORKFLOW.transition(proposal, "plan", by=by, plan=plan)
    return plan
