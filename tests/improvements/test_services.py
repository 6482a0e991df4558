"""Proposal and plan workflows, actions and reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from improvements import services
from improvements.models import Action, Plan, PlanOrigin, Proposal

from .conftest import FAKE_RATE
from .helpers import AFTER_WINDOW, BASELINE, implemented_plan, make_plan

pytestmark = pytest.mark.usefixtures("fake_measures")


def _proposal(user, **kwargs):
    return services.proposal_submit(
        title="Text the customer when mains are flushed",
        description="Most discoloured-water calls follow flushing.",
        proposer=user,
        **kwargs,
    )


def test_accepting_a_proposal_emails_the_proposer(service_staff, quality_manager):
    proposal = _proposal(service_staff)
    services.proposal_review(proposal=proposal, by=quality_manager)
    services.proposal_decide(proposal=proposal, by=quality_manager, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.decided_by == quality_manager
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [service_staff.email]
    assert proposal.title in mail.outbox[0].subject


def test_rejection_needs_a_reason(service_staff, quality_manager):
    proposal = _proposal(service_staff)
    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, by=quality_manager, accept=False)
    assert services.ERR_REASON_REQUIRED in error.value.message_dict["reason"]
    services.proposal_decide(
        proposal=proposal, by=quality_manager, accept=False, reason="Already planned."
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert "Already planned." in mail.outbox[0].body


def test_accepted_proposal_becomes_a_plan_keeping_its_origin(
    service_staff, quality_manager, process_owner
):
    origin = make_plan(process_owner, quality_manager, title="Earlier plan")
    proposal = _proposal(service_staff, origin=origin)
    services.proposal_decide(proposal=proposal, by=quality_manager, accept=True)
    plan = services.proposal_to_plan(
        proposal=proposal, by=quality_manager, owner=process_owner
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PLANNED
    assert proposal.plan == plan
    assert {o.origin for o in PlanOrigin.objects.filter(plan=plan)} == {
        proposal,
        origin,
    }


def test_rejected_proposal_cannot_become_a_plan(service_staff, quality_manager):
    proposal = _proposal(service_staff)
    services.proposal_decide(
        proposal=proposal, by=quality_manager, accept=False, reason="No."
    )
    with pytest.raises(ValidationError):
        services.proposal_to_plan(
            proposal=proposal, by=quality_manager, owner=quality_manager
        )


def test_plan_cannot_start_without_a_criterion(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    services.plan_approve(plan=plan, by=quality_manager)
    with pytest.raises(ValidationError, match="criterion"):
        services.plan_transition(
            plan=plan, to=Plan.Status.IN_PROGRESS, by=process_owner
        )


def test_plan_cannot_start_unapproved(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    services.plan_set_criterion(
        plan=plan,
        measure_key=FAKE_RATE,
        baseline_start=BASELINE[0],
        baseline_end=BASELINE[1],
        follow_up_days=90,
    )
    with pytest.raises(ValidationError, match="approved"):
        services.plan_transition(
            plan=plan, to=Plan.Status.IN_PROGRESS, by=process_owner
        )


def test_owner_cannot_approve_own_plan(quality_manager):
    plan = make_plan(quality_manager, quality_manager)
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan, by=quality_manager)


def test_criterion_is_locked_once_in_progress(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    services.plan_set_criterion(
        plan=plan,
        measure_key=FAKE_RATE,
        baseline_start=BASELINE[0],
        baseline_end=BASELINE[1],
        follow_up_days=90,
    )
    services.plan_approve(plan=plan, by=quality_manager)
    services.plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=process_owner)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="fixed"):
        services.plan_set_criterion(
            plan=plan,
            measure_key=FAKE_RATE,
            baseline_start=BASELINE[0],
            baseline_end=BASELINE[1],
            follow_up_days=30,
        )


def test_unknown_indicator_is_refused(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    with pytest.raises(ValidationError):
        services.plan_set_criterion(
            plan=plan,
            measure_key="nope.nothing",
            baseline_start=BASELINE[0],
            baseline_end=BASELINE[1],
            follow_up_days=30,
        )


def test_plan_cannot_be_implemented_with_open_actions(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    services.plan_set_criterion(
        plan=plan,
        measure_key=FAKE_RATE,
        baseline_start=BASELINE[0],
        baseline_end=BASELINE[1],
        follow_up_days=90,
    )
    services.plan_approve(plan=plan, by=quality_manager)
    services.plan_transition(plan=plan, to=Plan.Status.IN_PROGRESS, by=process_owner)
    action = services.action_create(
        plan=plan,
        description="Notify customers before flushing",
        owner=process_owner,
        due_date=datetime.date(2024, 6, 20),
    )
    with pytest.raises(ValidationError, match="still open"):
        services.plan_transition(
            plan=plan, to=Plan.Status.IMPLEMENTED, by=process_owner
        )
    services.action_update(action=action, status=Action.Status.DONE, evidence="Sent")
    services.plan_transition(
        plan=plan,
        to=Plan.Status.IMPLEMENTED,
        by=process_owner,
        today=datetime.date(2024, 7, 1),
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IMPLEMENTED
    assert plan.implemented_on == datetime.date(2024, 7, 1)
    assert plan.follow_up_end == datetime.date(2024, 9, 29)
    action.refresh_from_db()
    assert action.completed_on is not None
    transitions = list(plan.transitions.values_list("from_status", "to_status", "by"))
    assert transitions == [
        ("", "planned", quality_manager.pk),
        ("planned", "in_progress", process_owner.pk),
        ("in_progress", "implemented", process_owner.pk),
    ]


def test_invalid_transition_is_refused(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    with pytest.raises(ValidationError, match="cannot become"):
        services.plan_transition(
            plan=plan, to=Plan.Status.CLOSED_EFFECTIVE, by=quality_manager
        )


FLAT = {
    "before": {"count": 50, "exposure": 30000.0},
    "after": {"count": 49, "exposure": 30000.0},
}


def _not_effective(qm, owner) -> Plan:
    plan = implemented_plan(owner, qm, **FLAT)
    services.run_effectiveness_check(plan=plan, by=qm, today=AFTER_WINDOW)
    services.effectiveness_record(plan=plan, by=qm)
    assert plan.status == Plan.Status.CLOSED_NOT_EFFECTIVE
    return plan


def test_not_effective_plan_is_reopened(quality_manager, process_owner):
    plan = _not_effective(quality_manager, process_owner)
    services.plan_reopen(plan=plan, by=quality_manager, comment="Try again")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_PROGRESS
    assert plan.reopen_count == 1
    assert plan.implemented_on is None
    assert plan.transitions.last().comment == "Try again"


def test_not_effective_plan_gets_a_follow_up(quality_manager, process_owner):
    plan = _not_effective(quality_manager, process_owner)
    follow = services.plan_follow_up(plan=plan, by=quality_manager)
    assert follow.follow_up_of == plan
    assert follow.status == Plan.Status.PLANNED
    assert follow.measure_key == plan.measure_key
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED_NOT_EFFECTIVE


def test_effective_plan_closes_effective(quality_manager, process_owner):
    plan = implemented_plan(
        process_owner,
        quality_manager,
        before={"count": 120, "exposure": 30000.0},
        after={"count": 40, "exposure": 30000.0},
    )
    services.run_effectiveness_check(plan=plan, by=quality_manager, today=AFTER_WINDOW)
    services.effectiveness_record(plan=plan, by=quality_manager)
    assert plan.status == Plan.Status.CLOSED_EFFECTIVE
    with pytest.raises(ValidationError):
        services.plan_reopen(plan=plan, by=quality_manager)


def test_reminders_go_out_once_a_day(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    today = datetime.date(2025, 3, 10)
    services.action_create(
        plan=plan,
        description="Overdue",
        owner=process_owner,
        due_date=today - datetime.timedelta(days=2),
    )
    services.action_create(
        plan=plan,
        description="Due soon",
        owner=process_owner,
        due_date=today + datetime.timedelta(days=3),
    )
    services.action_create(
        plan=plan,
        description="Later",
        owner=process_owner,
        due_date=today + datetime.timedelta(days=10),
    )
    done = services.action_create(
        plan=plan,
        description="Done",
        owner=process_owner,
        due_date=today - datetime.timedelta(days=5),
    )
    services.action_update(action=done, status=Action.Status.DONE)
    run = services.send_reminders(today)
    assert (run.overdue, run.due_soon) == (1, 1)
    assert len(mail.outbox) == 2
    assert all(m.to == [process_owner.email] for m in mail.outbox)
    again = services.send_reminders(today)
    assert (again.overdue, again.due_soon) == (0, 0)
    assert len(mail.outbox) == 2
    # The next day the overdue one is reminded again; the due-soon one is not
    # (it is now two days away).
    following = services.send_reminders(today + datetime.timedelta(days=1))
    assert (following.overdue, following.due_soon) == (1, 0)


def test_reminder_command_reports(process_owner, quality_manager, capsys):
    from django.core.management import call_command

    call_command("improvement_reminders")
    assert "reminder" in capsys.readouterr().out


def test_an_actions_status_moves_by_workflow_steps(quality_manager, process_owner):
    plan = make_plan(process_owner, quality_manager)
    action = services.action_create(
        plan=plan,
        description="Rewrite the letter",
        owner=process_owner,
        due_date=datetime.date(2025, 3, 20),
    )
    day = datetime.date(2025, 3, 12)
    services.action_update(
        action=action,
        status=Action.Status.DONE,
        evidence="New letter in use.",
        today=day,
        by=process_owner,
    )
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.evidence) == (
        Action.Status.DONE,
        day,
        "New letter in use.",
    )
    change = action.transitions.get()
    assert (change.action, change.by) == ("complete", process_owner)
    # Done goes back to open first; straight to "in progress" is no step.
    with pytest.raises(ValidationError, match="cannot become “In progress”"):
        services.action_update(action=action, status=Action.Status.IN_PROGRESS)
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    services.action_update(action=action, status=Action.Status.OPEN)
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (Action.Status.OPEN, None)
