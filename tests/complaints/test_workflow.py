"""The ISO 10002 workflow: every allowed transition, refusals, rules."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.models import Case, Transition
from tests.factories import UserFactory, register_case

Status = Case.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler():
    return UserFactory(username="handler")


def _walk(case, handler, *actions, **kwargs):
    for action in actions:
        case = services.case_transition(case=case, action=action, by=handler, **kwargs)
    return case


def test_register_numbers_per_year_and_logs_first_status(handler):
    first = register_case(by=handler)
    second = register_case(by=handler)
    year = first.received_at.year
    assert first.reference == f"K-{year}-000001"
    assert second.reference == f"K-{year}-000002"
    assert first.status == Status.RECEIVED
    assert first.transitions.get().action == "register"
    assert first.acknowledge_due_at and first.response_due_at


def test_register_can_acknowledge_by_email(handler, django_capture_on_commit_callbacks):
    other = register_case()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.case_register(
            case=Case(
                channel=other.channel,
                org_unit=other.org_unit,
                description="x",
                contact_email="mari@example.org",
            ),
            by=handler,
            send_acknowledgement=True,
        )
    assert case.status == Status.ACKNOWLEDGED
    assert case.acknowledged_at is not None
    assert len(mail.outbox) == 1
    assert case.reference in mail.outbox[0].subject
    assert case.messages.get().template == "acknowledgement"


def test_full_path_to_closure_with_customer_acceptance(handler):
    case = register_case(by=handler)
    case = _walk(case, handler, "acknowledge", "accept")
    case = services.case_transition(
        case=case,
        action="decide",
        by=handler,
        outcome=Case.Outcome.UPHELD,
        remedy_given="Bill corrected",
        remedy_cost=12.5,
    )
    assert case.status == Status.DECIDED
    case = _walk(case, handler, "communicate", "customer_accepts")
    assert case.status == Status.CLOSED
    assert case.closure_reason == Case.ClosureReason.RESOLVED
    assert case.customer_reaction == Case.Reaction.ACCEPTS
    actions = list(case.transitions.values_list("action", flat=True))
    assert actions == [
        "register",
        "acknowledge",
        "accept",
        "decide",
        "communicate",
        "customer_accepts",
    ]


def test_rejected_decision_goes_to_review_and_can_be_decided_again(handler):
    case = _walk(register_case(by=handler), handler, "accept")
    case = services.case_transition(
        case=case,
        action="decide",
        by=handler,
        outcome=Case.Outcome.NOT_UPHELD,
        decision_reasons="Reading was correct.",
    )
    case = _walk(case, handler, "communicate")
    case = services.case_transition(
        case=case, action="customer_rejects", by=handler, comment="Disagrees"
    )
    assert case.status == Status.REVIEW
    case = services.case_transition(
        case=case,
        action="decide",
        by=handler,
        outcome=Case.Outcome.PARTLY,
        decision_reasons="Goodwill credit.",
    )
    assert case.status == Status.DECIDED


def test_no_reply_closes_the_case(handler):
    case = _walk(register_case(by=handler), handler, "accept")
    case = services.case_transition(
        case=case, action="decide", by=handler, outcome=Case.Outcome.UPHELD
    )
    case = _walk(case, handler, "communicate", "no_reply")
    assert case.status == Status.CLOSED
    assert case.customer_reaction == Case.Reaction.NO_REPLY


def test_not_a_complaint_needs_a_reason(handler):
    case = register_case(by=handler)
    with pytest.raises(ValidationError):
        services.case_transition(case=case, action="not_a_complaint", by=handler)
    case = services.case_transition(
        case=case, action="not_a_complaint", by=handler, comment="A question only"
    )
    assert case.closure_reason == Case.ClosureReason.NOT_A_COMPLAINT


def test_rejection_cannot_be_saved_without_reasons(handler):
    case = _walk(register_case(by=handler), handler, "accept")
    with pytest.raises(ValidationError) as error:
        services.case_transition(
            case=case, action="decide", by=handler, outcome=Case.Outcome.NOT_UPHELD
        )
    assert str(services.ERR_REJECTION_NEEDS_REASONS) in error.value.messages
    case.refresh_from_db()
    assert case.status == Status.INVESTIGATING
    assert case.outcome == ""


def test_invalid_transition_is_refused_with_a_readable_message(handler):
    case = register_case(by=handler)
    with pytest.raises(ValidationError) as error:
        services.case_transition(case=case, action="communicate", by=handler)
    assert "cannot be" in error.value.messages[0]
    assert "Received" in error.value.messages[0]
    assert Transition.objects.filter(case=case).count() == 1


def test_closed_case_reopens_with_reason_and_counts(handler):
    case = register_case(by=handler)
    case = services.case_transition(
        case=case, action="not_a_complaint", by=handler, comment="question"
    )
    with pytest.raises(ValidationError):
        services.case_transition(case=case, action="reopen", by=handler)
    case = services.case_transition(
        case=case, action="reopen", by=handler, comment="Customer called back"
    )
    assert case.status == Status.INVESTIGATING
    assert case.reopen_count == 1
    assert case.closed_at is None


def test_feedback_skips_handling():
    case = register_case(kind=Case.Kind.COMPLIMENT)
    assert services.available_actions(case) == ["record_feedback"]
    case = services.case_transition(case=case, action="record_feedback", by=None)
    assert case.closure_reason == Case.ClosureReason.FEEDBACK


def test_employee_the_case_is_about_cannot_decide(handler):
    subject = UserFactory(username="subject")
    case = _walk(register_case(by=handler, subject_employee=subject), handler, "accept")
    with pytest.raises(PermissionDenied):
        services.case_transition(
            case=case, action="decide", by=subject, outcome=Case.Outcome.UPHELD
        )


def test_employee_the_case_is_about_cannot_be_assigned(handler):
    subject = UserFactory(username="subject")
    case = register_case(by=handler, subject_employee=subject)
    with pytest.raises(ValidationError):
        services.case_assign(cases=[case], handler=subject, by=handler)


def test_escalation_opens_a_linked_dispute(handler):
    case = _walk(register_case(by=handler), handler, "accept")
    case = services.case_transition(
        case=case,
        action="decide",
        by=handler,
        outcome=Case.Outcome.NOT_UPHELD,
        decision_reasons="No fault found.",
    )
    case = _walk(case, handler, "communicate")
    dispute = services.case_open_dispute(
        origin=case,
        by=handler,
        body=Case.Body.CONSUMER_COMMITTEE,
        body_reference="TVK 1/2026",
        method=Case.Method.RECOMMENDATION,
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.closure_reason == Case.ClosureReason.ESCALATED
    assert dispute.kind == Case.Kind.DISPUTE
    assert dispute.origin == case
    assert list(case.disputes.all()) == [dispute]


def test_duplicate_is_closed_and_linked(handler):
    primary = register_case(by=handler)
    duplicate = register_case(by=handler)
    duplicate = services.case_transition(
        case=duplicate, action="mark_duplicate", by=handler, duplicate_of=primary
    )
    assert duplicate.status == Status.CLOSED
    assert duplicate.duplicate_of == primary
    assert primary in duplicate.related.all()


def test_safety_related_case_is_fast_tracked(handler):
    case = register_case(by=handler, safety_related=True)
    assert case.priority == Case.Priority.URGENT
    assert case.severity == Case.Severity.HIGH
