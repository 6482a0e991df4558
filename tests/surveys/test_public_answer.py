"""The answer pages behind personal and public links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Answer, Participant, Response, Wave
from tests.surveys.conftest import PAGE1, PAGE2, add_group, add_participant, build_wave

D = Participant.Disposition
FUTURE = datetime.date(2099, 1, 1)
PAST = datetime.date(2020, 1, 1)


def url(participant, page=None):
    base = reverse("surveys_public:answer", args=[participant.token])
    return base if page is None else f"{base}?page={page}&lang=en"


def answer_all(client, participant, page1=PAGE1, page2=PAGE2):
    first = client.post(url(participant, 0), page1)
    assert first.status_code == 302, first.content.decode()[:2000]
    return client.post(url(participant, 1), page2)


@pytest.mark.django_db
def test_personal_link_shows_first_page_in_participants_language(client, participant):
    response = client.get(url(participant))
    assert response.status_code == 200
    body = response.content.decode()
    assert "How satisfied are you overall?" in body
    assert "Page 1 of 2" in body
    participant.refresh_from_db()
    assert participant.disposition == D.OPENED


@pytest.mark.django_db
def test_language_switch_shows_estonian_texts(client, participant):
    response = client.get(url(participant) + "?lang=et")
    assert "Kui rahul te üldiselt olete?" in response.content.decode()
    participant.refresh_from_db()
    assert participant.language == "et"


@pytest.mark.django_db
def test_full_answer_is_stored_once_and_link_is_then_used(client, participant):
    done = answer_all(client, participant)
    assert done.status_code == 302
    assert done["Location"].startswith(url(participant) + "thanks/")
    participant.refresh_from_db()
    assert participant.disposition == D.COMPLETE
    assert participant.draft == {}
    response = Response.objects.get()
    assert response.participant == participant
    assert response.group == participant.group
    codes = sorted(
        Answer.objects.filter(response=response).values_list(
            "question__code", "value_int"
        )
    )
    assert codes == [
        ("Q_CHANNEL", 2), ("Q_NPS", 9), ("Q_OVERALL", 4),
        ("Q_TOPICS", 1), ("Q_TOPICS", 3), ("Q_VISITS", None),
    ]  # fmt: skip
    assert Answer.objects.get(question__code="Q_VISITS").value_num == 2.0
    participant.wave.questionnaire.refresh_from_db()
    assert participant.wave.questionnaire.locked
    # Reuse is refused plainly and stores nothing.
    again = client.get(url(participant))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    repost = client.post(url(participant, 1), PAGE2)
    assert repost.status_code == 410
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_double_submit_creates_one_response(participant):
    from surveys import selectors, services

    questions = [
        q for page in selectors.pages_of(participant.wave.questionnaire) for q in page
    ]
    values = {"Q_OVERALL": 5}
    services.response_submit(
        wave=participant.wave, questions=questions, values=values,
        language="en", source=Response.Source.PERSONAL_LINK, participant=participant,
    )  # fmt: skip
    with pytest.raises(Exception, match="already been answered"):
        services.response_submit(
            wave=participant.wave, questions=questions, values=values,
            language="en", source=Response.Source.PERSONAL_LINK,
            participant=participant,
        )  # fmt: skip
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_progress_is_saved_between_pages(client, participant):
    client.post(url(participant, 0), PAGE1)
    participant.refresh_from_db()
    assert participant.disposition == D.PARTIAL
    assert participant.draft["Q_OVERALL"] == 4
    assert participant.draft["_page"] == 1
    # Coming back later resumes on page 2.
    response = client.get(url(participant))
    assert "Page 2 of 2" in response.content.decode()


@pytest.mark.django_db
def test_missing_required_answer_shows_message_and_saves_nothing(client, participant):
    response = client.post(url(participant, 0), {"Q_NPS": "7"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Please check your answers" in body
    assert "Please answer this question." in body
    assert 'href="#id_Q_OVERALL_0"' in body
    participant.refresh_from_db()
    assert participant.draft == {}
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_out_of_range_and_bad_number_are_refused(client, participant):
    response = client.post(url(participant, 0), {"Q_OVERALL": "9"})
    assert "Choose one of the given answers." in response.content.decode()
    client.post(url(participant, 0), PAGE1)
    response = client.post(url(participant, 1), {**PAGE2, "Q_VISITS": "many"})
    assert "Enter a number" in response.content.decode()
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_conditional_question_required_only_when_shown(client, participant):
    # Low satisfaction: the follow-up question is shown and required.
    response = client.post(url(participant, 0), {"Q_OVERALL": "2"})
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    # High satisfaction: it is neither required nor stored.
    done = answer_all(client, participant, {"Q_OVERALL": "5", "Q_WHY": "ignored"})
    assert done.status_code == 302
    assert not Answer.objects.filter(question__code="Q_WHY").exists()


@pytest.mark.django_db
def test_conditional_answer_is_stored_when_condition_met(client, participant):
    answer_all(client, participant, {"Q_OVERALL": "1", "Q_WHY": "Too slow"})
    assert Answer.objects.get(question__code="Q_WHY").text == "Too slow"


@pytest.mark.django_db
def test_anonymous_wave_stores_no_link_to_the_person(client):
    wave = build_wave(anonymous=True)
    group = add_group(wave)
    participant = add_participant(wave, group=group, language="en")
    answer_all(client, participant)
    participant.refresh_from_db()
    assert participant.disposition == D.COMPLETE
    assert participant.draft_started_at is None
    response = Response.objects.get()
    assert response.participant is None
    assert response.group == group
    assert response.entered_by is None
    assert response.public_fingerprint == ""
    assert response.started_at is None
    # Times are kept to the day, so they cannot be matched with the participant.
    assert timezone.localtime(response.submitted_at).hour == 12
    assert not hasattr(response, "customer")
    assert not Response.objects.filter(participant__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"status": Wave.Status.CLOSED}, "This survey is closed"),
        ({"status": Wave.Status.CANCELLED}, "This survey is closed"),
        ({"status": Wave.Status.APPROVED}, "not open yet"),
        ({"opens_on": FUTURE, "closes_on": FUTURE}, "not open yet"),
        ({"opens_on": PAST, "closes_on": PAST}, "This survey is closed"),
    ],
)  # fmt: skip
def test_closed_or_not_open_survey_says_so(client, fields, text):
    wave = build_wave(**fields)
    participant = add_participant(wave)
    response = client.get(url(participant))
    assert text in response.content.decode()
    assert client.post(url(participant, 0), PAGE1).status_code in (200, 410)
    participant.refresh_from_db()
    assert participant.draft == {}


@pytest.mark.django_db
def test_expired_link_says_so(client, wave):
    participant = add_participant(
        wave, expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = client.get(url(participant))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


@pytest.mark.django_db
def test_unknown_token_is_a_plain_404(client):
    response = client.get("/s/not-a-token/")
    assert response.status_code == 404
    assert "Unknown link" in response.content.decode()


@pytest.mark.django_db
def test_opt_out_withdraws_consent(client, wave):
    from tests.factories import CustomerFactory

    customer = CustomerFactory(consent_surveys=True)
    participant = add_participant(wave, customer=customer)
    opt_url = reverse("surveys_public:opt-out", args=[participant.token])
    assert client.get(opt_url).status_code == 200
    client.post(opt_url)
    participant.refresh_from_db()
    customer.refresh_from_db()
    assert participant.disposition == D.OPTED_OUT
    assert not customer.consent_surveys
    assert "opted out" in client.get(url(participant)).content.decode()


@pytest.mark.django_db
def test_answer_post_uses_a_handful_of_queries(
    client, participant, django_assert_num_queries
):
    client.post(url(participant, 0), PAGE1)
    # participant+wave, questions, options; in the transaction: 2 savepoints
    # (+2 releases), the participant locked, the response and its history
    # row, one bulk insert of the answers, the participant updated, the
    # questionnaire locked: 13, plus the low-score check of the follow-ups
    # (1, or 3 with a follow-up opened): 16, whatever the number of questions.
    with django_assert_num_queries(14):
        done = client.post(url(participant, 1), PAGE2)
    assert done.status_code == 302


@pytest.mark.django_db
def test_public_link_accepts_one_answer_per_browser(client):
    wave = build_wave(public_link=True, anonymous=True)
    base = reverse("surveys_public:public-answer", args=[wave.public_token])
    assert client.get(base).status_code == 200
    assert client.post(f"{base}?page=0&lang=en", PAGE1).status_code == 302
    done = client.post(f"{base}?page=1&lang=en", PAGE2)
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.source == Response.Source.PUBLIC_LINK
    assert len(response.public_fingerprint) == 64
    again = client.get(base)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    # Another browser (no cookie) may answer.
    client.cookies.clear()
    assert client.get(base).status_code == 200


@pytest.mark.django_db
def test_public_link_off_is_unknown(client, wave):
    base = reverse("surveys_public:public-answer", args=[wave.public_token])
    assert client.get(base).status_code == 404
