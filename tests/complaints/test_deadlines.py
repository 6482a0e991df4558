"""Deadlines from rules, across Estonian holidays, and with paused time left out."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints import deadlines, services
from complaints.models import Case, DeadlineRule
from tests.factories import register_case

TALLINN = ZoneInfo("Europe/Tallinn")
pytestmark = pytest.mark.django_db


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TALLINN)


def test_default_rules_are_seeded_per_kind():
    rule = DeadlineRule.objects.get(kind="claim", priority="")
    assert (rule.respond_within, rule.respond_unit) == (15, "calendar_days")


def test_acknowledgement_skips_christmas():
    # Wednesday 23 Dec 2026; 24-26 Dec are holidays, 27 Dec is Sunday.
    case = register_case(received_at=at(2026, 12, 23, 15, 0))
    assert case.acknowledge_due_at == at(2026, 12, 28, 17, 0)
    # 15 calendar days for the answer, holidays included.
    assert case.response_due_at == at(2027, 1, 7, 23, 59, 59)


def test_acknowledgement_skips_midsummer_and_victory_day():
    # Monday 22 June 2026; 23 and 24 June are public holidays.
    case = register_case(received_at=at(2026, 6, 22, 10, 0))
    assert case.acknowledge_due_at == at(2026, 6, 25, 17, 0)


def test_urgent_cases_count_working_hours():
    # Urgent rule: acknowledge within 2 working hours (seeded).
    case = register_case(received_at=at(2026, 4, 2, 16, 30), safety_related=True)
    # Thursday 16:30 + 2 h: 30 min Thursday, Good Friday and Easter weekend
    # off, then 1.5 h on Monday 6 April.
    assert case.acknowledge_due_at == at(2026, 4, 6, 10, 30)


def test_kind_specific_rule_and_fallback_default():
    DeadlineRule.objects.filter(kind="complaint").delete()
    rule = deadlines.rule_for("complaint", "normal")
    assert rule == deadlines.DEFAULT_RULE


def test_dispute_keeps_the_body_deadline():
    due = at(2026, 12, 1, 12, 0)
    case = register_case(kind=Case.Kind.DISPUTE, response_due_at=due)
    assert case.response_due_at == due


def test_pause_moves_the_calendar_deadline_by_the_paused_time():
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        case = register_case(kind=Case.Kind.CLAIM)
        due = case.response_due_at
        case = services.case_pause(case=case, reason="Waiting for photos", by=None)
    with time_machine.travel(at(2026, 11, 5, 9, 0), tick=False):
        case = services.case_resume(case=case, by=None)
    assert case.response_due_at == due + datetime.timedelta(days=3)
    assert case.paused_since is None
    pause = case.pauses.get()
    assert pause.reason == "Waiting for photos" and pause.ended_at is not None


def test_pause_on_working_day_rule_leaves_out_working_time_only():
    DeadlineRule.objects.filter(kind="complaint", priority="").update(
        respond_within=5, respond_unit="working_days"
    )
    with time_machine.travel(at(2026, 11, 6, 15, 0), tick=False):  # Friday
        case = register_case()
        due = case.response_due_at  # end of Friday 13 Nov
        case = services.case_pause(case=case, reason="Need meter photo", by=None)
    with time_machine.travel(at(2026, 11, 9, 11, 0), tick=False):  # Monday
        case = services.case_resume(case=case, by=None)
    # Paused: Fri 15-17 (2 h) + Mon 9-11 (2 h) = 4 working hours.
    assert due == at(2026, 11, 13, 17, 0)
    assert case.response_due_at == at(2026, 11, 16, 13, 0)


def test_paused_case_is_not_overdue():
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        case = register_case()
        services.case_pause(case=case, reason="Waiting", by=None)
    later = at(2026, 3, 1, 9, 0)
    assert not Case.objects.overdue(later).filter(pk=case.pk).exists()
    Case.objects.filter(pk=case.pk).update(paused_since=None)
    assert Case.objects.overdue(later).filter(pk=case.pk).exists()


def test_delay_notice_needs_a_later_date_and_tells_the_customer(
    django_capture_on_commit_callbacks, mailoutbox
):
    case = register_case(contact_email="mari@example.org")
    earlier = case.response_due_at.date() - datetime.timedelta(days=1)
    with pytest.raises(services.ValidationError):
        services.case_delay(case=case, new_due=earlier, reason="Busy", by=None)
    later = case.response_due_at.date() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_delay(
            case=case, new_due=later, reason="Waiting for the lab", by=None
        )
    case.refresh_from_db()
    assert case.response_due_at.date() == later
    assert len(mailoutbox) == 1
    assert "Waiting for the lab" in mailoutbox[0].body


def test_communicated_case_is_no_longer_overdue():
    case = register_case()
    case = services.case_transition(case=case, action="accept", by=None)
    case = services.case_transition(
        case=case, action="decide", by=None, outcome=Case.Outcome.UPHELD
    )
    later = case.response_due_at + datetime.timedelta(days=30)
    assert Case.objects.overdue(later).filter(pk=case.pk).exists()
    services.case_transition(case=case, action="communicate", by=None)
    assert not Case.objects.overdue(later).filter(pk=case.pk).exists()
