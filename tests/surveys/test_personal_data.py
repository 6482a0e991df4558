"""Survey participations in the personal-data registry (qms.personal_data):
a customer's participations, answers and follow-ups are found, exported,
anonymised on erasure and after the retention period; responses of an
anonymous wave never link to the person."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qms import personal_data
from qms.models import ErasureLog
from surveys import followups, selectors, services
from surveys.models import Answer, FollowUp, Participant, Response, Wave
from tests.factories import CustomerFactory
from tests.surveys.conftest import (
    add_group,
    add_participant,
    build_questionnaire,
    build_wave,
)
from tests.surveys.factories import SeriesFactory

EMAIL = "mari.maasikas@example.org"
WHY = (
    "Mari Maasikas here: call me on +372 5555 1234 or mari.maasikas@example.org."
    " The bill came two weeks late."
)
KEY = "surveys.participant"


@pytest.fixture
def customer(db):
    return CustomerFactory(name="Mari Maasikas", email=EMAIL, phone="+372 5555 1234")


def _wave(**fields) -> Wave:
    """A wave of its own series (build_wave's default series is one)."""
    return build_wave(questionnaire=build_questionnaire(SeriesFactory()), **fields)


def _submit(participant, values):
    wave = participant.wave
    questions = [q for page in selectors.pages_of(wave.questionnaire) for q in page]
    return services.response_submit(
        wave=wave, questions=questions, values=values, language="en",
        source=Response.Source.PERSONAL_LINK, participant=participant,
    )  # fmt: skip


@pytest.fixture
def answered(customer):
    """An identified wave: the customer answered with a low score and
    contact data in the free text; the follow-up was done."""
    wave = _wave()
    participant = add_participant(
        wave, group=add_group(wave), customer=customer, email=EMAIL
    )
    response = _submit(
        participant,
        {"Q_OVERALL": 1, "Q_NPS": 2, "Q_WHY": WHY, "Q_TOPICS": [1, 3]},
    )
    follow_up = response.follow_ups.get()
    followups.follow_up_complete(
        follow_up=follow_up,
        outcome="Called Mari Maasikas on 5555 1234; bill corrected.",
        by=None,
    )
    return response


@pytest.fixture
def anonymous_response(customer):
    """An anonymous wave: the customer was sampled and answered."""
    wave = _wave(anonymous=True)
    participant = add_participant(
        wave, group=add_group(wave, name="Anon"), customer=customer, email=EMAIL
    )
    return _submit(participant, {"Q_OVERALL": 1, "Q_WHY": "Anonymous secret text."})


def _records(customer):
    return {
        source.key: records
        for source, records in personal_data.find_records(customer).items()
    }[KEY]


def test_participations_answers_and_follow_ups_are_found(customer, answered):
    # A second wave knows the customer only by address, with saved progress.
    other = _wave()
    by_address = add_participant(other, email=EMAIL.upper(), draft={"Q_WHY": "Mari"})
    stranger = add_participant(other, email="someone@example.org")

    records = _records(customer)
    data = [r.data for r in records]
    assert len([d for d in data if "disposition" in d]) == 2
    response_data = next(d for d in data if "answer Q_WHY" in d)
    assert response_data["answer Q_WHY"] == WHY
    assert response_data["answer Q_OVERALL"] == 1
    assert response_data["answer Q_TOPICS"] == [1, 3]
    assert any(d.get("outcome", "").startswith("Called Mari") for d in data)
    assert any(d.get("saved answer Q_WHY") == "Mari" for d in data)
    assert {r.url for r in records} == {
        answered.wave.get_absolute_url(),
        other.get_absolute_url(),
    }
    assert stranger.email not in json.dumps([str(d) for d in data])
    assert by_address.email in [d.get("email") for d in data]


def test_records_take_a_constant_number_of_queries(
    customer, answered, django_assert_num_queries
):
    """Participations, responses, answers, follow-ups: four queries, however
    many waves the customer took part in."""
    from surveys.personal_data import records

    with django_assert_num_queries(4):
        assert len(records(customer)) == 3
    for n in range(3):
        wave = _wave()
        _submit(add_participant(wave, customer=customer), {"Q_OVERALL": 3 + n})
    with django_assert_num_queries(4):
        assert len(records(customer)) == 3 + 3 * 2


def test_subject_access_export_includes_survey_records(
    client_for, quality_manager, customer, answered
):
    client = client_for(quality_manager)
    url = reverse("qms:customer-personal-data-export", args=[customer.pk, "json"])
    rows = json.loads(client.get(url).content)["records"][KEY]
    assert any(row.get("answer Q_WHY") == WHY for row in rows)
    assert any(row.get("email") == EMAIL for row in rows)

    url = reverse("qms:customer-personal-data-export", args=[customer.pk, "csv"])
    table = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert [KEY, f"{answered.wave.name}: R-{answered.pk}"] == table[
        next(i for i, row in enumerate(table) if row[3] == "answer Q_WHY")
    ][:2]
    assert any(row[3] == "answer Q_TOPICS" and row[4] == "1; 3" for row in table)

    page = reverse("qms:customer-personal-data", args=[customer.pk])
    html = client.get(page).content.decode()
    assert f"R-{answered.pk}" in html


def test_erasure_anonymises_participations_and_keeps_the_scores(
    client_for, quality_manager, customer, answered
):
    participant = answered.participant
    participant_id = participant.pk
    url = reverse("qms:customer-erase", args=[customer.pk])
    response = client_for(quality_manager).post(
        url, {"reason": "Written request", "confirm": "on"}
    )
    assert response.status_code == 302

    participant = Participant.objects.get(pk=participant_id)
    assert participant.email == "" and participant.customer is None
    assert participant.disposition == Participant.Disposition.COMPLETE
    why = Answer.objects.get(response=answered, question__code="Q_WHY").text
    assert "Mari" not in why and "5555" not in why and "example.org" not in why
    assert "The bill came two weeks late." in why
    # The scores stay for the results.
    assert (
        Answer.objects.get(response=answered, question__code="Q_OVERALL").value_int == 1
    )
    assert Response.objects.get(pk=answered.pk).participant_id == participant_id
    follow_up = FollowUp.objects.get(response=answered)
    assert "Mari" not in follow_up.outcome and "5555" not in follow_up.outcome
    assert "bill corrected" in follow_up.outcome
    for old in FollowUp.history.filter(id=follow_up.pk):
        assert "Mari" not in old.outcome and "5555" not in old.outcome
    assert ErasureLog.objects.get().counts[KEY] == 1
    customer.refresh_from_db()
    assert _records(customer) == []


def test_anonymous_responses_never_link_to_the_customer(
    client_for, quality_manager, customer, anonymous_response
):
    assert anonymous_response.participant_id is None
    # The sampled person is known (response rates need it), their answers not.
    records = _records(customer)
    assert [r.data["wave"] for r in records] == [anonymous_response.wave.name]
    assert "Anonymous secret text." not in json.dumps(
        [{k: str(v) for k, v in r.data.items()} for r in records]
    )
    url = reverse("qms:customer-personal-data-export", args=[customer.pk, "csv"])
    body = client_for(quality_manager).get(url).content.decode()
    assert "Anonymous secret text." not in body
    assert not FollowUp.objects.exists()  # low score, but nobody to call

    personal_data.erase_customer(customer=customer, by=quality_manager, reason="Ask")
    answer = Answer.objects.get(response=anonymous_response, question__code="Q_WHY")
    assert answer.text == "Anonymous secret text."


def test_retention_anonymises_participants_of_waves_closed_long_ago_once(
    customer, answered, settings
):
    settings.PERSONAL_DATA_RETENTION_DAYS = {KEY: 365}
    today = timezone.localdate()
    Wave.objects.filter(pk=answered.wave_id).update(
        status=Wave.Status.CLOSED, closes_on=today - datetime.timedelta(days=400)
    )
    recent = _wave(
        status=Wave.Status.CLOSED, closes_on=today - datetime.timedelta(days=100)
    )
    kept = add_participant(recent, customer=customer, email=EMAIL)

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert f"{KEY}: 1 anonymised" in out.getvalue()
    old = Participant.objects.get(pk=answered.participant_id)
    assert old.email == "" and old.customer_id is None
    why = Answer.objects.get(response=answered, question__code="Q_WHY").text
    assert "Mari" not in why and "5555" not in why
    kept.refresh_from_db()
    assert kept.email == EMAIL and kept.customer_id == customer.pk

    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert f"{KEY}: 0 anonymised" in out.getvalue()
