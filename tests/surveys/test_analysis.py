"""Wave analysis: figures from aggregates checked against scipy/numpy,
comparison flags on constructed data, BH, suppression, exclusions."""

import datetime

import numpy as np
import pytest
from scipy import stats

from qms import statistics
from surveys import analysis
from surveys.models import Question, Wave
from tests.worlds import module_world

from .factories_analysis import (
    add_participants,
    add_responses,
    fresh,
    make_questionnaire,
    make_series,
    make_wave,
    random_rows,
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("surveys-analysis")]

STABLE = {
    "Q_STAFF": {1: 1, 2: 1, 3: 2, 4: 4, 5: 3},
}


@module_world
def two_waves_world():
    """Wave 2024 and 2025 of one series: Q_SPEED and Q_NPS improve a lot,
    Q_STAFF draws from the same distribution (noise only). 1,200 responses
    built once for the module (its own series code: tests without it make
    series "sat" alongside); their primary keys."""
    series = make_series("two-waves")
    questionnaire, questions = make_questionnaire(series)
    old, old_groups = make_wave(
        series,
        questionnaire,
        name="2024",
        opens_on=datetime.date(2024, 3, 1),
    )
    new, new_groups = make_wave(series, questionnaire, name="2025")
    add_responses(
        old,
        random_rows(
            600,
            seed=1,
            groups=list(old_groups.values()),
            scores={
                "Q_SPEED": {1: 3, 2: 3, 3: 3, 4: 2, 5: 1},
                "Q_NPS": {v: (3 if v < 7 else 1) for v in range(11)},
                **STABLE,
            },
        ),
    )
    add_responses(
        new,
        random_rows(
            600,
            seed=2,
            groups=list(new_groups.values()),
            scores={
                "Q_SPEED": {1: 1, 2: 1, 3: 2, 4: 4, 5: 4},
                "Q_NPS": {v: (1 if v < 7 else 4) for v in range(11)},
                **STABLE,
            },
        ),
    )
    return old.pk, new.pk, {code: q.pk for code, q in questions.items()}


@pytest.fixture
def two_waves(two_waves_world):
    """The module's two waves and its questions by code, new instances for
    each test."""
    old_pk, new_pk, question_pks = two_waves_world
    waves = fresh(Wave, {"old": old_pk, "new": new_pk}, "series", "questionnaire")
    return waves["old"], waves["new"], fresh(Question, question_pks, "questionnaire")


def by_code(result):
    return {item.code: item for item in result.questions}


def test_real_change_is_flagged_and_noise_is_not(two_waves):
    old, new, _ = two_waves
    result = analysis.wave_results(new, with_charts=False)
    items = by_code(result)
    assert result.previous == old
    assert items["Q_SPEED"].comparison.significant
    assert items["Q_SPEED"].comparison.direction == analysis.UP
    assert items["Q_NPS"].comparison.significant
    assert items["Q_NPS"].comparison.method == statistics.METHOD_NPS_Z
    assert not items["Q_STAFF"].comparison.significant
    assert items["Q_STAFF"].comparison.direction is None
    assert items["Q_STAFF"].comparison.method == statistics.METHOD_MANN_WHITNEY
    assert items["Q_OVERALL"].comparison.method == statistics.METHOD_TWO_PROPORTION_Z
    assert items["Q_EFFORT"].comparison.method == statistics.METHOD_WELCH_T
    assert items["Q_CHANNEL"].comparison.method == statistics.METHOD_CHI_SQUARE
    assert items["Q_COMMENT"].comparison is None


def test_benjamini_hochberg_is_applied_over_all_tests_on_the_page(two_waves):
    _, new, _ = two_waves
    result = analysis.wave_results(new, with_charts=False)
    p_values = []
    for item in result.questions:
        p_values.append(item.comparison.p_value if item.comparison else None)
        p_values.append(item.group_test.p_value if item.group_test else None)
    expected = statistics.benjamini_hochberg_adjusted(p_values)
    assert result.comparisons == sum(p is not None for p in p_values)
    for index, item in enumerate(result.questions):
        if item.comparison and item.comparison.p_value is not None:
            assert item.comparison.adjusted_p == pytest.approx(expected[2 * index])
            assert item.comparison.adjusted_p >= item.comparison.p_value - 1e-12


def test_a_change_significant_only_before_correction_is_not_flagged():
    p_values = [0.04, 0.30, 0.50, 0.70, 0.90]
    adjusted = statistics.benjamini_hochberg_adjusted(p_values)
    assert adjusted[0] > analysis.ALPHA


def test_figures_match_scipy_on_the_same_answers(two_waves):
    _, new, questions = two_waves
    result = analysis.wave_results(new, with_charts=False)
    items = by_code(result)
    from surveys.models import Answer

    def values(code):
        return np.array(
            Answer.objects.filter(wave=new, question=questions[code]).values_list(
                "value_int", flat=True
            ),
            dtype=float,
        )

    speed = values("Q_SPEED")
    mean = items["Q_SPEED"].mean
    ci = stats.t.interval(0.95, len(speed) - 1, speed.mean(), stats.sem(speed))
    assert items["Q_SPEED"].n == len(speed)
    assert mean.estimate == pytest.approx(speed.mean())
    assert (mean.low, mean.high) == pytest.approx(ci)
    assert items["Q_SPEED"].share.estimate == pytest.approx((speed >= 4).mean())

    overall = values("Q_OVERALL")
    wilson = stats.binomtest(int((overall >= 4).sum()), len(overall)).proportion_ci(
        method="wilson"
    )
    assert items["Q_OVERALL"].figure == analysis.FIGURE_SHARE
    assert items["Q_OVERALL"].interval.low == pytest.approx(wilson.low)
    assert items["Q_OVERALL"].interval.high == pytest.approx(wilson.high)

    nps = values("Q_NPS")
    score = 100 * ((nps >= 9).mean() - (nps <= 6).mean())
    assert items["Q_NPS"].value == pytest.approx(score)

    effort = values("Q_EFFORT")
    assert items["Q_EFFORT"].share.estimate == pytest.approx((effort >= 5).mean())
    assert sum(bar.count for bar in items["Q_CHANNEL"].bars) == items["Q_CHANNEL"].n


def test_key_driver_correlation_equals_numpy_corrcoef(two_waves):
    _, new, questions = two_waves
    result = analysis.wave_results(new, with_charts=False)
    from surveys.models import Answer

    def by_response(code):
        return dict(
            Answer.objects.filter(wave=new, question=questions[code]).values_list(
                "response_id", "value_int"
            )
        )

    overall = by_response("Q_OVERALL")
    for code in ("Q_SPEED", "Q_STAFF", "Q_NPS"):
        item = by_response(code)
        keys = sorted(set(item) & set(overall))
        expected = np.corrcoef([item[k] for k in keys], [overall[k] for k in keys])
        assert by_code(result)[code].driver.r == pytest.approx(expected[0, 1])
    assert result.overall == questions["Q_OVERALL"]
    assert result.drivers[0].code == "Q_SPEED"  # built to drive Q_OVERALL


def test_driver_chart_is_drawn(two_waves):
    _, new, _ = two_waves
    result = analysis.wave_results(new)
    assert "<svg" in result.driver_chart
    assert "Q_SPEED" in result.driver_chart
    assert "<svg" in by_code(result)["Q_SPEED"].chart


def test_small_bases_are_indicative_or_suppressed():
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    wave, groups = make_wave(series, questionnaire)
    add_responses(wave, random_rows(12, groups=[groups["Private"]]))
    add_responses(wave, random_rows(3, seed=3, groups=[groups["Business"]]))
    items = by_code(analysis.wave_results(wave, with_charts=False))
    speed = items["Q_SPEED"]
    assert speed.n == 15 and speed.indicative and not speed.suppressed
    cells = {cell.name: cell for cell in speed.groups}
    assert cells["Business"].suppressed and cells["Business"].value is None
    assert cells["Private"].indicative and cells["Private"].value is not None
    wave2, _ = make_wave(series, questionnaire, name="tiny")
    add_responses(wave2, random_rows(4, seed=4))
    tiny = by_code(analysis.wave_results(wave2, with_charts=False))["Q_SPEED"]
    assert tiny.suppressed and not tiny.indicative and tiny.chart == ""


def test_excluded_responses_drop_out_of_every_figure(two_waves, quality_manager):
    _, new, _ = two_waves
    before = by_code(analysis.wave_results(new, with_charts=False))
    rows = random_rows(50, seed=9, scores={"Q_SPEED": {1: 1}})
    for row in rows:
        row["duration"] = 5
    added = add_responses(new, rows)
    polluted = by_code(analysis.wave_results(new, with_charts=False))
    assert polluted["Q_SPEED"].n == before["Q_SPEED"].n + 50
    for response in added:
        analysis.response_exclude(
            response=response, reason="Speeder", by=quality_manager
        )
    after = analysis.wave_results(new, with_charts=False)
    items = by_code(after)
    for code in ("Q_SPEED", "Q_NPS", "Q_OVERALL"):
        assert items[code].n == before[code].n
        assert items[code].value == pytest.approx(before[code].value)
        assert (
            items[code].driver.r == pytest.approx(before[code].driver.r)
            if items[code].driver
            else True
        )
    assert after.total.excluded == 50


def test_response_rate_and_margin_per_group():
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    wave, groups = make_wave(series, questionnaire, groups={"Private": 1000})
    add_participants(
        wave, groups["Private"], complete=278, invited=300, bounced=22, selected=50
    )
    add_responses(wave, random_rows(278, groups=[groups["Private"]]))
    rows, total = analysis.response_table(wave)
    private = rows[0]
    assert private.rr1 == pytest.approx(278 / 600)
    assert private.invited == 600
    assert private.margin == pytest.approx(
        statistics.achieved_margin(0.5, 278, 1000), rel=1e-9
    )
    assert private.margin == pytest.approx(0.05, abs=0.0005)
    assert total.responses == 278


def test_segment_breakdown_uses_kruskal_wallis_and_chi_square(two_waves):
    _, new, _ = two_waves
    items = by_code(analysis.wave_results(new, with_charts=False))
    assert items["Q_SPEED"].group_test.method == statistics.METHOD_KRUSKAL_WALLIS
    assert items["Q_CHANNEL"].group_test.method == statistics.METHOD_CHI_SQUARE
    assert {c.name for c in items["Q_SPEED"].groups} == {"Private", "Business"}


def test_exclusion_needs_a_reason_and_can_be_undone(two_waves, quality_manager):
    from django.core.exceptions import ValidationError

    _, new, _ = two_waves
    response = new.responses.first()
    with pytest.raises(ValidationError):
        analysis.response_exclude(response=response, reason=" ", by=quality_manager)
    response.refresh_from_db()
    assert not response.excluded
    analysis.response_exclude(response=response, reason="Speeder", by=quality_manager)
    response.refresh_from_db()
    assert response.excluded and response.excluded_by == quality_manager
    assert response.history.first().history_user == quality_manager
    with pytest.raises(ValidationError):
        analysis.response_exclude(response=response, reason="again", by=quality_manager)
    analysis.response_include(response=response, by=quality_manager)
    response.refresh_from_db()
    assert not response.excluded and response.exclusion_reason == ""
    assert response.history.count() >= 2


def test_first_wave_has_no_comparison():
    series = make_series()
    questionnaire, _ = make_questionnaire(series)
    wave, _ = make_wave(series, questionnaire)
    add_responses(wave, random_rows(40))
    result = analysis.wave_results(wave, with_charts=False)
    assert result.previous is None
    assert all(item.comparison is None for item in result.questions)


def test_questions_are_matched_by_code_across_versions(two_waves):
    _, new, _ = two_waves
    series = new.series
    questionnaire2, _ = make_questionnaire(
        series, {"Q_SPEED": ("likert", False), "Q_NEW": ("csat", True)}, version=2
    )
    wave3, _ = make_wave(
        series, questionnaire2, name="2026", opens_on=datetime.date(2026, 3, 1)
    )
    add_responses(wave3, [{"answers": {"Q_SPEED": 5, "Q_NEW": 4}} for _ in range(40)])
    items = by_code(analysis.wave_results(wave3, with_charts=False))
    assert items["Q_SPEED"].comparison is not None
    assert items["Q_NEW"].comparison is None
    assert Question.objects.filter(code="Q_SPEED").count() == 2


def test_small_counts_use_fisher_and_match_scipy():
    series = make_series()
    questionnaire, _ = make_questionnaire(series, {"Q_OVERALL": ("csat", True)})
    old, _ = make_wave(
        series, questionnaire, name="old", opens_on=datetime.date(2024, 1, 1)
    )
    new, _ = make_wave(series, questionnaire, name="new")
    add_responses(old, [{"answers": {"Q_OVERALL": v}} for v in [5] * 2 + [2] * 38])
    add_responses(new, [{"answers": {"Q_OVERALL": v}} for v in [5] * 12 + [2] * 28])
    [item] = analysis.wave_results(new, with_charts=False).questions
    assert item.comparison.method == statistics.METHOD_FISHER_EXACT
    expected = stats.fisher_exact([[12, 28], [2, 38]])
    assert item.comparison.p_value == pytest.approx(expected.pvalue)
    assert item.comparison.difference == pytest.approx(0.25)
    assert item.comparison.significant  # the only test: BH leaves p as it is


def test_nps_comparison_matches_hand_computed_z():
    series = make_series()
    questionnaire, _ = make_questionnaire(series, {"Q_NPS": ("nps", False)})
    old, _ = make_wave(
        series, questionnaire, name="old", opens_on=datetime.date(2024, 1, 1)
    )
    new, _ = make_wave(series, questionnaire, name="new")
    add_responses(
        old, [{"answers": {"Q_NPS": v}} for v in [10] * 30 + [8] * 30 + [3] * 40]
    )
    add_responses(
        new, [{"answers": {"Q_NPS": v}} for v in [10] * 50 + [8] * 30 + [3] * 20]
    )
    [item] = analysis.wave_results(new, with_charts=False).questions
    score1, score2 = 30.0, -10.0
    se1 = 100 * np.sqrt((0.5 + 0.2 - 0.3**2) / 100)
    se2 = 100 * np.sqrt((0.3 + 0.4 - 0.1**2) / 100)
    z = (score1 - score2) / np.hypot(se1, se2)
    assert item.value == pytest.approx(score1)
    assert item.comparison.difference == pytest.approx(40.0)
    assert item.comparison.p_value == pytest.approx(2 * stats.norm.sf(z))
    assert item.comparison.direction == analysis.UP
