"""Stored aggregates of closed waves (surveys.aggregates): the stored figures
are exactly the live ones, they are stored only for closed waves, and every
change that alters them deletes them in its own transaction."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from qms import personal_data
from surveys import aggregates, analysis, results, services
from surveys.analysis.figures import _headline, _headline_value
from surveys.models import (
    Answer,
    Option,
    Participant,
    Question,
    Response,
    Wave,
    WaveAggregate,
    WaveChart,
)
from tests.factories import CustomerFactory
from tests.worlds import module_world

from .factories_analysis import (
    add_participants,
    add_responses,
    fresh,
    make_questionnaire,
    make_series,
    make_wave,
    random_rows,
    skip_chart_drawing,
)

QUESTIONS = {
    "Q_NPS": ("nps", False),
    "Q_OVERALL": ("csat", True),
    "Q_SPEED": ("likert", False),
    "Q_STAFF": ("likert", False),
    "Q_CLEAR": ("likert", False),
    "Q_EFFORT": ("ces", False),
    "Q_CHANNEL": ("single", False),
    "Q_TOPICS": ("multiple", False),
    "Q_VISITS": ("numeric", False),
    "Q_COMMENT": ("text", False),
}
D = Participant.Disposition

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("surveys-aggregates")]


def _extra(rng, row):
    row["answers"]["Q_TOPICS"] = sorted(rng.sample([1, 2, 3], rng.randint(1, 2)))
    row["answers"]["Q_VISITS"] = rng.choice([None, 0, 1, 2.5, 7])
    if rng.random() < 0.05:
        row["excluded"] = True


@module_world
def waves_world():
    """Two closed waves with every question type, target groups, responses
    of no group, excluded responses and participant dispositions: ~5,000
    answers, built once for the module. Their primary keys."""
    series = make_series()
    questionnaire, questions = make_questionnaire(series, QUESTIONS)
    old, old_groups = make_wave(
        series, questionnaire, name="2024", opens_on=datetime.date(2024, 3, 1)
    )
    new, new_groups = make_wave(series, questionnaire, name="2025")
    for wave, groups, seed in ((old, old_groups, 1), (new, new_groups, 2)):
        add_responses(
            wave,
            random_rows(240, seed=seed, groups=list(groups.values()), extra=_extra),
        )
        add_responses(wave, random_rows(15, seed=seed + 10, extra=_extra))
        for group in groups.values():
            add_participants(wave, group, complete=100, invited=60, bounced=5)
        add_participants(wave, None, opted_out=3)
    return old.pk, new.pk, {code: q.pk for code, q in questions.items()}


@pytest.fixture
def waves(waves_world):
    """The module's two waves and its questions by code, new instances for
    each test."""
    old_pk, new_pk, question_pks = waves_world
    waves = fresh(Wave, {"old": old_pk, "new": new_pk}, "series", "questionnaire")
    return waves["old"], waves["new"], fresh(Question, question_pks, "questionnaire")


@pytest.fixture
def no_drawing(monkeypatch):
    """For tests of figures and of what is stored, not of the charts' pictures
    (tests that compare charts draw them)."""
    skip_chart_drawing(monkeypatch)


def _live(monkeypatch):
    """Make wave_figures compute every wave live (nothing read or stored)."""
    monkeypatch.setattr(aggregates, "_stored", lambda ids: {})
    monkeypatch.setattr(aggregates, "_freeze", aggregates.compute)


def dump(result: analysis.WaveResults) -> str:
    """Every figure the page shows, comparable with ==."""
    items = [
        (
            i.code, i.n, i.figure, i.value, i.interval, i.mean, i.share, i.nps,
            i.bars, i.comparison, i.groups, i.group_test, i.group_adjusted_p,
            i.group_significant, i.driver, i.texts, i.chart,
        )
        for i in result.questions
    ]  # fmt: skip
    return repr(
        (
            items,
            result.groups,
            result.total,
            [d.code for d in result.drivers],
            result.driver_chart,
            result.comparisons,
            result.previous.pk if result.previous else None,
        )
    )


def test_stored_sums_equal_the_live_queries(waves):
    _old, new, questions = waves
    overall = questions["Q_OVERALL"]
    live = aggregates.compute(new, overall)
    analysis.wave_results(new, with_charts=False)
    row = WaveAggregate.objects.get(wave=new)
    assert row.schema == aggregates.SCHEMA
    stored = aggregates.WaveFigures.from_json(new.pk, row.data)
    assert stored.value_counts() == results.value_counts([new.pk])
    assert stored.question_sums() == results.question_sums([new.pk])
    assert stored.group_counts(new) == results.group_counts(new)
    assert stored.drivers == results.driver_sums(new, overall)
    assert stored.overall_id == overall.pk
    assert (stored.counts, stored.sums, stored.responses, stored.dispositions) == (
        live.counts,
        live.sums,
        live.responses,
        live.dispositions,
    )
    # Every kind of figure is there: no group, excluded, multiple, numeric.
    assert None in stored.responses and stored.responses[None][0] > 0
    assert sum(excluded for _c, excluded in stored.responses.values()) > 0
    assert stored.sums[questions["Q_VISITS"].pk].num_n > 0
    assert stored.sums[questions["Q_COMMENT"].pk].texts > 0
    assert stored.dispositions[None] == {D.OPTED_OUT: 3}


def test_stored_results_equal_live_results(waves, monkeypatch):
    old, new, _ = waves
    with monkeypatch.context() as patch:
        _live(patch)
        live = dump(analysis.wave_results(new))
        assert not WaveAggregate.objects.exists()
        assert not WaveChart.objects.exists()
    first = dump(analysis.wave_results(new))  # computes and stores
    assert set(WaveAggregate.objects.values_list("wave_id", flat=True)) == {
        old.pk,
        new.pk,
    }
    assert WaveChart.objects.filter(wave=new).exists()
    second = dump(analysis.wave_results(new))  # reads what is stored
    assert first == live
    assert second == live
    result = analysis.wave_results(new)
    assert result.comparisons > 0
    assert any(i.comparison and i.comparison.adjusted_p for i in result.questions)
    assert result.drivers and "<svg" in result.driver_chart


def test_stored_charts_follow_the_language(waves):
    _, new, _ = waves
    with translation.override("en"):
        english = analysis.wave_results(new)
    stored = WaveChart.objects.filter(wave=new).count()
    with translation.override("et"):
        estonian = analysis.wave_results(new)
    assert WaveChart.objects.filter(wave=new).count() == 2 * stored
    assert english.driver_chart != estonian.driver_chart
    with translation.override("en"):
        assert dump(analysis.wave_results(new)) == dump(english)


def test_second_view_reads_the_stored_rows(
    waves, no_drawing, django_assert_num_queries
):
    _, new, _ = waves
    analysis.wave_results(new)
    # previous wave, questions, options, stored aggregates of both waves,
    # target groups, stored charts
    with django_assert_num_queries(6):
        analysis.wave_results(new)


def test_open_waves_are_never_stored(waves, no_drawing):
    _, new, _ = waves
    Wave.objects.filter(pk=new.pk).update(status=Wave.Status.FIELDWORK)
    new.refresh_from_db()
    result = analysis.wave_results(new)
    assert not WaveAggregate.objects.filter(wave=new).exists()
    assert not WaveChart.objects.filter(wave=new).exists()
    assert WaveAggregate.objects.filter(wave=result.previous).exists()  # closed


def test_exclusion_and_restore_invalidate(
    waves, no_drawing, quality_manager, client_for
):
    _, new, _ = waves
    client = client_for(quality_manager)
    url = reverse("surveys:wave-results", args=[new.pk])
    assert client.get(url).status_code == 200
    before = analysis.wave_results(new, with_charts=False)
    response = new.responses.filter(excluded=False).first()
    analysis.response_exclude(response=response, reason="Speeder", by=quality_manager)
    assert not WaveAggregate.objects.filter(wave=new).exists()
    assert not WaveChart.objects.filter(wave=new).exists()
    page = client.get(url)
    excluded = analysis.wave_results(new, with_charts=False)
    assert excluded.total.excluded == before.total.excluded + 1
    assert excluded.total.responses == before.total.responses - 1
    assert page.context["result"].total.responses == excluded.total.responses
    speed = {i.code: i for i in excluded.questions}["Q_SPEED"]
    assert speed.n == {i.code: i for i in before.questions}["Q_SPEED"].n - 1
    analysis.response_include(response=response, by=quality_manager)
    assert not WaveAggregate.objects.filter(wave=new).exists()
    restored = analysis.wave_results(new, with_charts=False)
    assert dump(restored) == dump(before)


def test_exclusion_in_the_previous_wave_changes_the_comparison(waves, quality_manager):
    old, new, _ = waves
    analysis.wave_results(new, with_charts=False)
    response = old.responses.filter(excluded=False).first()
    analysis.response_exclude(response=response, reason="Duplicate", by=quality_manager)
    assert WaveAggregate.objects.filter(wave=new).exists()
    assert not WaveAggregate.objects.filter(wave=old).exists()
    result = analysis.wave_results(new, with_charts=False)
    nps = {i.code: i for i in result.questions}["Q_NPS"]
    assert nps.comparison.previous_n == (
        Answer.objects.filter(
            wave=old, question__code="Q_NPS", response__excluded=False
        ).count()
    )


def test_a_failed_change_keeps_the_stored_figures(waves, quality_manager):
    _, new, _ = waves
    analysis.wave_results(new, with_charts=False)
    response = new.responses.filter(excluded=False).first()
    with pytest.raises(ValidationError):
        analysis.response_exclude(response=response, reason=" ", by=quality_manager)
    assert WaveAggregate.objects.filter(wave=new).exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        analysis.response_exclude(response=response, reason="x", by=quality_manager)
        raise RuntimeError  # the exclusion is rolled back, and the deletion
    assert WaveAggregate.objects.filter(wave=new).exists()


def test_dispositions_after_the_close_invalidate(waves):
    _, new, _ = waves
    analysis.wave_results(new, with_charts=False)
    invited = list(
        Participant.objects.filter(wave=new, disposition=D.INVITED).order_by("pk")[:2]
    )
    services.participant_opt_out(participant=invited[0])
    assert not WaveAggregate.objects.filter(wave=new).exists()
    analysis.wave_results(new, with_charts=False)
    services.participant_bounced(participant=invited[1])
    assert not WaveAggregate.objects.filter(wave=new).exists()
    result = analysis.wave_results(new, with_charts=False)
    assert analysis.response_table(new) == (result.groups, result.total)
    row = WaveAggregate.objects.get(wave=new)
    stored = aggregates.WaveFigures.from_json(new.pk, row.data)
    group = invited[0].group_id
    assert invited[1].group_id == group
    assert stored.dispositions[group][D.OPTED_OUT] == 1
    assert stored.dispositions[group][D.BOUNCED] == 6
    assert stored.dispositions[group][D.INVITED] == 58


def test_erasure_and_retention_invalidate(waves, quality_manager):
    _, new, _ = waves
    customer = CustomerFactory()
    participant = Participant.objects.create(
        wave=new, customer=customer, email=customer.email, disposition=D.COMPLETE
    )
    [response] = add_responses(
        new,
        [{"answers": {"Q_SPEED": 4, "Q_COMMENT": f"Write to {customer.email}"}}],
    )
    Response.objects.filter(pk=response.pk).update(participant=participant)
    analysis.wave_results(new, with_charts=False)
    personal_data.erase_customer(customer=customer, by=quality_manager, reason="Asked")
    assert not WaveAggregate.objects.filter(wave=new).exists()
    assert (
        "[erased]"
        in Answer.objects.get(response=response, question__code="Q_COMMENT").text
    )

    other = CustomerFactory()
    Participant.objects.create(wave=new, customer=other, disposition=D.COMPLETE)
    analysis.wave_results(new, with_charts=False)
    personal_data.apply_retention(timezone.now() + datetime.timedelta(days=10_000))
    assert not WaveAggregate.objects.filter(wave=new).exists()


def test_closing_and_reopening_invalidate(waves, quality_manager):
    _, new, questions = waves
    analysis.wave_results(new, with_charts=False)
    # A wave put back in fieldwork (the services have no such transition:
    # a direct update) is read live, whatever is stored.
    Wave.objects.filter(pk=new.pk).update(status=Wave.Status.FIELDWORK)
    new.refresh_from_db()
    response = new.responses.filter(excluded=False).first()
    Answer.objects.filter(response=response, question=questions["Q_SPEED"]).delete()
    live = {i.code: i for i in analysis.wave_results(new, with_charts=False).questions}
    closed = services.wave_transition(
        wave=new, to=Wave.Status.CLOSED, by=quality_manager
    )
    assert not WaveAggregate.objects.filter(wave=new).exists()
    stored = analysis.wave_results(closed, with_charts=False)
    assert WaveAggregate.objects.filter(wave=new).exists()
    assert {i.code: i for i in stored.questions}["Q_SPEED"].n == live["Q_SPEED"].n


def test_question_and_option_edits_invalidate(waves):
    _old, new, questions = waves
    analysis.wave_results(new, with_charts=False)
    option = Option.objects.get(question=questions["Q_TOPICS"], value=3)
    option.value = 30
    option.save()
    assert not WaveAggregate.objects.exists()
    result = analysis.wave_results(new, with_charts=False)
    topics = {i.code: i for i in result.questions}["Q_TOPICS"]
    assert [b.label for b in topics.bars][-1] == "Option 3"
    overall = questions["Q_OVERALL"]
    overall.is_overall = False
    overall.save()
    assert not WaveAggregate.objects.exists()
    questions["Q_NPS"].is_overall = True
    questions["Q_NPS"].save()
    result = analysis.wave_results(new, with_charts=False)
    assert result.overall.code == "Q_NPS"
    assert WaveAggregate.objects.get(wave=new).data["overall"] == questions["Q_NPS"].pk


def test_a_stored_row_of_another_schema_is_recomputed(waves):
    _, new, _ = waves
    expected = dump(analysis.wave_results(new, with_charts=False))
    WaveAggregate.objects.filter(wave=new).update(schema=0, data={})
    assert dump(analysis.wave_results(new, with_charts=False)) == expected
    assert WaveAggregate.objects.get(wave=new).schema == aggregates.SCHEMA


def test_figures_section_is_stored_and_equals_a_fresh_render(waves, quality_manager):
    _, new, _ = waves
    flags = {"can_propose": True, "can_plan": False}
    with translation.override("en"):
        result = analysis.wave_results(new, with_charts=False)
        assert result.stored
        first = analysis.figures_html(result, **flags)  # rendered and stored
        fresh = analysis.wave_results(new, with_charts=False)
        fresh.stored = False  # nothing read or stored
        rendered = analysis.figures_html(fresh, **flags)
        again = analysis.wave_results(new, with_charts=False)
        stored = analysis.figures_html(again, **flags)
        other = analysis.figures_html(again, can_propose=False, can_plan=False)
    assert first == rendered == stored
    assert "Propose an improvement" in stored and "Propose an improvement" not in other
    assert WaveChart.objects.filter(wave=new, key__startswith="html-").count() == 2
    response = new.responses.filter(excluded=False).first()
    analysis.response_exclude(response=response, reason="Speeder", by=quality_manager)
    assert not WaveChart.objects.filter(wave=new).exists()
    with translation.override("en"):
        after = analysis.figures_html(
            analysis.wave_results(new, with_charts=False), **flags
        )
        live = analysis.wave_results(new, with_charts=False)
        live.stored = False
        assert after == analysis.figures_html(live, **flags)
    assert after != stored


def test_group_cells_show_the_headline_value(waves):
    """The group cell's value (computed without its interval) is the value
    the headline figures give for the same counts."""
    _, new, _ = waves
    result = analysis.wave_results(new, with_charts=False)
    figures = aggregates.wave_figures([new], {new.pk: result.overall})[new.pk]
    checked = 0
    for item in result.questions:
        if item.question.type not in results.SCORED_TYPES:
            continue
        for (question_id, _group), counter in figures.counts.items():
            if question_id != item.question.pk:
                continue
            n = sum(counter.values())
            expected = _headline(item.question, counter, n).get("value")
            assert _headline_value(item.question, counter, n) == expected
            checked += 1
    assert checked >= 12
