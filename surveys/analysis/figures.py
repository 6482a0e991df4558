"""Figures and tests of one question: the headline with its interval, the
comparison with the previous wave, the breakdown by target group, and the
Benjamini-Hochberg adjustment over every p-value of the page."""

from __future__ import annotations

from collections import Counter

from qms import statistics

from .. import results
from ..models import Question
from ..results import DETRACTORS, PROMOTERS, SCORED_TYPES, TOP_BOX
from .display import (
    ALPHA,
    FIGURE_DISTRIBUTION,
    FIGURE_MEAN,
    FIGURE_NPS,
    FIGURE_SHARE,
    INDICATIVE_BELOW,
    SUPPRESS_BELOW,
    Comparison,
    GroupCell,
    QuestionResult,
)


def moments(counts: Counter) -> tuple[int, float, float]:
    """``(n, Σx, Σx²)`` from answers counted per score."""
    n = sum(counts.values())
    return (
        n,
        float(sum(v * c for v, c in counts.items())),
        float(sum(v * v * c for v, c in counts.items())),
    )


def top_box(question_type: str, counts: Counter) -> int:
    low, high = TOP_BOX[question_type]
    return sum(c for v, c in counts.items() if low <= v <= high)


def nps_of(counts: Counter) -> statistics.NpsResult:
    promoters = sum(c for v, c in counts.items() if PROMOTERS[0] <= v <= PROMOTERS[1])
    detractors = sum(
        c for v, c in counts.items() if DETRACTORS[0] <= v <= DETRACTORS[1]
    )
    passives = sum(counts.values()) - promoters - detractors
    return statistics.nps(promoters, passives, detractors)


def _scale_points(question: Question) -> list[tuple[int, str]]:
    if question.scale is not None:
        low, high = question.scale
        return [(v, str(v)) for v in range(low, high + 1)]
    return [(o.value, o.label()) for o in question.options.all()]


def _headline(question: Question, counts: Counter, n: int) -> dict:
    """The figures of a question from its counts (scored or choice)."""
    kind = question.type
    figures: dict = {}
    if kind in SCORED_TYPES:
        figures["mean"] = statistics.mean_interval(*moments(counts))
    if kind == Question.Type.NPS:
        result = nps_of(counts)
        figures.update(
            figure=FIGURE_NPS, nps=result, value=result.score, interval=result.interval
        )
    elif kind in TOP_BOX:
        share = statistics.wilson_interval(top_box(kind, counts), n)
        figures["share"] = share
        if kind == Question.Type.CSAT:
            figures.update(figure=FIGURE_SHARE, value=share.estimate, interval=share)
        else:
            mean = figures["mean"]
            figures.update(figure=FIGURE_MEAN, value=mean.estimate, interval=mean)
    else:
        figures["figure"] = FIGURE_DISTRIBUTION
    return figures


def _headline_value(question: Question, counts: Counter, n: int) -> float | None:
    """The headline figure of a scored question, as ``_headline(...)["value"]``
    gives it, without its interval: a group cell shows the value only, and
    the intervals' quantiles (scipy) were most of the page's statistics time
    (five groups times twenty items)."""
    kind = question.type
    if kind == Question.Type.NPS:
        return nps_of(counts).score
    if kind == Question.Type.CSAT:
        return top_box(kind, counts) / n if n else None
    return statistics.describe(*moments(counts)).mean


def _compare(
    question: Question,
    now: Counter,
    before: Counter,
    sums_now: results.QuestionSums | None,
    sums_before: results.QuestionSums | None,
) -> Comparison | None:
    kind = question.type
    n_now, n_before = sum(now.values()), sum(before.values())
    if kind == Question.Type.NPS:
        first, second = nps_of(now), nps_of(before)
        test = statistics.nps_difference_test(first, second)
        return _comparison(
            test, FIGURE_NPS, second.score, n_before, first.score, second.score
        )
    if kind == Question.Type.CSAT:
        x1, x2 = top_box(kind, now), top_box(kind, before)
        test = statistics.two_proportion_z_test(x1, n_now, x2, n_before)
        if test.warning == statistics.WARNING_SMALL_EXPECTED:
            test = statistics.fisher_exact_test(x1, n_now, x2, n_before)
        p1 = x1 / n_now if n_now else None
        p2 = x2 / n_before if n_before else None
        return _comparison(test, FIGURE_SHARE, p2, n_before, p1, p2)
    if kind == Question.Type.LIKERT:
        scale = range(question.scale[0], question.scale[1] + 1)
        test = statistics.mann_whitney_from_counts(
            [now.get(v, 0) for v in scale], [before.get(v, 0) for v in scale]
        )
        m1 = statistics.describe(*moments(now)).mean
        m2 = statistics.describe(*moments(before)).mean
        return _comparison(test, FIGURE_MEAN, m2, n_before, m1, m2)
    if kind == Question.Type.CES:
        a, b = moments(now), moments(before)
        test = statistics.welch_t_test(*a, *b)
        m1, m2 = statistics.describe(*a).mean, statistics.describe(*b).mean
        return _comparison(test, FIGURE_MEAN, m2, n_before, m1, m2)
    if kind == Question.Type.NUMERIC and sums_now and sums_before:
        a = (sums_now.num_n, sums_now.num_sum, sums_now.num_sum2)
        b = (sums_before.num_n, sums_before.num_sum, sums_before.num_sum2)
        test = statistics.welch_t_test(*a, *b)
        m1, m2 = statistics.describe(*a).mean, statistics.describe(*b).mean
        return _comparison(test, FIGURE_MEAN, m2, b[0], m1, m2)
    if kind == Question.Type.SINGLE:
        values = sorted(set(now) | set(before))
        test = statistics.chi_square_test(
            [[now.get(v, 0) for v in values], [before.get(v, 0) for v in values]]
        )
        return _comparison(test, FIGURE_DISTRIBUTION, None, n_before, None, None)
    return None


def _comparison(test, figure, previous_value, previous_n, value_now, value_before):
    difference = None
    if value_now is not None and value_before is not None:
        difference = value_now - value_before
    return Comparison(
        figure=figure,
        previous_value=previous_value,
        previous_n=previous_n,
        difference=difference,
        method=test.method,
        p_value=test.p_value,
        warning=test.warning,
    )


def _segments(item: QuestionResult, per_group: dict, names: dict) -> None:
    """Per target group: n and the headline figure; the test across groups
    (Kruskal-Wallis for scored items, chi-square for single choice)."""
    question = item.question
    if question.type not in (*SCORED_TYPES, Question.Type.SINGLE) or len(names) < 2:
        return
    points = [v for v, _label in _scale_points(question)]
    table = []
    for pk, name in names.items():
        counter = per_group.get(pk, Counter())
        n = sum(counter.values())
        value = None
        if n >= SUPPRESS_BELOW and question.type != Question.Type.SINGLE:
            value = _headline_value(question, counter, n)
        item.groups.append(
            GroupCell(
                figure=item.figure,
                name=name,
                n=n,
                value=value,
                suppressed=n < SUPPRESS_BELOW,
                indicative=SUPPRESS_BELOW <= n < INDICATIVE_BELOW,
            )
        )
        if n:
            table.append([counter.get(v, 0) for v in points])
    if len(table) < 2:
        return
    if question.type == Question.Type.SINGLE:
        item.group_test = statistics.chi_square_test(table)
    else:
        item.group_test = statistics.kruskal_wallis_from_counts(table)


def _adjust(items: list[QuestionResult]) -> int:
    """Benjamini-Hochberg over every p-value on the page (wave comparisons and
    segment tests together), then the flag rule. Returns the number of tests."""
    p_values: list[float | None] = []
    for item in items:
        p_values.append(item.comparison.p_value if item.comparison else None)
        p_values.append(item.group_test.p_value if item.group_test else None)
    adjusted = statistics.benjamini_hochberg_adjusted(p_values)
    for index, item in enumerate(items):
        if item.comparison:
            comparison = item.comparison
            comparison.adjusted_p = adjusted[2 * index]
            comparison.significant = statistics.is_significant_change(
                comparison.adjusted_p,
                comparison.difference if comparison.difference is not None else 0.0,
                0.0,
                item.n,
                comparison.previous_n,
                alpha=ALPHA,
                n_min=INDICATIVE_BELOW,
            )
        if item.group_test:
            item.group_adjusted_p = adjusted[2 * index + 1]
            item.group_significant = bool(
                item.group_adjusted_p is not None
                and item.group_adjusted_p < ALPHA
                and item.n >= INDICATIVE_BELOW
            )
    return sum(p is not None for p in p_values)
