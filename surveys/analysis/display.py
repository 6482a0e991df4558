"""What the results page shows of a figure: the thresholds of the rules,
the kinds of figure, numbers as people read them (localised), and the result
types with their display properties."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms import statistics

from ..models import Question, Wave

ALPHA = 0.05
SUPPRESS_BELOW = 5
INDICATIVE_BELOW = 30


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
