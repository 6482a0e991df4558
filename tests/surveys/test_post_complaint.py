"""Closing a complaint invites its customer to the post-complaint survey."""

import pytest
from django.core import mail
from django.test import override_settings

from complaints import services as complaint_services
from complaints.models import Case
from surveys.models import Participant, Series
from tests.factories import CustomerFactory, UserFactory, register_case
from tests.surveys.conftest import build_questionnaire, build_wave


def _close(case, by, capture):
    with capture(execute=True):
        for action in ("accept",):
            case = complaint_services.case_transition(case=case, action=action, by=by)
        case = complaint_services.case_transition(
            case=case, action="decide", by=by, outcome=Case.Outcome.UPHELD
        )
        case = complaint_services.case_transition(
            case=case, action="communicate", by=by
        )
        case = complaint_services.case_transition(case=case, action="no_reply", by=by)
    assert case.status == Case.Status.CLOSED
    return case


@pytest.fixture
def post_complaint_wave(db):
    series = Series.objects.create(
        name="After a complaint", code="post-complaint", kind=Series.Kind.POST_COMPLAINT
    )
    return build_wave(questionnaire=build_questionnaire(series=series))


@pytest.mark.django_db
def test_closing_a_case_invites_a_consenting_customer(
    post_complaint_wave, django_capture_on_commit_callbacks
):
    handler = UserFactory(username="handler")
    customer = CustomerFactory(consent_surveys=True, preferred_language="en")
    case = register_case(by=handler, customer=customer)
    mail.outbox.clear()
    _close(case, handler, django_capture_on_commit_callbacks)
    participant = Participant.objects.get()
    assert participant.wave == post_complaint_wave
    assert participant.case_id == case.pk and participant.customer == customer
    assert participant.disposition == Participant.Disposition.INVITED
    assert any(participant.token in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_no_invitation_without_consent(
    post_complaint_wave, django_capture_on_commit_callbacks
):
    handler = UserFactory(username="handler")
    case = register_case(by=handler, customer=CustomerFactory(consent_surveys=False))
    _close(case, handler, django_capture_on_commit_callbacks)
    assert not Participant.objects.exists()


@pytest.mark.django_db
@override_settings(SURVEYS_POST_COMPLAINT=False)
def test_setting_switches_it_off(
    post_complaint_wave, django_capture_on_commit_callbacks
):
    handler = UserFactory(username="handler")
    case = register_case(by=handler, customer=CustomerFactory(consent_surveys=True))
    _close(case, handler, django_capture_on_commit_callbacks)
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_no_wave_in_fieldwork_no_invitation(django_capture_on_commit_callbacks):
    handler = UserFactory(username="handler")
    case = register_case(by=handler, customer=CustomerFactory(consent_surveys=True))
    _close(case, handler, django_capture_on_commit_callbacks)
    assert not Participant.objects.exists()


@pytest.mark.django_db
def test_a_survey_failure_never_breaks_closing(
    post_complaint_wave, django_capture_on_commit_callbacks, monkeypatch
):
    from surveys.services import post_complaint

    def broken(case):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(post_complaint, "_post_complaint", broken)
    handler = UserFactory(username="handler")
    case = register_case(by=handler, customer=CustomerFactory(consent_surveys=True))
    case = _close(case, handler, django_capture_on_commit_callbacks)
    assert case.status == Case.Status.CLOSED


@pytest.mark.django_db
def test_only_resolved_complaints_are_surveyed(post_complaint_wave):
    from surveys.services import post_complaint_invite

    case = register_case(customer=CustomerFactory(consent_surveys=True))
    case.status = Case.Status.CLOSED
    case.closure_reason = Case.ClosureReason.DUPLICATE
    assert post_complaint_invite(case=case) is None
    case.closure_reason = Case.ClosureReason.RESOLVED
    assert post_complaint_invite(case=case) is not None
