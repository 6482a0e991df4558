"""Daily reminders to handlers and escalations of overdue cases."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from complaints import reminders
from complaints.models import Case, Message
from complaints.tasks import send_complaint_reminders
from tests.complaints.factories import CaseFactory
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
NOW = datetime.datetime(2026, 3, 10, 7, 30, tzinfo=TALLINN)


def make_case(*, due_in_hours: float, **fields):
    fields.setdefault("status", Case.Status.INVESTIGATING)
    fields.setdefault("received_at", NOW - datetime.timedelta(days=10))
    return CaseFactory(
        response_due_at=NOW + datetime.timedelta(hours=due_in_hours), **fields
    )


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def people(db):
    head = UserFactory(username="head", first_name="Jaan", last_name="Mets")
    return {
        "mari": UserFactory(username="mari", first_name="Mari", last_name="Kask"),
        "jüri": UserFactory(username="juri", first_name="Jüri", last_name="Saar"),
        "head": head,
        "unit": OrgUnitFactory(manager=head),
        "headless": OrgUnitFactory(),
    }


def test_each_handler_gets_one_email_listing_their_cases_due_soon(people, frozen):
    mari, juri, unit = people["mari"], people["jüri"], people["unit"]
    first = make_case(handler=mari, org_unit=unit, due_in_hours=5)
    second = make_case(handler=mari, org_unit=unit, due_in_hours=40)
    third = make_case(handler=juri, org_unit=unit, due_in_hours=47)
    later = make_case(handler=mari, org_unit=unit, due_in_hours=72)
    paused = make_case(handler=mari, org_unit=unit, due_in_hours=10, paused_since=NOW)
    closed = make_case(
        handler=mari, org_unit=unit, due_in_hours=10, status=Case.Status.CLOSED
    )

    result = reminders.send_reminders(NOW)

    assert (result.reminders, result.cases_reminded) == (2, 3)
    assert result.escalations == 0
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {mari.email, juri.email}
    body = by_recipient[mari.email].body
    assert first.reference in body and second.reference in body
    for skipped in (later, paused, closed, third):
        assert skipped.reference not in body
    assert by_recipient[mari.email].subject == "2 cases due within 48 hours"
    note = first.messages.get()
    assert note.direction == Message.Direction.NOTE
    assert note.template == reminders.REMINDER
    assert note.body == "Reminder sent to Mari Kask"
    assert not later.messages.exists()


def test_overdue_cases_go_to_the_unit_manager_else_to_quality_managers(
    people, quality_manager, frozen
):
    head, unit, headless = people["head"], people["unit"], people["headless"]
    late = make_case(handler=people["mari"], org_unit=unit, due_in_hours=-3)
    later = make_case(handler=people["jüri"], org_unit=unit, due_in_hours=-30)
    orphan = make_case(org_unit=headless, due_in_hours=-1)

    result = reminders.send_reminders(NOW)

    assert (result.escalations, result.cases_escalated) == (2, 3)
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {(head.email,), (quality_manager.email,)}
    to_head = by_recipient[(head.email,)]
    assert late.reference in to_head.body and later.reference in to_head.body
    assert orphan.reference not in to_head.body
    assert orphan.reference in by_recipient[(quality_manager.email,)].body
    assert late.messages.get().body == "Escalated to Jaan Mets"
    assert orphan.messages.get().template == reminders.ESCALATION


def test_a_second_run_the_same_day_sends_nothing_but_the_next_day_does(people, frozen):
    make_case(handler=people["mari"], org_unit=people["unit"], due_in_hours=30)
    make_case(handler=people["mari"], org_unit=people["unit"], due_in_hours=-2)
    reminders.send_reminders(NOW)
    assert len(mail.outbox) == 2

    again = reminders.send_reminders(NOW + datetime.timedelta(hours=6))
    assert (again.reminders, again.escalations) == (0, 0)
    assert len(mail.outbox) == 2

    next_day = reminders.send_reminders(NOW + datetime.timedelta(days=1))
    # The due-soon case is still due within 48 hours; both are repeated.
    assert (next_day.reminders, next_day.escalations) == (1, 1)
    assert len(mail.outbox) == 4


def test_a_handler_without_an_address_is_reported_not_noted(people, frozen):
    people["mari"].email = ""
    people["mari"].save()
    case = make_case(handler=people["mari"], org_unit=people["unit"], due_in_hours=3)
    result = reminders.send_reminders(NOW)
    assert result.skipped_no_address == [case.reference]
    assert not mail.outbox
    assert not case.messages.exists()


def test_command_and_task_send_the_reminders(people, frozen, capsys):
    make_case(handler=people["mari"], org_unit=people["unit"], due_in_hours=3)
    call_command("complaint_reminders")
    assert "reminders: 1 e-mail(s) on 1 case(s)" in capsys.readouterr().out
    assert len(mail.outbox) == 1
    assert send_complaint_reminders.delay().get()["reminders"] == 0
