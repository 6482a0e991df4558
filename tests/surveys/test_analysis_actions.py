"""Follow-ups on low scores, the survey measures, the report section and
the post-complaint block on the complaints monitoring page."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from qms import measures
from qms.reporting import ReportPeriod, SectionRequest
from surveys import followups, reports
from surveys.models import FollowUp, Participant, Response, Series

from .factories_analysis import (
    add_responses,
    make_questionnaire,
    make_series,
    make_wave,
    random_rows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wave_setup():
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    wave, _ = make_wave(series, questionnaire)
    return series, wave


def identified(wave, answers, **extra):
    participant = Participant.objects.create(wave=wave, email="c@example.com")
    [response] = add_responses(
        wave, [{"answers": answers, "participant": participant, **extra}]
    )
    return response


def test_low_nps_opens_one_follow_up(wave_setup):
    _, wave = wave_setup
    response = identified(wave, {"Q_NPS": 4, "Q_OVERALL": 4})
    [follow_up] = followups.create_follow_ups(response)
    assert "Q_NPS = 4" in follow_up.reason
    assert follow_up.due_at > timezone.now()
    assert followups.create_follow_ups(response) == []
    assert FollowUp.objects.filter(response=response).count() == 1


def test_low_csat_opens_a_follow_up_but_good_scores_do_not(wave_setup):
    _, wave = wave_setup
    low = identified(wave, {"Q_NPS": 9, "Q_OVERALL": 2})
    assert len(followups.create_follow_ups(low)) == 1
    good = identified(wave, {"Q_NPS": 7, "Q_OVERALL": 3})
    assert followups.create_follow_ups(good) == []


def test_anonymous_or_unlinked_responses_never_get_a_follow_up(wave_setup):
    series, wave = wave_setup
    [unlinked] = add_responses(wave, [{"answers": {"Q_NPS": 0}}])
    assert followups.create_follow_ups(unlinked) == []
    anonymous, _ = make_wave(series, wave.questionnaire, name="anon", anonymous=True)
    [response] = add_responses(anonymous, [{"answers": {"Q_NPS": 0}}])
    assert followups.create_follow_ups(response) == []
    assert not FollowUp.objects.exists()


@override_settings(SURVEY_FOLLOW_UP_THRESHOLDS={"nps": 8})
def test_thresholds_are_configurable(wave_setup):
    _, wave = wave_setup
    response = identified(wave, {"Q_NPS": 8, "Q_OVERALL": 1})
    [follow_up] = followups.create_follow_ups(response)
    assert "Q_NPS = 8" in follow_up.reason
    assert "Q_OVERALL" not in follow_up.reason


def test_measures_are_registered_and_match_the_answers(wave_setup):
    _, wave = wave_setup
    now = timezone.now()
    add_responses(
        wave,
        [
            {
                "answers": {"Q_NPS": 10, "Q_OVERALL": 5, "Q_EFFORT": 7},
                "submitted_at": now,
            },
            {
                "answers": {"Q_NPS": 9, "Q_OVERALL": 4, "Q_EFFORT": 5},
                "submitted_at": now,
            },
            {
                "answers": {"Q_NPS": 7, "Q_OVERALL": 3, "Q_EFFORT": 3},
                "submitted_at": now,
            },
            {
                "answers": {"Q_NPS": 2, "Q_OVERALL": 1, "Q_EFFORT": 1},
                "submitted_at": now,
            },
            {
                "answers": {"Q_NPS": 0, "Q_OVERALL": 1, "Q_EFFORT": 1},
                "submitted_at": now,
                "excluded": True,
            },
        ],
    )
    start = timezone.localdate() - datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=3)
    nps = measures.get("surveys.nps")
    [point] = nps.points(start, end)
    assert nps.value(point) == pytest.approx(25.0)  # (2 - 1) / 4
    csat = measures.get("surveys.csat_t2b")
    [point] = csat.points(start, end)
    assert (point.successes, point.trials) == (2, 4)
    ces = measures.get("surveys.ces_mean")
    [point] = ces.points(start, end, filters={"series": "sat"})
    assert ces.value(point) == pytest.approx(4.0)
    [point] = ces.points(start, end, filters={"series": "other"})
    assert point.n == 0
    monthly = nps.points(start, end, period="month")
    assert sum(p.n for p in monthly) == 4


def test_post_complaint_satisfaction_counts_only_post_complaint_answers(wave_setup):
    _, wave = wave_setup
    series = make_series("after-complaint", kind=Series.Kind.POST_COMPLAINT)
    questionnaire, _ = make_questionnaire(series, {"Q_OVERALL": ("csat", True)})
    pc_wave, _ = make_wave(series, questionnaire, name="pc")
    add_responses(pc_wave, [{"answers": {"Q_OVERALL": v}} for v in (5, 4, 2)])
    add_responses(wave, [{"answers": {"Q_OVERALL": 1}}])
    add_responses(
        wave,
        [{"answers": {"Q_OVERALL": 5}, "source": Response.Source.POST_COMPLAINT}],
    )
    measure = measures.get("surveys.post_complaint_satisfaction")
    start = timezone.localdate()
    [point] = measure.points(start, start + datetime.timedelta(days=1))
    assert (point.successes, point.trials) == (3, 4)


def test_within_a_build_the_four_measures_share_one_count_and_agree(
    wave_setup, django_assert_max_num_queries
):
    _, wave = wave_setup
    series = make_series("after-complaint", kind=Series.Kind.POST_COMPLAINT)
    questionnaire, _ = make_questionnaire(series, {"Q_OVERALL": ("csat", True)})
    pc_wave, _ = make_wave(series, questionnaire, name="pc")
    add_responses(pc_wave, [{"answers": {"Q_OVERALL": v}} for v in (5, 4, 2)])
    add_responses(
        wave,
        [
            {"answers": {"Q_NPS": v, "Q_OVERALL": o, "Q_EFFORT": e}}
            for v, o, e in [(10, 5, 7), (9, 4, 5), (6, 2, 3), (0, 1, 1), (8, 3, 6)]
        ]
        + [{"answers": {"Q_OVERALL": 5}, "source": Response.Source.POST_COMPLAINT}],
    )
    keys = [
        "surveys.nps",
        "surveys.csat_t2b",
        "surveys.ces_mean",
        "surveys.post_complaint_satisfaction",
    ]
    start = timezone.localdate() - datetime.timedelta(days=40)
    end = timezone.localdate() + datetime.timedelta(days=1)
    calls = [(start, end, "month", {}), (start, end, None, {"series": "sat"})]
    alone = {
        (key, i): measures.get(key).points(s, e, period=p, filters=f)
        for key in keys
        for i, (s, e, p, f) in enumerate(calls)
    }
    # Each lone call reads its own question type; a build reads them once
    # per range: the waves answered, the question types and the counts.
    with measures.memoized(), django_assert_max_num_queries(3 * len(calls)):
        shared = {
            (key, i): measures.get(key).points(s, e, period=p, filters=f)
            for key in keys
            for i, (s, e, p, f) in enumerate(calls)
        }
    assert shared == alone
    [nps] = alone[("surveys.nps", 1)]
    # 10 and 9 promote, 6 and 0 detract, 8 is passive: (+200 - 200) / 5.
    assert (nps.n, nps.sum_x, nps.sum_x2) == (5, 0.0, 40_000.0)
    [post] = alone[("surveys.post_complaint_satisfaction", 1)]
    assert (post.successes, post.trials) == (1, 1)  # the "sat" series only


def test_complaints_monitoring_shows_complaint_handling_satisfaction(
    client_for, quality_manager
):
    series = make_series("after-complaint", kind=Series.Kind.POST_COMPLAINT)
    questionnaire, _ = make_questionnaire(series, {"Q_OVERALL": ("csat", True)})
    wave, _ = make_wave(series, questionnaire, name="pc")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=3)
    moment = timezone.make_aware(
        datetime.datetime.combine(last_month, datetime.time(12))
    )
    add_responses(
        wave,
        [
            {"answers": {"Q_OVERALL": v}, "submitted_at": moment}
            for v in [5] * 8 + [1] * 2
        ],
    )
    page = client_for(quality_manager).get(reverse("complaints:monitoring"))
    text = page.content.decode()
    assert "Satisfaction with complaint handling" in text
    assert "80" in text.split('id="complaint-satisfaction"')[1]


def test_report_section_lists_headlines_changes_and_drivers():
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    old, old_groups = make_wave(
        series, questionnaire, name="2024", opens_on=datetime.date(2024, 3, 1)
    )
    new, new_groups = make_wave(series, questionnaire, name="2025")
    add_responses(
        old,
        random_rows(
            300, groups=list(old_groups.values()), scores={"Q_NPS": {0: 5, 10: 1}}
        ),
    )
    add_responses(
        new,
        random_rows(
            300,
            seed=5,
            groups=list(new_groups.values()),
            scores={"Q_NPS": {0: 1, 10: 5}},
        ),
    )
    period = ReportPeriod("year", datetime.date(2025, 1, 1), datetime.date(2026, 1, 1))
    section = reports.section(SectionRequest(period=period))
    assert section.key == "surveys"
    headline = section.tables[0]
    nps_row = next(row for row in headline.rows if row[1] == "Q_NPS")
    assert nps_row[0] == "Survey sat: 2025"
    assert nps_row[6].startswith("significant change: up")
    assert any("Q_NPS" in s.text for s in section.signals)
    drivers = section.tables[1]
    assert drivers.rows[0][1] == "Q_SPEED"
    assert {i.measure for i in section.indicators} >= {
        "surveys.nps",
        "surveys.csat_t2b",
    }
    empty = reports.section(
        SectionRequest(
            period=ReportPeriod(
                "year", datetime.date(2020, 1, 1), datetime.date(2021, 1, 1)
            )
        )
    )
    assert empty.tables[0].rows == []
    assert empty.as_dict()["key"] == "surveys"
