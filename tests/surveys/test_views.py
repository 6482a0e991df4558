"""Staff pages (who may open which is in tests/qms/access_matrix.py): the
builder and plan pages, refused changes, staff entry, export, and constant
query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from surveys import services
from surveys.models import (
    Participant,
    Question,
    Response,
    Section,
    Series,
    TargetGroup,
    Wave,
)
from tests.factories import SegmentFactory
from tests.surveys.conftest import PAGE1, PAGE2, add_group, add_participant, build_wave

S = Wave.Status


@pytest.fixture
def plan(db):
    wave = build_wave(status=S.DRAFT)
    add_group(wave)
    return wave


def pages(wave):
    q = wave.questionnaire
    question = q.questions.first()
    return [
        reverse("surveys:home"),
        reverse("surveys:series-detail", args=[wave.series_id]),
        reverse("surveys:questionnaire-detail", args=[q.pk]),
        reverse("surveys:questionnaire-preview", args=[q.pk]) + "?lang=ru",
        reverse("surveys:question-detail", args=[question.pk]),
        reverse("surveys:wave-detail", args=[wave.pk]),
        reverse("surveys:wave-monitor", args=[wave.pk]),
    ]


@pytest.mark.django_db
def test_quality_manager_sees_every_page(client_for, quality_manager, plan):
    client = client_for(quality_manager)
    for url in [
        *pages(plan),
        reverse("surveys:wave-participants", args=[plan.pk]),
        reverse("surveys:wave-update", args=[plan.pk]),
        reverse("surveys:series-create"),
        reverse("surveys:wave-create", args=[plan.series_id]),
        reverse("surveys:question-create", args=[plan.questionnaire_id]),
        reverse("surveys:section-create", args=[plan.questionnaire_id]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_executive_cannot_approve_a_plan(client_for, executive, plan):
    client = client_for(executive)
    response = client.post(
        reverse("surveys:wave-transition", args=[plan.pk]), {"to": "approved"}
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == S.DRAFT


@pytest.mark.django_db
def test_missing_records_are_404(client_for, quality_manager):
    client = client_for(quality_manager)
    for name in (
        "surveys:wave-detail", "surveys:series-detail", "surveys:wave-monitor",
        "surveys:questionnaire-detail", "surveys:question-detail",
    ):  # fmt: skip
        assert client.get(reverse(name, args=[999])).status_code == 404, name


@pytest.mark.django_db
def test_plan_is_created_grouped_and_approved_through_the_pages(
    client_for, quality_manager
):
    wave = build_wave(status=S.DRAFT)
    client = client_for(quality_manager)
    response = client.post(
        reverse("surveys:wave-create", args=[wave.series_id]),
        {
            "name": "Wave 2027", "questionnaire": wave.questionnaire_id, "goal": "Know",
            "sampling": "stratified", "confidence": "0.95", "margin_of_error": "0.05",
            "expected_response_rate": "0.3", "mode": "email", "reminder_days": "5, 10",
            "min_seconds": 60,
        },
    )  # fmt: skip
    new = Wave.objects.get(name="Wave 2027")
    assert response.status_code == 302
    assert new.reminder_days == [5, 10] and new.created_by == quality_manager
    segment = SegmentFactory(name="Business")
    client.post(
        reverse("surveys:group-add", args=[new.pk]),
        {"segment": segment.pk, "population": "1000"},
    )
    group = TargetGroup.objects.get(wave=new)
    assert (group.name, group.required_sample, group.invitations) == (
        "Business",
        278,
        927,
    )
    client.post(reverse("surveys:wave-transition", args=[new.pk]), {"to": "approved"})
    new.refresh_from_db()
    assert new.status == S.APPROVED
    # Read-only now.
    response = client.get(reverse("surveys:wave-update", args=[new.pk]))
    assert response.status_code == 302


@pytest.mark.django_db
def test_bad_plan_input_shows_errors_and_saves_nothing(
    client_for, quality_manager, plan
):
    client = client_for(quality_manager)
    response = client.post(
        reverse("surveys:wave-update", args=[plan.pk]),
        {"name": "", "questionnaire": plan.questionnaire_id, "sampling": "stratified",
         "confidence": "0.95", "margin_of_error": "0.05",
         "expected_response_rate": "0.3",
         "mode": "email", "reminder_days": "five", "min_seconds": 60,
         "opens_on": "2026-05-10", "closes_on": "2026-05-01"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter whole numbers separated by commas" in body
    plan.refresh_from_db()
    assert plan.name == "Wave 2026"


@pytest.mark.django_db
def test_preview_renders_every_language_and_saves_nothing(
    client_for, quality_manager, plan
):
    client = client_for(quality_manager)
    url = reverse("surveys:questionnaire-preview", args=[plan.questionnaire_id])
    assert "Kui rahul" in client.get(url + "?lang=et").content.decode()
    assert "Насколько" in client.get(url + "?lang=ru").content.decode()
    assert client.post(url + "?lang=en", PAGE1).status_code == 200
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_staff_entry_records_source(client_for, service_staff):
    wave = build_wave()
    group = add_group(wave)
    p = add_participant(wave, group=group)
    url = reverse("surveys:wave-entry", args=[wave.pk])
    client = client_for(service_staff)
    assert client.get(url).status_code == 200
    data = {
        "h-source": "phone",
        "h-participant": p.pk,
        "h-language": "en",
        **PAGE1,
        **PAGE2,
    }
    response = client.post(url, data)
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.source == Response.Source.PHONE
    assert saved.entered_by == service_staff
    assert saved.participant == p and saved.group == group
    assert saved.answers.count() == 6
    p.refresh_from_db()
    assert p.disposition == Participant.Disposition.COMPLETE


@pytest.mark.django_db
def test_staff_entry_with_missing_answer_saves_nothing(client_for, service_staff):
    wave = build_wave()
    url = reverse("surveys:wave-entry", args=[wave.pk])
    response = client_for(service_staff).post(
        url, {"h-source": "paper", "h-language": "et"}
    )
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert not Response.objects.exists()


def _export(client, wave, kind="csv"):
    response = client.get(
        reverse("surveys:wave-export", args=[wave.pk]) + f"?format={kind}"
    )
    assert response.status_code == 200
    if kind != "csv":
        return response
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.django_db
@pytest.mark.parametrize("anonymous", [False, True])
def test_export_has_coded_columns_and_no_personal_data_when_anonymous(
    client, client_for, quality_manager, anonymous
):
    from tests.factories import CustomerFactory

    wave = build_wave(anonymous=anonymous)
    group = add_group(wave)
    customer = CustomerFactory(name="Mari Maasikas", consent_surveys=True)
    p = add_participant(wave, group=group, customer=customer, language="en")
    client.post(
        reverse("surveys_public:answer", args=[p.token]) + "?page=0&lang=en", PAGE1
    )
    client.post(
        reverse("surveys_public:answer", args=[p.token]) + "?page=1&lang=en", PAGE2
    )
    rows = _export(client_for(quality_manager), wave)
    header, row = rows[0], rows[1]
    record = dict(zip(header, row, strict=True))
    assert header[:10] == [
        "response_id", "wave", "group", "source", "language", "started_at",
        "submitted_at", "duration_seconds", "excluded", "exclusion_reason",
    ]  # fmt: skip
    for code in (
        "Q_OVERALL",
        "Q_NPS",
        "Q_WHY",
        "Q_CHANNEL",
        "Q_TOPICS_1",
        "Q_TOPICS_2",
        "Q_TOPICS_3",
        "Q_VISITS",
    ):
        assert code in header
    assert (record["Q_OVERALL"], record["Q_NPS"], record["Q_CHANNEL"]) == (
        "4",
        "9",
        "2",
    )
    assert (record["Q_TOPICS_1"], record["Q_TOPICS_2"], record["Q_TOPICS_3"]) == (
        "1",
        "0",
        "1",
    )
    assert record["group"] == group.name and record["excluded"] == "0"
    text = ",".join(header + row)
    if anonymous:
        assert "Mari Maasikas" not in text and customer.email not in text
        assert "customer_name" not in header
    else:
        assert record["customer_name"] == "Mari Maasikas"
    assert _export(client_for(quality_manager), wave, "xlsx")[
        "Content-Type"
    ].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_home_query_count_is_constant(
    client_for, quality_manager, django_assert_num_queries
):
    client = client_for(quality_manager)
    build_wave()
    # session+user, permissions, fieldwork waves, upcoming, series, follow-ups,
    # the process description.
    with django_assert_num_queries(8):
        assert client.get(reverse("surveys:home")).status_code == 200
    for i in range(4):
        series = Series.objects.create(name=f"S{i}", code=f"s{i}")
        from tests.surveys.conftest import build_questionnaire

        build_wave(questionnaire=build_questionnaire(series=series))
        build_wave(
            status=S.DRAFT,
            questionnaire=build_questionnaire(series=series, title="x", version=2),
        )
    with django_assert_num_queries(8):
        assert client.get(reverse("surveys:home")).status_code == 200


@pytest.mark.django_db
def test_participant_list_query_count_is_constant(
    client_for, quality_manager, django_assert_num_queries
):
    wave = build_wave()
    group = add_group(wave)
    client = client_for(quality_manager)
    url = reverse("surveys:wave-participants", args=[wave.pk])
    add_participant(wave, group=group)
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    for i in range(30):
        add_participant(wave, group=group, email=f"x{i}@example.org")
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_question_can_be_linked_to_a_need(client_for, quality_manager, plan):
    from needs.models import Need, NeedLink

    need = Need.objects.create(statement="Bills must be easy to read")
    question = plan.questionnaire.questions.get(code="Q_OVERALL")
    client = client_for(quality_manager)
    url = reverse("surveys:question-detail", args=[question.pk])
    response = client.post(url, {"need": need.pk, "note": "clarity"})
    assert response.status_code == 302
    link = NeedLink.objects.get()
    assert link.target == question and link.kind == NeedLink.Kind.MEASURES
    assert "Bills must be easy to read" in client.get(url).content.decode()


@pytest.mark.django_db
def test_wave_page_links_to_its_results_and_comments(client_for, quality_manager, plan):
    url = reverse("surveys:wave-detail", args=[plan.pk])
    body = client_for(quality_manager).get(url).content.decode()
    assert reverse("surveys:wave-results", args=[plan.pk]) in body
    assert reverse("surveys:wave-comments", args=[plan.pk]) in body
    assert reverse("surveys:wave-quality", args=[plan.pk]) in body


@pytest.mark.django_db
def test_staff_wave_page_links_only_to_pages_they_may_open(
    client_for, service_staff, plan
):
    """Service staff see a wave (to enter answers and follow up) but not the
    series, questionnaire or results: the page shows no links that would
    answer 403."""
    body = client_for(service_staff).get(plan.get_absolute_url()).content.decode()
    for url in (
        reverse("surveys:wave-results", args=[plan.pk]),
        reverse("surveys:wave-comments", args=[plan.pk]),
        plan.series.get_absolute_url(),
        plan.questionnaire.get_absolute_url(),
    ):
        assert f'href="{url}' not in body
        assert client_for(service_staff).get(url).status_code == 403
    assert plan.questionnaire.title in body


@pytest.mark.django_db
def test_staff_mark_an_invitation_bounced(client_for, quality_manager):
    wave = build_wave()
    p = add_participant(wave)
    url = reverse("surveys:participant-bounced", args=[wave.pk, p.pk])
    assert client_for(quality_manager).post(url).status_code == 302
    p.refresh_from_db()
    assert p.disposition == Participant.Disposition.BOUNCED


@pytest.mark.django_db
def test_builder_and_wave_pages_have_constant_query_counts(
    client_for, quality_manager, django_assert_num_queries
):
    wave = build_wave(status=S.DRAFT)
    add_group(wave)
    client = client_for(quality_manager)
    urls = [
        reverse("surveys:questionnaire-detail", args=[wave.questionnaire_id]),
        reverse("surveys:wave-detail", args=[wave.pk]),
        reverse("surveys:series-detail", args=[wave.series_id]),
    ]
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counts[url] = len(context)
    q = wave.questionnaire
    for i in range(3):
        section = Section.objects.create(
            questionnaire=q, order=10 + i, title_en=f"S{i}"
        )
        for j in range(4):
            Question.objects.create(
                questionnaire=q, section=section, code=f"Q_X{i}{j}", type="likert"
            )
        add_group(wave, name=f"G{i}")
        services.questionnaire_new_version(questionnaire=q, by=quality_manager)
    for url in urls:
        # The same number of queries with three times the sections, questions,
        # groups and versions.
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
