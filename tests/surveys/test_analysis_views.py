"""Results, comments, data-quality and follow-up pages: access, what a user
sees, exclusions and their undo, exports, constant query counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from improvements.models import Plan
from improvements.services import plan_create
from surveys.models import FollowUp, Participant, Question, Response, TargetGroup, Wave
from tests.worlds import module_world

from .factories_analysis import (
    add_responses,
    fresh,
    make_questionnaire,
    make_series,
    make_wave,
    random_rows,
    skip_chart_drawing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("surveys-analysis-views")]


@module_world
def survey_world():
    """Waves 2024 and 2025 of one series, 80 responses each, built once for
    the module (its own series code: tests without it make series "sat"
    alongside); their primary keys."""
    series = make_series("views")
    questionnaire, questions = make_questionnaire(series)
    old, old_groups = make_wave(
        series, questionnaire, name="2024", opens_on=datetime.date(2024, 3, 1)
    )
    new, new_groups = make_wave(series, questionnaire, name="2025")
    add_responses(old, random_rows(80, seed=1, groups=list(old_groups.values())))
    add_responses(new, random_rows(80, seed=2, groups=list(new_groups.values())))
    return {
        "waves": {"old": old.pk, "new": new.pk},
        "questions": {code: q.pk for code, q in questions.items()},
        "groups": {name: g.pk for name, g in new_groups.items()},
    }


@pytest.fixture
def survey(survey_world):
    """The module's waves, questions and groups, new instances for each test."""
    return {
        **fresh(Wave, survey_world["waves"], "series", "questionnaire"),
        "questions": fresh(Question, survey_world["questions"], "questionnaire"),
        "groups": fresh(TargetGroup, survey_world["groups"]),
    }


@pytest.fixture
def no_drawing(monkeypatch):
    """For tests of what a page says, not of its charts' pictures (the pages
    with charts are checked by the tests without it)."""
    skip_chart_drawing(monkeypatch)


def results_url(wave):
    return reverse("surveys:wave-results", args=[wave.pk])


def test_quality_manager_sees_the_results(client_for, quality_manager, survey):
    response = client_for(quality_manager).get(results_url(survey["new"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Q_SPEED" in page and "Response rate (RR1)" in page
    assert "Key drivers" in page and "<svg" in page
    assert "significant change" in page


def test_missing_wave_is_404(client_for, quality_manager):
    client = client_for(quality_manager)
    assert client.get(reverse("surveys:wave-results", args=[999999])).status_code == 404
    export = reverse("surveys:wave-results-export", args=[999999, "csv"])
    assert client.get(export).status_code == 404


def test_results_page_query_count_does_not_grow_with_answers(
    client_for,
    quality_manager,
    django_assert_num_queries,
    django_assert_max_num_queries,
    no_drawing,
):
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    old, old_groups = make_wave(
        series, questionnaire, name="2024", opens_on=datetime.date(2024, 3, 1)
    )
    new, new_groups = make_wave(series, questionnaire, name="2025")
    client = client_for(quality_manager)
    add_responses(old, random_rows(10, groups=list(old_groups.values())))
    add_responses(new, random_rows(10, seed=2, groups=list(new_groups.values())))
    # First view of the closed waves: their aggregates are computed and
    # stored (a few queries per wave), the charts drawn and stored.
    with django_assert_num_queries(44) as cold:
        assert client.get(results_url(new)).status_code == 200
    # Second view: session, user, permissions (2), wave, previous wave,
    # questions + options, the stored aggregates of both waves, groups, the
    # stored charts, previous questions, plans, proposals, and the template's
    # proposal card.
    with django_assert_num_queries(13) as warm:
        assert client.get(results_url(new)).status_code == 200
    add_responses(old, random_rows(400, seed=3, groups=list(old_groups.values())))
    add_responses(new, random_rows(400, seed=4, groups=list(new_groups.values())))
    # Recomputed for more answers: no more than the first view.
    with django_assert_max_num_queries(len(cold.captured_queries)):
        assert client.get(results_url(new)).status_code == 200
    with django_assert_num_queries(len(warm.captured_queries)):
        assert client.get(results_url(new)).status_code == 200


def test_results_export_has_one_row_per_question(client_for, quality_manager, survey):
    url = reverse("surveys:wave-results-export", args=[survey["new"].pk, "csv"])
    response = client_for(quality_manager).get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == list(survey["questions"])
    speed = next(r for r in rows if r["code"] == "Q_SPEED")
    assert speed["test"] == "mann_whitney_normal"
    assert speed["n"] == "80"
    assert speed["p_adjusted_bh"]
    xlsx = reverse("surveys:wave-results-export", args=[survey["new"].pk, "xlsx"])
    assert client_for(quality_manager).get(xlsx).status_code == 200
    bad = reverse("surveys:wave-results-export", args=[survey["new"].pk, "pdf"])
    assert client_for(quality_manager).get(bad).status_code == 404


def test_comments_filter_by_search_group_and_score(client_for, executive, survey):
    new = survey["new"]
    client = client_for(executive)
    url = reverse("surveys:wave-comments", args=[new.pk])
    page = client.get(url).content.decode()
    assert "Comment 0" in page
    page = client.get(url, {"search": "Comment 15"}).content.decode()
    assert "Comment 15" in page and "Comment 10<" not in page
    group = survey["groups"]["Private"]
    page = client.get(url, {"group": group.pk}).content.decode()
    assert "Private" in page and "Business" not in page.split("<ul")[-1]
    response = client.get(url, {"score_min": 6})
    assert "No comments match" in response.content.decode()
    response = client.get(url, {"score_min": "x"})
    assert response.status_code == 200


def test_speeder_is_listed_excluded_and_restored(client_for, quality_manager, survey):
    new = survey["new"]
    [speeder] = add_responses(
        new, [{"answers": {"Q_SPEED": 1, "Q_OVERALL": 1}, "duration": 7}]
    )
    client = client_for(quality_manager)
    quality = reverse("surveys:wave-quality", args=[new.pk])
    assert f"R-{speeder.pk}" in client.get(quality).content.decode()
    response = client.post(
        reverse("surveys:response-exclude", args=[speeder.pk]),
        {"reason": "Speeder: under 60 s"},
    )
    assert response.status_code == 302
    speeder.refresh_from_db()
    assert speeder.excluded and speeder.excluded_by == quality_manager
    assert speeder.exclusion_reason == "Speeder: under 60 s"
    client.post(reverse("surveys:response-include", args=[speeder.pk]))
    speeder.refresh_from_db()
    assert not speeder.excluded


def test_exclusion_without_reason_changes_nothing(client_for, quality_manager, survey):
    response = survey["new"].responses.first()
    client = client_for(quality_manager)
    reply = client.post(
        reverse("surveys:response-exclude", args=[response.pk]),
        {"reason": ""},
        follow=True,
    )
    assert "Say why the response is excluded." in reply.content.decode()
    response.refresh_from_db()
    assert not response.excluded


def test_straight_liner_is_listed(client_for, quality_manager):
    series = make_series()
    questions = {f"Q_L{i}": ("likert", False) for i in range(6)}
    questionnaire, _ = make_questionnaire(series, questions)
    wave, _ = make_wave(series, questionnaire)
    [liner, varied] = add_responses(
        wave,
        [
            {"answers": dict.fromkeys(questions, 3)},
            {"answers": {code: 1 + i % 5 for i, code in enumerate(questions)}},
        ],
    )
    page = client_for(quality_manager).get(
        reverse("surveys:wave-quality", args=[wave.pk])
    )
    table = page.content.decode().split('id="straight-liners"')[1]
    assert f"R-{liner.pk}" in table
    assert f"R-{varied.pk}" not in table


@pytest.mark.parametrize("persona", ["executive", "service_staff"])
def test_data_quality_needs_change_permission(request, client_for, persona, survey):
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.get(reverse("surveys:wave-quality", args=[survey["new"].pk])).status_code
        == 403
    )
    response = survey["new"].responses.first()
    url = reverse("surveys:response-exclude", args=[response.pk])
    assert client.post(url, {"reason": "x"}).status_code == 403
    response.refresh_from_db()
    assert not response.excluded


def test_exclude_missing_response_is_404(client_for, quality_manager):
    url = reverse("surveys:response-exclude", args=[999999])
    assert client_for(quality_manager).post(url, {"reason": "x"}).status_code == 404


def test_plan_from_previous_wave_is_listed_with_its_item_movement(
    client_for, quality_manager, survey, no_drawing
):
    plan = plan_create(
        title="Faster replies",
        problem="Speed scored low",
        scope="",
        plan_type=Plan.Type.CORRECTIVE,
        area="surveys",
        owner=quality_manager,
        team=[],
        by=quality_manager,
        origins=[survey["questions"]["Q_SPEED"]],
    )
    Plan.objects.filter(pk=plan.pk).update(
        created_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC)
    )
    page = client_for(quality_manager).get(results_url(survey["new"])).content.decode()
    actions = page.split('id="actions"')[1]
    assert "Faster replies" in actions
    assert "#q-q_speed" in actions


def test_follow_up_list_and_done(client_for, service_staff, survey):
    new = survey["new"]
    participant = Participant.objects.create(wave=new, email="a@example.com")
    [answer] = add_responses(
        new, [{"answers": {"Q_NPS": 2}, "participant": participant}]
    )
    follow_up = FollowUp.objects.create(response=answer, reason="Low score: Q_NPS = 2")
    client = client_for(service_staff)
    page = client.get(reverse("surveys:follow-up-list")).content.decode()
    assert "Low score: Q_NPS = 2" in page and "a@example.com" in page
    url = reverse("surveys:follow-up-done", args=[follow_up.pk])
    client.post(url, {"outcome": ""})
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.OPEN
    client.post(url, {"outcome": "Called, explained the delay"})
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE
    assert follow_up.outcome == "Called, explained the delay"


def test_excluded_response_count_shows_on_results(
    client_for, quality_manager, survey, no_drawing
):
    Response.objects.filter(pk=survey["new"].responses.first().pk).update(excluded=True)
    page = client_for(quality_manager).get(results_url(survey["new"])).content.decode()
    assert "79 responses counted" in page and "1 excluded" in page


def test_results_and_quality_pages_have_unique_ids(client_for, quality_manager, survey):
    import re
    from collections import Counter

    client = client_for(quality_manager)
    for url in (
        results_url(survey["new"]),
        reverse("surveys:wave-quality", args=[survey["new"].pk]),
        reverse("surveys:wave-comments", args=[survey["new"].pk]),
    ):
        ids = re.findall(r'\sid="([^"]+)"', client.get(url).content.decode())
        assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_export_hides_suppressed_figures(client_for, quality_manager):
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    wave, _ = make_wave(series, questionnaire)
    add_responses(wave, random_rows(3))
    url = reverse("surveys:wave-results-export", args=[wave.pk, "csv"])
    response = client_for(quality_manager).get(url)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    speed = next(r for r in csv.DictReader(io.StringIO(text)) if r["code"] == "Q_SPEED")
    assert speed["n"] == "3" and speed["base_note"] == "suppressed"
    assert speed["value"] == "" and speed["mean"] == ""


def test_wave_without_answers_or_overall_item_still_shows(client_for, executive):
    series = make_series()
    questionnaire, _ = make_questionnaire(series, {"Q_SPEED": ("likert", False)})
    wave, _ = make_wave(series, questionnaire)
    page = client_for(executive).get(results_url(wave)).content.decode()
    assert "first wave of the series" in page
    assert "Fewer than 5 answers: not shown." in page
    assert "No question is marked as the overall satisfaction item" in page
    assert "Data quality" not in page  # executives do not clean data
