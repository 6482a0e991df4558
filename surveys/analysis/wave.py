"""The whole wave: response rates and achieved margins per target group, and
every figure of the results page in a fixed number of queries."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _

from qms import statistics

from .. import aggregates, results
from ..models import Participant, Question, Wave
from .display import (
    FIGURE_DISTRIBUTION,
    FIGURE_MEAN,
    SUPPRESS_BELOW,
    Bar,
    GroupRate,
    QuestionResult,
    WaveResults,
)
from .figures import _adjust, _compare, _headline, _scale_points, _segments
from .rendering import draw_charts


def _merge(counters) -> Counter:
    total: Counter = Counter()
    for counter in counters:
        total.update(counter)
    return total


def _group_rate(group: results.GroupCounts, confidence: float) -> GroupRate:
    d = group.dispositions
    D = Participant.Disposition
    complete = d[D.COMPLETE]
    fielded = sum(d.values()) - d[D.SELECTED]
    # AAPOR RR1: I / (I + P + R + NC + O + UO); "selected" was never fielded.
    rates = statistics.response_rates(
        complete=complete,
        partial=d[D.PARTIAL],
        refusal=d[D.REFUSED] + d[D.OPTED_OUT],
        non_contact=d[D.INVITED] + d[D.OPENED],
        unknown_other=d[D.BOUNCED],
    )
    population = group.population
    n = group.responses
    margin = None
    if n and (population is None or n <= population):
        # Worst case p = 0.5: the margin the plan promised, now achieved.
        margin = statistics.achieved_margin(0.5, n, population, confidence)
    return GroupRate(
        pk=group.pk,
        name=group.name,
        population=population,
        invited=fielded,
        complete=complete,
        responses=n,
        excluded=group.excluded,
        rr1=rates.rr1,
        margin=margin,
    )


def response_table(
    wave: Wave, groups: list[results.GroupCounts] | None = None
) -> tuple[list[GroupRate], GroupRate]:
    """Response rate (RR1) and achieved margin of error per target group and
    for the whole wave (three queries, or none with ``groups`` given)."""
    confidence = float(wave.confidence)
    if groups is None:
        groups = results.group_counts(wave)
    rows = [_group_rate(g, confidence) for g in groups]
    total = results.GroupCounts(None, _("All groups"), None)
    populations = [g.population for g in groups if g.pk is not None]
    total.population = sum(populations) if populations else None
    for g in groups:
        total.responses += g.responses
        total.excluded += g.excluded
        total.dispositions.update(g.dispositions)
    if total.population is not None and total.responses > total.population:
        total.population = None
    return rows, _group_rate(total, confidence)


def _overall(questions: list[Question]) -> Question | None:
    return next((q for q in questions if q.is_overall), None)


def wave_results(wave: Wave, *, with_charts: bool = True) -> WaveResults:
    """Everything the results page shows for ``wave``, in a fixed number of
    queries: the aggregates of a closed wave (and of the previous one) come
    stored (:mod:`surveys.aggregates`), so are its charts once drawn."""
    previous = results.previous_wave(wave)
    wave_ids = [wave.pk] + ([previous.pk] if previous else [])
    questionnaire_ids = [wave.questionnaire_id] + (
        [previous.questionnaire_id] if previous else []
    )
    all_questions = results.questions_of(questionnaire_ids)
    current = [q for q in all_questions if q.questionnaire_id == wave.questionnaire_id]
    before_by_code = {
        q.code: q
        for q in all_questions
        if previous and q.questionnaire_id == previous.questionnaire_id
    }
    overall = _overall(current)
    overall_of = {wave.pk: overall}
    if previous is not None:
        overall_of[previous.pk] = _overall(
            [
                q
                for q in all_questions
                if q.questionnaire_id == previous.questionnaire_id
            ]
        )
    figures = aggregates.wave_figures(
        [wave] + ([previous] if previous else []), overall_of
    )
    counts: dict = {}
    sums: dict = {}
    for wave_id in wave_ids:
        counts.update(figures[wave_id].value_counts())
        sums.update(figures[wave_id].question_sums())
    group_rows, total = response_table(wave, figures[wave.pk].group_counts(wave))
    group_names = {g.pk: g.name or _("No group") for g in group_rows}

    by_question: dict[tuple[int, int], dict] = {}
    for (wave_id, question_id, group_id), counter in counts.items():
        by_question.setdefault((wave_id, question_id), {})[group_id] = counter

    items: list[QuestionResult] = []
    for question in current:
        per_group = by_question.get((wave.pk, question.pk), {})
        counter = _merge(per_group.values())
        qsums = sums.get((wave.pk, question.pk))
        if question.type in (Question.Type.MULTIPLE, Question.Type.TEXT):
            n = qsums.respondents if qsums else 0
        elif question.type == Question.Type.NUMERIC:
            n = qsums.num_n if qsums else 0
        else:
            n = sum(counter.values())
        item = QuestionResult(question=question, n=n, figure=FIGURE_DISTRIBUTION)
        item.texts = qsums.texts if qsums else 0
        if question.type == Question.Type.NUMERIC and qsums:
            mean = statistics.mean_interval(qsums.num_n, qsums.num_sum, qsums.num_sum2)
            item.figure, item.mean = FIGURE_MEAN, mean
            item.value, item.interval = mean.estimate, mean
        elif question.type != Question.Type.TEXT:
            for key, value in _headline(question, counter, n).items():
                setattr(item, key, value)
            item.bars = [
                Bar(
                    label,
                    counter.get(value, 0),
                    counter.get(value, 0) / n if n else None,
                )
                for value, label in _scale_points(question)
            ]
        before_question = before_by_code.get(question.code)
        if (
            before_question is not None
            and before_question.type == question.type
            and question.type != Question.Type.TEXT
        ):
            before = _merge(
                by_question.get((previous.pk, before_question.pk), {}).values()
            )
            item.comparison = _compare(
                question,
                counter,
                before,
                qsums,
                sums.get((previous.pk, before_question.pk)),
            )
            if item.comparison and question.type == Question.Type.MULTIPLE:
                item.comparison = None
        _segments(item, per_group, group_names)
        items.append(item)

    comparisons = _adjust(items)
    drivers: list[QuestionResult] = []
    if overall is not None:
        paired = figures[wave.pk].drivers
        for item in items:
            pair = paired.get(item.question.pk)
            if pair is None or item.question.pk == overall.pk:
                continue
            item.driver = statistics.pearson_from_sums(
                pair.n, pair.sum_x, pair.sum_y, pair.sum_x2, pair.sum_y2, pair.sum_xy
            )
            if item.driver.n >= SUPPRESS_BELOW and item.driver.r is not None:
                drivers.append(item)
        drivers.sort(key=lambda i: -(i.driver.r or 0))
    result = WaveResults(
        wave=wave,
        previous=previous,
        questions=items,
        groups=group_rows,
        total=total,
        overall=overall,
        drivers=drivers,
        driver_chart="",
        comparisons=comparisons,
        stored=figures[wave.pk].stored,
    )
    if with_charts:
        draw_charts(result)
    return result
