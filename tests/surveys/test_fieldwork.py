"""Invitations, reminders, dispositions and the fieldwork monitor."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from surveys import selectors, services
from surveys.models import Participant, Response, Wave
from surveys.tasks import send_survey_reminders
from tests.factories import CustomerFactory
from tests.surveys.conftest import add_group, add_participant, build_wave

D = Participant.Disposition


@pytest.mark.django_db
@override_settings(SITE_URL="https://qms.example.ee")
def test_invitations_carry_personal_and_opt_out_links():
    wave = build_wave()
    group = add_group(wave)
    p = add_participant(wave, group=group, disposition=D.SELECTED, language="en")
    add_participant(wave, group=group, disposition=D.SELECTED, email="")
    services.invitations_send(wave=wave)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["p@example.org"]
    assert f"https://qms.example.ee/s/{p.token}/" in message.body
    assert f"https://qms.example.ee/s/{p.token}/opt-out/" in message.body
    p.refresh_from_db()
    assert p.disposition == D.INVITED and p.invited_at is not None


@pytest.mark.django_db
def test_invitations_wait_for_fieldwork():
    wave = build_wave(status=Wave.Status.APPROVED)
    add_participant(wave, disposition=D.SELECTED)
    with pytest.raises(Exception, match="only while the wave is in fieldwork"):
        services.invitations_send(wave=wave)
    assert mail.outbox == []


@pytest.mark.django_db
def test_customer_who_declined_meanwhile_is_not_invited():
    wave = build_wave()
    customer = CustomerFactory(consent_surveys=False)
    add_participant(wave, customer=customer, disposition=D.SELECTED)
    services.invitations_send(wave=wave)
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminders_go_on_the_reminder_days_to_non_respondents_only():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC)):
        wave = build_wave(reminder_days=[3, 7])
        waiting = add_participant(wave, invited_at=timezone.now())
        add_participant(
            wave,
            invited_at=timezone.now(),
            disposition=D.COMPLETE,
            email="c@example.org",
        )
        add_participant(
            wave,
            invited_at=timezone.now(),
            disposition=D.OPTED_OUT,
            email="o@example.org",
        )
    with time_machine.travel(datetime.datetime(2026, 3, 4, 8, tzinfo=datetime.UTC)):
        assert send_survey_reminders() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 5, 8, tzinfo=datetime.UTC)):
        assert send_survey_reminders() == 1
        assert send_survey_reminders() == 0  # not twice on the same day
    with time_machine.travel(datetime.datetime(2026, 3, 9, 8, tzinfo=datetime.UTC)):
        assert send_survey_reminders() == 1
    with time_machine.travel(datetime.datetime(2026, 3, 12, 8, tzinfo=datetime.UTC)):
        assert send_survey_reminders() == 0  # both reminders sent
    waiting.refresh_from_db()
    assert waiting.reminders_sent == 2
    assert [m.to for m in mail.outbox] == [["p@example.org"], ["p@example.org"]]
    assert "Reminder" in mail.outbox[0].subject


@pytest.mark.django_db
def test_bounced_is_recorded(wave):
    p = add_participant(wave)
    services.participant_bounced(participant=p)
    p.refresh_from_db()
    assert p.disposition == D.BOUNCED


def _fill(wave, group, **counts):
    for disposition, n in counts.items():
        for i in range(n):
            p = add_participant(
                wave, group=group, disposition=disposition,
                email=f"{group.name}-{disposition}-{i}@example.org",
            )  # fmt: skip
            if disposition == D.COMPLETE:
                Response.objects.create(
                    wave=wave, group=group, participant=p, submitted_at=timezone.now()
                )


@pytest.mark.django_db
def test_monitor_gives_rr1_per_group_and_flags_the_weak_group():
    wave = build_wave()
    big = add_group(wave, name="Households", population=8000)
    small = add_group(wave, name="Business", population=2000)
    # Households: 40 complete, 10 partial, 10 opened, 40 invited → RR1 0.40.
    _fill(wave, big, complete=40, partial=10, opened=10, invited=40)
    # Business: 2 complete of 40 invited → RR1 0.05 (far below).
    _fill(wave, small, complete=2, invited=36, bounced=2)
    add_participant(wave, group=small, disposition=D.SELECTED, email="s@example.org")
    monitor = selectors.fieldwork_monitor(wave)
    rows = {row.name: row for row in monitor.groups}
    assert rows["Households"].rr1 == pytest.approx(40 / 100)
    assert rows["Business"].rr1 == pytest.approx(2 / 40)
    assert rows["Business"].invited == 40  # the selected one is not invited yet
    assert monitor.total.rr1 == pytest.approx(42 / 140)
    assert rows["Business"].under_represented
    assert not rows["Households"].under_represented
    assert rows["Households"].complete == 40


@pytest.mark.django_db
def test_monitor_flags_nothing_with_few_responses():
    wave = build_wave()
    g = add_group(wave, name="A", population=10)
    add_group(wave, name="B", population=10)
    _fill(wave, g, complete=3)
    assert not any(
        row.under_represented for row in selectors.fieldwork_monitor(wave).groups
    )


@pytest.mark.django_db
def test_monitor_query_count_is_constant(
    client_for, quality_manager, django_assert_num_queries
):
    wave = build_wave()
    for name in ("A", "B", "C"):
        g = add_group(wave, name=name)
        _fill(wave, g, complete=5, invited=5)
    client = client_for(quality_manager)
    url = f"/surveys/waves/{wave.pk}/monitor/"
    # session+user, permissions (2), wave, dispositions, responses, groups.
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    g = add_group(wave, name="D")
    _fill(wave, g, complete=20, invited=20, partial=3)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
