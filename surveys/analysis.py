"""Analysis of a wave (issue 8, item 5): figures with intervals, the
comparison with the previous wave, segment breakdowns and key drivers,
computed from the aggregates of :mod:`surveys.results`.

Rules the page follows (REFERENCES.md §6.F3-F5):

* Headline per type: NPS (promoters 9-10 minus detractors 0-6) with its
  interval; CSAT and Likert top-2-box (4-5) with a Wilson interval and the
  mean with its t interval; CES mean and "agree" (5-7); numeric mean; choice
  questions their distribution.
* Wave comparison per question code: NPS by the z-test for two NPS; CSAT
  top-2-box by the two-proportion z-test (Fisher's exact test when a cell is
  small); Likert by Mann-Whitney from counts (ordinal); CES and numeric by
  Welch's t; single choice by chi-square. Segment breakdowns: Kruskal-Wallis
  (scored items) or chi-square (single choice) across target groups.
* Every p-value on the page goes through Benjamini-Hochberg together; a
  change is "significant" when its adjusted p is below ``ALPHA`` and both
  bases reach ``INDICATIVE_BELOW`` (the F4 flag rule), else "no significant
  change".
* A figure resting on fewer than ``INDICATIVE_BELOW`` answers is marked
  indicative; fewer than ``SUPPRESS_BELOW`` is not shown at all.
* Key drivers: Pearson's r of each scored item with the ``is_overall`` item
  over the respondents who answered both (paired sums from SQL); importance
  is r, performance the mean as a share of the scale.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import charts, statistics

from . import aggregates, results
from .models import Participant, Question, Response, Wave, WaveChart
from .results import DETRACTORS, PROMOTERS, SCORED_TYPES, TOP_BOX

ALPHA = 0.05
SUPPRESS_BELOW = 5
INDICATIVE_BELOW = 30
# A straight-liner gave the same answer to at least this many grid items
# (fewer when the questionnaire has fewer, but never below three).
STRAIGHT_LINE_MIN_ITEMS = 5


FIGURE_NPS = "nps"
FIGURE_SHARE = "share"
FIGURE_MEAN = "mean"
FIGURE_DISTRIBUTION = "distribution"

METHOD_NAMES = {
    statistics.METHOD_NPS_Z: gettext_lazy("z-test for two NPS"),
    statistics.METHOD_TWO_PROPORTION_Z: gettext_lazy("two-proportion z-test"),
    statistics.METHOD_FISHER_EXACT: gettext_lazy("Fisher's exact test"),
    statistics.METHOD_MANN_WHITNEY: gettext_lazy("Mann-Whitney U"),
    statistics.METHOD_WELCH_T: gettext_lazy("Welch's t-test"),
    statistics.METHOD_CHI_SQUARE: gettext_lazy("chi-square test"),
    statistics.METHOD_KRUSKAL_WALLIS: gettext_lazy("Kruskal-Wallis test"),
}

ERR_REASON_REQUIRED = gettext_lazy("Say why the response is excluded.")
ERR_ALREADY_EXCLUDED = gettext_lazy("This response is already excluded.")
ERR_NOT_EXCLUDED = gettext_lazy("This response is not excluded.")

UP = "up"
DOWN = "down"


# --------------------------------------------------------------------------
# Display: figures as people read them (localised numbers)
# --------------------------------------------------------------------------


def fmt(figure: str, value: float | None, *, signed: bool = False) -> str:
    """An NPS as a whole number, a share in per cent, a mean with two
    decimals; a difference of shares in percentage points."""
    if value is None:
        return "\N{EN DASH}"
    if figure == FIGURE_NPS:
        text = number_format(round(value), 0)
    elif figure == FIGURE_SHARE:
        text = number_format(value * 100, 0)
    else:
        text = number_format(value, 2)
    if signed and value > 0:
        text = "+" + text
    if figure == FIGURE_SHARE:
        return text + (" pp" if signed else " %")
    return text


def fmt_p(p_value: float | None) -> str:
    """A p-value as people read it: four decimals, "< 0.0001" below that."""
    if p_value is None:
        return ""
    if p_value < 0.0001:
        return "< " + number_format(0.0001, 4)
    return "= " + number_format(p_value, 4)


def fmt_interval(figure: str, interval: statistics.Interval | None) -> str:
    if interval is None or interval.low is None or interval.high is None:
        return ""
    return f"[{fmt(figure, interval.low)}; {fmt(figure, interval.high)}]"


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass
class Comparison:
    figure: str
    previous_value: float | None
    previous_n: int
    difference: float | None
    method: str
    p_value: float | None
    adjusted_p: float | None = None
    significant: bool = False
    warning: str | None = None

    @property
    def previous_text(self) -> str:
        return fmt(self.figure, self.previous_value)

    @property
    def difference_text(self) -> str:
        if self.difference is None:
            return ""
        return fmt(self.figure, self.difference, signed=True)

    @property
    def method_name(self) -> str:
        return str(METHOD_NAMES.get(self.method, self.method))

    @property
    def p_text(self) -> str:
        return fmt_p(self.p_value)

    @property
    def adjusted_p_text(self) -> str:
        return fmt_p(self.adjusted_p)

    @property
    def direction(self) -> str | None:
        if not self.significant or self.difference is None:
            return None
        return UP if self.difference > 0 else DOWN


@dataclass
class Bar:
    label: str
    count: int
    share: float | None


@dataclass
class GroupCell:
    figure: str
    name: str
    n: int
    value: float | None
    suppressed: bool
    indicative: bool

    @property
    def value_text(self) -> str:
        return fmt(self.figure, self.value)


@dataclass
class QuestionResult:
    question: Question
    n: int
    figure: str
    value: float | None = None
    interval: statistics.Interval | None = None
    mean: statistics.Interval | None = None
    share: statistics.Interval | None = None
    nps: statistics.NpsResult | None = None
    bars: list[Bar] = field(default_factory=list)
    chart: str = ""
    comparison: Comparison | None = None
    groups: list[GroupCell] = field(default_factory=list)
    group_test: statistics.TestResult | None = None
    group_adjusted_p: float | None = None
    group_significant: bool = False
    driver: statistics.Correlation | None = None
    texts: int = 0

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def suppressed(self) -> bool:
        return self.n < SUPPRESS_BELOW

    @property
    def indicative(self) -> bool:
        return SUPPRESS_BELOW <= self.n < INDICATIVE_BELOW

    @property
    def value_text(self) -> str:
        return fmt(self.figure, self.value)

    @property
    def interval_text(self) -> str:
        return fmt_interval(self.figure, self.interval)

    @property
    def mean_text(self) -> str:
        if self.mean is None:
            return ""
        estimate = fmt(FIGURE_MEAN, self.mean.estimate)
        return f"{estimate} {fmt_interval(FIGURE_MEAN, self.mean)}"

    @property
    def share_text(self) -> str:
        if self.share is None:
            return ""
        estimate = fmt(FIGURE_SHARE, self.share.estimate)
        return f"{estimate} {fmt_interval(FIGURE_SHARE, self.share)}"

    @property
    def group_p_text(self) -> str:
        return fmt_p(self.group_adjusted_p)

    @property
    def group_method_name(self) -> str:
        if self.group_test is None:
            return ""
        return str(METHOD_NAMES.get(self.group_test.method, self.group_test.method))

    @property
    def share_label(self) -> str:
        if self.question.type == Question.Type.CES:
            return _("agree (5-7)")
        return _("top-2-box (4-5)")

    @property
    def performance(self) -> float | None:
        """The mean as a share of its scale (0-1), for the driver chart."""
        scale = self.question.scale
        if self.mean is None or self.mean.estimate is None or scale is None:
            return None
        low, high = scale
        return (self.mean.estimate - low) / (high - low)


@dataclass
class GroupRate:
    pk: int | None
    name: str
    population: int | None
    invited: int
    complete: int
    responses: int
    excluded: int
    rr1: float | None
    margin: float | None

    @property
    def margin_pct(self) -> float | None:
        return None if self.margin is None else self.margin * 100


@dataclass
class WaveResults:
    wave: Wave
    previous: Wave | None
    questions: list[QuestionResult]
    groups: list[GroupRate]
    total: GroupRate
    overall: Question | None
    drivers: list[QuestionResult]
    driver_chart: str
    comparisons: int
    # The figures come from stored aggregates (a closed wave): its charts
    # and rendered sections may be stored too.
    stored: bool = False

    @property
    def significant_changes(self) -> int:
        return sum(
            1 for q in self.questions if q.comparison and q.comparison.significant
        )


# --------------------------------------------------------------------------
# Figures of one question
# --------------------------------------------------------------------------


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


_CHARTS = {"bar": charts.bar_chart_svg, "quadrant": charts.quadrant_chart_svg}
_CHART_OPTIONS = {"bar": {"percent": True}, "quadrant": {}}


@functools.cache
def _charts_version() -> str:
    """A hash of the chart module's source: stored charts drawn by another
    version of it are not reused."""
    return hashlib.sha256(inspect.getsource(charts).encode()).hexdigest()[:16]


class _ChartStore:
    """The charts of one results page: each addressed by a hash of what it
    is drawn from (kind, data, titles, the active language, the chart code),
    read from :class:`~surveys.models.WaveChart` in one query and drawn only
    when missing; stored only for a wave whose aggregates are stored (closed),
    and deleted with them (:func:`surveys.aggregates.invalidate`)."""

    def __init__(self, wave: Wave, *, enabled: bool):
        self.wave = wave
        self.enabled = enabled
        self.asked: list[tuple[object, str, str, tuple]] = []

    def ask(self, target, kind: str, *args) -> None:
        spec = json.dumps(
            [kind, _charts_version(), translation.get_language(), args],
            ensure_ascii=False,
            default=str,
        )
        key = hashlib.sha256(spec.encode()).hexdigest()
        self.asked.append((target, kind, key, args))

    def render(self) -> list[tuple[object, str]]:
        found: dict[str, str] = {}
        if self.enabled and self.asked:
            found = dict(
                WaveChart.objects.filter(
                    wave=self.wave, key__in={key for _t, _k, key, _a in self.asked}
                ).values_list("key", "svg")
            )
        drawn: dict[str, str] = {}
        out = []
        for target, kind, key, args in self.asked:
            svg = found.get(key) or drawn.get(key)
            if svg is None:
                svg = drawn[key] = _CHARTS[kind](*args, **_CHART_OPTIONS[kind])
            out.append((target, svg))
        if self.enabled and drawn:
            WaveChart.objects.bulk_create(
                [WaveChart(wave=self.wave, key=k, svg=v) for k, v in drawn.items()],
                ignore_conflicts=True,
            )
        return out


# --------------------------------------------------------------------------
# The whole wave
# --------------------------------------------------------------------------


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


def draw_charts(result: WaveResults) -> None:
    """The distribution chart of every shown item and the key-driver chart,
    read from the stored charts of a closed wave when drawn before (one
    query), else drawn (and stored for a closed wave)."""
    store = _ChartStore(result.wave, enabled=result.stored)
    for item in result.questions:
        if not item.suppressed and item.bars:
            store.ask(
                item,
                "bar",
                [b.label for b in item.bars],
                [b.share for b in item.bars],
                _("Distribution of answers to %(code)s") % {"code": item.question.code},
            )
    drivers = result.drivers
    if result.overall is not None and drivers:
        store.ask(
            None,
            "quadrant",
            [d.code for d in drivers],
            [d.driver.r for d in drivers],
            [
                d.performance * 100 if d.performance is not None else None
                for d in drivers
            ],
            _("Key drivers: importance and performance"),
            _("Importance: correlation with %(code)s") % {"code": result.overall.code},
            _("Performance: mean as a share of the scale (%)"),
        )
    for item, svg in store.render():
        if item is None:
            result.driver_chart = svg
        else:
            item.chart = svg


FIGURES_TEMPLATE = "surveys/results/_figures.html"
_FIGURES_TEMPLATES = (
    FIGURES_TEMPLATE,
    "surveys/results/_base_note.html",
    "surveys/results/_change.html",
)


@functools.cache
def _figures_code_version() -> str:
    """A hash of what turns figures into the section's HTML besides the
    figures: the templates, this module (display properties), the chart
    module and Django."""
    import django

    sources = [get_template(name).template.source for name in _FIGURES_TEMPLATES]
    sources += [inspect.getsource(inspect.getmodule(draw_charts)), _charts_version()]
    sources.append(django.get_version())
    return hashlib.sha256("\n".join(sources).encode()).hexdigest()[:16]


def _figures_key(result: WaveResults, context: dict) -> str:
    """Everything the figures section shows, hashed: the section stored
    under this key is the one these figures render to."""
    items = [
        (
            i.question.pk, i.code, i.question.type, i.question.text(),
            i.question.get_type_display(), i.n, i.figure, i.value, i.interval,
            i.mean, i.share, i.nps, i.bars, i.comparison, i.groups, i.group_test,
            i.group_adjusted_p, i.group_significant, i.driver, i.texts,
            i.share_label, i.suppressed, i.indicative,
        )
        for i in result.questions
    ]  # fmt: skip
    spec = repr(
        (
            _figures_code_version(),
            translation.get_language(),
            sorted(context.items()),
            result.wave.pk,
            result.previous.name if result.previous else None,
            result.overall.code if result.overall else None,
            [d.code for d in result.drivers],
            items,
        )
    )
    return "html-" + hashlib.sha256(spec.encode()).hexdigest()[:59]


def figures_html(result: WaveResults, **context) -> str:
    """The questions and key drivers of the results page as HTML. For a
    closed wave with stored aggregates it is rendered once per content
    (figures, language, ``context`` — the permission flags) and stored with
    the wave's charts, since rendering it (twenty questions, their groups
    and charts) costs more than computing the figures; charts are drawn
    (or read) only when the section is rendered."""
    key = _figures_key(result, context) if result.stored else None
    if key is not None:
        stored = (
            WaveChart.objects.filter(wave=result.wave, key=key)
            .values_list("svg", flat=True)
            .first()
        )
        if stored is not None:
            return mark_safe(stored)
    draw_charts(result)
    html = render_to_string(
        FIGURES_TEMPLATE,
        {
            "wave": result.wave,
            "result": result,
            "suppress_below": SUPPRESS_BELOW,
            "indicative_below": INDICATIVE_BELOW,
            **context,
        },
    )
    if key is not None:
        WaveChart.objects.bulk_create(
            [WaveChart(wave=result.wave, key=key, svg=html)], ignore_conflicts=True
        )
    return mark_safe(html)


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


# --------------------------------------------------------------------------
# Data quality: speeders and straight-liners, logged exclusions
# --------------------------------------------------------------------------


def straight_line_items(wave: Wave) -> int:
    """How many identical grid answers make a straight-liner in this wave."""
    grid = Question.objects.filter(
        questionnaire_id=wave.questionnaire_id, type__in=results.GRID_TYPES
    ).count()
    return max(3, min(STRAIGHT_LINE_MIN_ITEMS, grid))


def response_exclude(*, response: Response, reason: str, by) -> Response:
    """Exclude ``response`` from every figure, saying why; the change is kept
    in the response's history. ``ValidationError`` without a reason or when
    it is already excluded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(ERR_REASON_REQUIRED, code="reason_required")
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.excluded:
            raise ValidationError(ERR_ALREADY_EXCLUDED, code="already_excluded")
        locked.excluded = True
        locked.exclusion_reason = reason[:200]
        locked.excluded_by = by
        locked.excluded_at = timezone.now()
        locked._change_reason = reason[:100]
        locked._history_user = by
        locked.save(
            update_fields=["excluded", "exclusion_reason", "excluded_by", "excluded_at"]
        )
        aggregates.invalidate([locked.wave_id])
    return locked


def response_include(*, response: Response, by) -> Response:
    """Undo an exclusion: the response counts again. Who excluded it and why
    stays in the history."""
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if not locked.excluded:
            raise ValidationError(ERR_NOT_EXCLUDED, code="not_excluded")
        locked.excluded = False
        locked.exclusion_reason = ""
        locked.excluded_by = None
        locked.excluded_at = None
        locked._change_reason = _("Exclusion undone")
        locked._history_user = by
        locked.save(
            update_fields=["excluded", "exclusion_reason", "excluded_by", "excluded_at"]
        )
        aggregates.invalidate([locked.wave_id])
    return locked
