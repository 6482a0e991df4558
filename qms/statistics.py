"""Every statistic the product shows, as plain functions of plain numbers.

Apps aggregate in SQL and hand the sums to these functions: counts of successes
and trials for shares, sufficient statistics ``(n, Σx, Σx²)`` for means, counts
per score for ordinal items, counts and exposures for rates. Nothing here
imports Django, so the functions run the same in views, tasks and reports and
are tested against scipy and published examples.

Formula numbers (F1-F7) refer to section 6.F of ``REFERENCES.md``; the tags in
brackets ([WIL], [COCH], ...) are its source keys.

Conventions:

* Shares are fractions in ``[0, 1]``; NPS is on the ``-100..100`` scale.
* ``confidence`` is a two-sided level such as ``0.95``; ``z`` is the matching
  standard-normal quantile (1.645 / 1.960 / 2.576 for 90 / 95 / 99 %).
* Where a number cannot be computed from the data given (no observations, no
  variation), the result holds ``None`` instead of raising, so a page can show
  "no data" next to the figures it can show. Impossible input (negative counts,
  more successes than trials) raises :class:`ValueError`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats as _stats

__all__ = [
    "ABOVE",
    "BELOW",
    "METHOD_CHI_SQUARE",
    "METHOD_CHI_SQUARE_GOF",
    "METHOD_FISHER_EXACT",
    "METHOD_KRUSKAL_WALLIS",
    "METHOD_MANN_WHITNEY",
    "METHOD_NPS_Z",
    "METHOD_PEARSON",
    "METHOD_POISSON_EXACT",
    "METHOD_SPEARMAN",
    "METHOD_TWO_PROPORTION_Z",
    "METHOD_WELCH_T",
    "RULE_OUTSIDE_LIMITS",
    "RULE_RUN",
    "WARNING_NO_VARIATION",
    "WARNING_SMALL_EXPECTED",
    "ControlChart",
    "ControlLimits",
    "Correlation",
    "Interval",
    "NpsResult",
    "ParetoRow",
    "RateComparison",
    "ResponseRates",
    "Signal",
    "Summary",
    "TestResult",
    "achieved_margin",
    "benjamini_hochberg",
    "benjamini_hochberg_adjusted",
    "bonferroni",
    "chi_square_goodness_of_fit",
    "chi_square_test",
    "cochran_sample_size",
    "cohens_h",
    "describe",
    "fisher_exact_test",
    "invitations_needed",
    "is_significant_change",
    "kish_effective_n",
    "kruskal_wallis_from_counts",
    "mann_whitney_from_counts",
    "mean_interval",
    "mean_sample_size",
    "median",
    "nps",
    "nps_difference_test",
    "nps_interval",
    "nps_sample_size",
    "p_chart",
    "pareto",
    "pearson_from_sums",
    "pearson_r",
    "percentile",
    "poisson_rate_interval",
    "poisson_rate_test",
    "post_stratification_weights",
    "proportional_allocation",
    "rate_per",
    "required_sample_size",
    "response_rates",
    "spearman_r",
    "two_proportion_z_test",
    "u_chart",
    "welch_t_test",
    "wilson_interval",
    "z_value",
]

# Stable keys for the test that produced a result; templates map them to
# translated names for method notes.
METHOD_TWO_PROPORTION_Z = "two_proportion_z"
METHOD_FISHER_EXACT = "fisher_exact"
METHOD_WELCH_T = "welch_t"
METHOD_CHI_SQUARE = "chi_square"
METHOD_CHI_SQUARE_GOF = "chi_square_goodness_of_fit"
METHOD_MANN_WHITNEY = "mann_whitney_normal"
METHOD_NPS_Z = "nps_difference_z"
METHOD_POISSON_EXACT = "poisson_conditional_binomial"
METHOD_KRUSKAL_WALLIS = "kruskal_wallis"
METHOD_PEARSON = "pearson"
METHOD_SPEARMAN = "spearman"

# Why a test result may be unreliable or missing (``TestResult.warning``).
WARNING_SMALL_EXPECTED = "small_expected_counts"
WARNING_NO_VARIATION = "no_variation"

# Control-chart rules (``Signal.rule``).
RULE_OUTSIDE_LIMITS = "outside_limits"
RULE_RUN = "run_one_side"

ABOVE = "above"
BELOW = "below"

# Floating-point slack for comparisons that are exact in real arithmetic
# (a cumulative share that should reach the cut exactly, a sample size that
# should be a whole number).
_EPS = 1e-9


# --------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A point estimate with a two-sided confidence interval.

    Any part is ``None`` when it cannot be computed (no observations, or a
    bound that is unbounded).
    """

    low: float | None
    high: float | None
    estimate: float | None
    confidence: float = 0.95

    @property
    def margin(self) -> float | None:
        """Half the width of the interval (the "±" figure)."""
        if self.low is None or self.high is None:
            return None
        return (self.high - self.low) / 2

    def __iter__(self):
        """Unpacks as ``(low, high)``, so ``low, high = wilson_interval(...)``
        works as the issue's ``tuple[float, float]`` contract asks."""
        yield self.low
        yield self.high

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int) -> float | None:
        return (self.low, self.high)[index]

    def contains(self, value: float) -> bool | None:
        """Whether ``value`` lies inside the interval; ``None`` when unknown."""
        if self.low is None or self.high is None:
            return None
        return self.low <= value <= self.high


@dataclass(frozen=True)
class TestResult:
    """The outcome of a significance test.

    ``significant`` is ``p_value < alpha`` (``None`` when there is no p-value).
    It is only the statistical half of the product's flag rule; see
    :func:`is_significant_change`. ``difference`` holds the estimated
    difference (group 1 minus group 2) with its interval where the test has
    one; ``warning`` is one of the ``WARNING_*`` keys.
    """

    __test__ = False  # not a pytest test class, despite its name

    statistic: float | None
    p_value: float | None
    method: str
    significant: bool | None
    df: float | None = None
    effect_size: float | None = None
    difference: Interval | None = None
    warning: str | None = None


@dataclass(frozen=True)
class Summary:
    """Mean and spread recovered from sufficient statistics ``(n, Σx, Σx²)``."""

    n: int
    mean: float | None
    variance: float | None
    sd: float | None


@dataclass(frozen=True)
class NpsResult:
    """Net Promoter Score on the -100..100 scale with its interval (F3)."""

    n: int
    score: float | None
    standard_error: float | None
    interval: Interval
    promoter_share: float | None
    detractor_share: float | None


@dataclass(frozen=True)
class Correlation:
    """A correlation coefficient with its Fisher-z interval and the t-test of
    ``r = 0`` (F5)."""

    n: int
    r: float | None
    interval: Interval
    p_value: float | None
    method: str


@dataclass(frozen=True)
class RateComparison:
    """Before/after comparison of two event rates (F7).

    ``ratio`` is rate 2 / rate 1 with an exact interval; ``p_decrease`` is the
    one-sided p-value for "the rate decreased", ``p_increase`` for "increased".
    """

    rate1: float
    rate2: float
    ratio: Interval
    p_decrease: float | None
    p_increase: float | None
    p_two_sided: float | None
    method: str
    significant_decrease: bool | None


@dataclass(frozen=True)
class ResponseRates:
    """AAPOR outcome rates (F2). Always label which rate is shown."""

    rr1: float | None
    rr2: float | None
    rr3: float | None
    coop1: float | None


@dataclass(frozen=True)
class ControlLimits:
    """Centre line and control limits at one point of a control chart."""

    centre: float
    lower: float
    upper: float


@dataclass(frozen=True)
class Signal:
    """A point of a control chart that a rule marks as special-cause variation.

    ``rule`` is :data:`RULE_OUTSIDE_LIMITS` or :data:`RULE_RUN`; ``side`` is
    ``"above"`` or ``"below"`` (the limit crossed or the side of the run).
    """

    index: int
    rule: str
    side: str


@dataclass(frozen=True)
class ControlChart:
    """A p-chart or u-chart: values, per-point limits and signals.

    A point without a base (zero trials or zero exposure) has value and limits
    ``None``; it is not plotted and breaks a run.
    """

    kind: str
    centre: float | None
    values: tuple[float | None, ...]
    limits: tuple[ControlLimits | None, ...]
    signals: tuple[Signal, ...]
    sigma: float

    @property
    def lower(self) -> tuple[float | None, ...]:
        return tuple(None if lim is None else lim.lower for lim in self.limits)

    @property
    def upper(self) -> tuple[float | None, ...]:
        return tuple(None if lim is None else lim.upper for lim in self.limits)

    @property
    def signal_indices(self) -> tuple[int, ...]:
        """Indices of points with at least one signal, ascending."""
        return tuple(sorted({s.index for s in self.signals}))

    def signals_at(self, index: int) -> tuple[Signal, ...]:
        return tuple(s for s in self.signals if s.index == index)


@dataclass(frozen=True)
class ParetoRow:
    """One row of a Pareto table, sorted by value descending (F7)."""

    label: str
    value: float
    share: float | None
    cumulative_share: float | None
    vital_few: bool


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def z_value(confidence: float = 0.95) -> float:
    """Two-sided standard-normal quantile: 1.960 for 95 % (F1 header)."""
    _check_confidence(confidence)
    return _z_value(confidence)


@functools.lru_cache(maxsize=32)
def _z_value(confidence: float) -> float:
    # scipy's ppf costs ~0.1 ms a call and a results page asks for the same
    # one or two confidences hundreds of times.
    return float(_stats.norm.ppf(1 - (1 - confidence) / 2))


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence!r}")


def _check_count(name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")


def _check_share(name: str, value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"{name} must be between 0 and 1, got {value!r}")


def _two_sided_normal_p(z: float) -> float:
    return float(2 * _stats.norm.sf(abs(z)))


def _significant(p_value: float | None, alpha: float) -> bool | None:
    return None if p_value is None else p_value < alpha


def _ceil(value: float) -> int:
    # 384.00000000001 is 384 in exact arithmetic; do not ask for one more.
    return math.ceil(value - _EPS)


def _fpc(n: float, population: int | None) -> float:
    """Finite-population correction factor √((N-n)/(N-1)) (F1, F3)."""
    if population is None:
        return 1.0
    if population < 1:
        raise ValueError(f"population must be at least 1, got {population!r}")
    if n > population:
        raise ValueError(f"sample {n!r} is larger than the population {population!r}")
    if population == 1:
        return 0.0
    return math.sqrt((population - n) / (population - 1))


# --------------------------------------------------------------------------
# Descriptives and intervals (F3)
# --------------------------------------------------------------------------


def describe(n: int, sum_x: float, sum_x2: float) -> Summary:
    """Mean, sample variance (n - 1) and SD from ``(n, Σx, Σx²)``.

    The variance needs two observations; rounding can make Σx² - (Σx)²/n a tiny
    negative number, which is read as zero.
    """
    _check_count("n", n)
    # SQL sums may arrive as Decimal; the arithmetic below is in floats.
    sum_x = float(sum_x)
    sum_x2 = float(sum_x2)
    if n == 0:
        return Summary(n=0, mean=None, variance=None, sd=None)
    mean = sum_x / n
    if n == 1:
        return Summary(n=1, mean=mean, variance=None, sd=None)
    variance = max((sum_x2 - sum_x * sum_x / n) / (n - 1), 0.0)
    return Summary(n=n, mean=mean, variance=variance, sd=math.sqrt(variance))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> Interval:
    """Wilson score interval for a share (F3, [WIL]).

    ``[p̂ + z²/(2n) ± z·√(p̂(1-p̂)/n + z²/(4n²))] / (1 + z²/n)``. With ``n = 0``
    every part is ``None``.
    """
    _check_count("successes", successes)
    _check_count("n", n)
    if successes > n:
        raise ValueError(f"successes ({successes}) exceed trials ({n})")
    z = z_value(confidence)
    if n == 0:
        return Interval(None, None, None, confidence)
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # At p̂ = 0 or 1 one bound equals p̂ exactly in real arithmetic.
    low = 0.0 if successes == 0 else max(0.0, min(centre - half, p))
    high = 1.0 if successes == n else min(1.0, max(centre + half, p))
    return Interval(low, high, p, confidence)


def mean_interval(
    n: int,
    sum_x: float,
    sum_x2: float,
    confidence: float = 0.95,
    *,
    population: int | None = None,
) -> Interval:
    """t-interval for a mean from sufficient statistics (F3).

    ``x̄ ± t(n-1)·s/√n``, with the finite-population correction when
    ``population`` is given. With ``n = 0`` all parts are ``None``; with
    ``n = 1`` only the estimate is known.
    """
    _check_confidence(confidence)
    summary = describe(n, sum_x, sum_x2)
    if summary.sd is None:
        return Interval(None, None, summary.mean, confidence)
    t = float(_stats.t.ppf(1 - (1 - confidence) / 2, n - 1))
    half = t * summary.sd / math.sqrt(n) * _fpc(n, population)
    return Interval(summary.mean - half, summary.mean + half, summary.mean, confidence)


def nps(
    promoters: int,
    passives: int,
    detractors: int,
    confidence: float = 0.95,
    *,
    population: int | None = None,
) -> NpsResult:
    """Net Promoter Score with its normal-approximation interval (F3, [NPS]).

    ``NPS = 100·(P - D)/n``; ``SE = 100·√((p_P + p_D - (p_P - p_D)²)/n)``;
    interval ``NPS ± z·SE`` (times the finite-population correction when
    ``population`` is given), clipped to -100..100.
    """
    for name, value in (
        ("promoters", promoters),
        ("passives", passives),
        ("detractors", detractors),
    ):
        _check_count(name, value)
    z = z_value(confidence)
    n = promoters + passives + detractors
    if n == 0:
        return NpsResult(
            0, None, None, Interval(None, None, None, confidence), None, None
        )
    p_p = promoters / n
    p_d = detractors / n
    score = 100 * (p_p - p_d)
    variance = max(p_p + p_d - (p_p - p_d) ** 2, 0.0)
    se = 100 * math.sqrt(variance / n) * _fpc(n, population)
    interval = Interval(
        max(-100.0, score - z * se), min(100.0, score + z * se), score, confidence
    )
    return NpsResult(n, score, se, interval, p_p, p_d)


def nps_interval(
    promoters: int, passives: int, detractors: int, confidence: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """``(score, low, high)`` of the Net Promoter Score on -100..100 (F3).

    ``NPS = 100·(P - D)/n`` and ``NPS ± z·100·√((p_P + p_D - (p_P - p_D)²)/n)``,
    clipped to -100..100: the interval of :func:`nps` as a plain tuple. All
    three are ``None`` without answers.
    """
    result = nps(promoters, passives, detractors, confidence)
    return result.score, result.interval.low, result.interval.high


def poisson_rate_interval(
    count: int, exposure: float, confidence: float = 0.95, *, per: float = 1.0
) -> Interval:
    """Exact (Garwood) interval for an event rate ``per · count / exposure``.

    Lower bound ``χ²(alpha/2; 2c)/2``, upper ``χ²(1-alpha/2; 2c+2)/2``, divided by the
    exposure (F7 rates).
    """
    _check_count("count", count)
    _check_confidence(confidence)
    exposure = float(exposure)
    if exposure <= 0:
        return Interval(None, None, None, confidence)
    alpha = 1 - confidence
    low = 0.0 if count == 0 else float(_stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(_stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    scale = per / exposure
    return Interval(low * scale, high * scale, count * scale, confidence)


def rate_per(count: int, exposure: float, per: float = 1000.0) -> float | None:
    """Events per ``per`` units of exposure, e.g. complaints per 1,000 (F7)."""
    _check_count("count", count)
    exposure = float(exposure)
    if exposure <= 0:
        return None
    return per * count / exposure


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) with linear interpolation.

    Matches ``numpy.percentile``'s default method: position ``(n - 1)·q/100``
    in the sorted values. ``None`` for an empty sequence.
    """
    if not 0 <= q <= 100:
        raise ValueError(f"q must be between 0 and 100, got {q!r}")
    ordered = sorted(float(value) for value in values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q / 100
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    fraction = position - below
    return ordered[below] + (ordered[above] - ordered[below]) * fraction


def median(values: Sequence[float]) -> float | None:
    """The median (50th percentile); ``None`` for an empty sequence."""
    return percentile(values, 50)


# --------------------------------------------------------------------------
# Sample size and margin of error (F1)
# --------------------------------------------------------------------------


def _finite_population(n0: float, population: int | None) -> int:
    if population is None:
        return _ceil(n0)
    if population < 1:
        raise ValueError(f"population must be at least 1, got {population!r}")
    return _ceil(n0 / (1 + (n0 - 1) / population))


def cochran_sample_size(
    population: int | None = None,
    margin: float = 0.05,
    confidence: float = 0.95,
    p: float = 0.5,
) -> int:
    """Completed responses needed to estimate a share within ± ``margin`` (F1).

    ``n₀ = z²·p(1-p)/e²``; for a finite population ``n = n₀/(1 + (n₀-1)/N)``;
    rounded up ([COCH]). 385 for 95 %, ±5 %, p = 0.5; 278 when N = 1,000.
    """
    if not 0 < margin < 1:
        raise ValueError(f"margin must be between 0 and 1, got {margin!r}")
    _check_share("p", p)
    z = z_value(confidence)
    return _finite_population(z * z * p * (1 - p) / (margin * margin), population)


def required_sample_size(
    population: int | None,
    margin_of_error: float = 0.05,
    confidence: float = 0.95,
    proportion: float = 0.5,
) -> int:
    """Completed responses needed for a share within ± ``margin_of_error`` (F1).

    Cochran ``n₀ = z²·p(1-p)/e²`` with the finite-population correction
    ``n = n₀/(1 + (n₀-1)/N)``, rounded up; ``population=None`` means an
    infinite population. Published values at 95 %, ±5 %, p = 0.5: N = 1,000
    → 278; N = 10,000 → 370; infinite → 385. A sample never exceeds ``N``.
    """
    n = cochran_sample_size(population, margin_of_error, confidence, proportion)
    return n if population is None else min(n, population)


def mean_sample_size(
    sd: float,
    margin: float,
    population: int | None = None,
    confidence: float = 0.95,
) -> int:
    """Responses needed to estimate a mean within ± ``margin`` (F1).

    ``n₀ = (z·sigma/e)²`` with sigma from the previous wave, same finite-population
    correction as :func:`cochran_sample_size`.
    """
    if sd < 0 or margin <= 0:
        raise ValueError("sd must not be negative and margin must be positive")
    z = z_value(confidence)
    return _finite_population((z * sd / margin) ** 2, population)


def nps_sample_size(
    margin_points: float,
    population: int | None = None,
    confidence: float = 0.95,
    promoter_share: float | None = None,
    detractor_share: float | None = None,
) -> int:
    """Responses needed to estimate NPS within ± ``margin_points`` (F1, [NPS]).

    On the -1/0/+1 scale ``n₀ = z²·v/e²`` with
    ``v = p_P + p_D - (p_P - p_D)²`` from planning shares (last wave), or the
    worst case ``v = 1`` when they are not given; ``e = margin_points / 100``.
    """
    if margin_points <= 0:
        raise ValueError(f"margin_points must be positive, got {margin_points!r}")
    if promoter_share is None or detractor_share is None:
        variance = 1.0
    else:
        _check_share("promoter_share", promoter_share)
        _check_share("detractor_share", detractor_share)
        if promoter_share + detractor_share > 1 + _EPS:
            raise ValueError("promoter and detractor shares add up to more than 1")
        variance = (
            promoter_share + detractor_share - (promoter_share - detractor_share) ** 2
        )
    z = z_value(confidence)
    e = margin_points / 100
    return _finite_population(z * z * variance / (e * e), population)


def invitations_needed(
    sample: int, response_rate: float, eligibility: float = 1.0
) -> int:
    """Invitations to send: ``n / (response rate x eligibility rate)``, rounded
    up (F1)."""
    _check_count("sample", sample)
    if not 0 < response_rate <= 1 or not 0 < eligibility <= 1:
        raise ValueError("response_rate and eligibility must be in (0, 1]")
    return _ceil(sample / (response_rate * eligibility))


def proportional_allocation(
    n: int, strata_sizes: Sequence[int], minimum: int = 0
) -> list[int]:
    """Stratified proportional allocation ``n_h = n·N_h/N`` (F1).

    Whole numbers that add up to ``n`` by the largest-remainder method (ties go
    to the earlier stratum). Strata below ``minimum`` are then raised to it
    (never above the stratum size), so the total may exceed ``n``: estimates
    across strata must then be weighted (:func:`post_stratification_weights`).
    """
    _check_count("n", n)
    _check_count("minimum", minimum)
    for size in strata_sizes:
        _check_count("stratum size", size)
    total = sum(strata_sizes)
    if n > total:
        raise ValueError(f"sample {n} is larger than the population {total}")
    if total == 0:
        return [0 for _ in strata_sizes]
    # Integer arithmetic keeps the quotas exact.
    quotas = [n * size // total for size in strata_sizes]
    remainders = [n * size % total for size in strata_sizes]
    short = n - sum(quotas)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:short]:
        quotas[i] += 1
    return [
        min(max(quota, minimum), size)
        for quota, size in zip(quotas, strata_sizes, strict=True)
    ]


def achieved_margin(
    p: float, n: int, population: int | None = None, confidence: float = 0.95
) -> float | None:
    """Achieved margin of error ``z·√(p̂(1-p̂)/n)·√((N-n)/(N-1))`` (F1)."""
    _check_share("p", p)
    _check_count("n", n)
    z = z_value(confidence)
    if n == 0:
        return None
    return z * math.sqrt(p * (1 - p) / n) * _fpc(n, population)


def response_rates(
    complete: int,
    partial: int = 0,
    refusal: int = 0,
    non_contact: int = 0,
    other: int = 0,
    unknown_household: int = 0,
    unknown_other: int = 0,
    eligible_share: float = 1.0,
) -> ResponseRates:
    """AAPOR RR1, RR2, RR3 and COOP1 from case dispositions (F2, [AAPOR]).

    ``eligible_share`` is *e*, the estimated share of unknown-eligibility cases
    that are eligible (used by RR3 only).
    """
    counts = (
        complete,
        partial,
        refusal,
        non_contact,
        other,
        unknown_household,
        unknown_other,
    )
    for value in counts:
        _check_count("disposition count", value)
    _check_share("eligible_share", eligible_share)
    interviews = complete + partial
    non_interviews = refusal + non_contact + other
    unknown = unknown_household + unknown_other

    def ratio(numerator: float, denominator: float) -> float | None:
        return None if denominator == 0 else numerator / denominator

    base = interviews + non_interviews + unknown
    return ResponseRates(
        rr1=ratio(complete, base),
        rr2=ratio(interviews, base),
        rr3=ratio(complete, interviews + non_interviews + eligible_share * unknown),
        coop1=ratio(complete, interviews + refusal + other),
    )


def post_stratification_weights(
    sample_counts: Sequence[int], population_counts: Sequence[int]
) -> list[float | None]:
    """Post-stratification weights ``w_h = (N_h/N)/(n_h/n)`` (F6, [NRB]).

    A stratum with no respondents gets ``None`` (it cannot be weighted up).
    """
    if len(sample_counts) != len(population_counts):
        raise ValueError("sample_counts and population_counts differ in length")
    n = sum(sample_counts)
    big_n = sum(population_counts)
    if n == 0 or big_n == 0:
        return [None for _ in sample_counts]
    return [
        None if n_h == 0 else (pop_h / big_n) / (n_h / n)
        for n_h, pop_h in zip(sample_counts, population_counts, strict=True)
    ]


def kish_effective_n(weights: Sequence[float]) -> float | None:
    """Kish effective sample size ``(Σw)²/Σw²`` (F6), for intervals of weighted
    estimates."""
    total = math.fsum(weights)
    squares = math.fsum(w * w for w in weights)
    if squares == 0:
        return None
    return total * total / squares


# --------------------------------------------------------------------------
# Significance tests (F4, F7)
# --------------------------------------------------------------------------


def cohens_h(p1: float, p2: float) -> float:
    """Effect size for two proportions: ``2·asin√p₁ - 2·asin√p₂`` (F4)."""
    _check_share("p1", p1)
    _check_share("p2", p2)
    return 2 * math.asin(math.sqrt(p1)) - 2 * math.asin(math.sqrt(p2))


def two_proportion_z_test(
    x1: int,
    n1: int,
    x2: int,
    n2: int,
    *,
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> TestResult:
    """Pooled two-proportion z-test, two-sided (F4, [2PZ]).

    ``p̄ = (x₁+x₂)/(n₁+n₂)``; ``z = (p̂₁ - p̂₂)/√(p̄(1-p̄)(1/n₁ + 1/n₂))``.
    ``difference`` is ``p̂₁ - p̂₂`` with the unpooled interval
    ``± z·√(p̂₁(1-p̂₁)/n₁ + p̂₂(1-p̂₂)/n₂)``; ``effect_size`` is Cohen's h.
    ``warning`` is :data:`WARNING_SMALL_EXPECTED` when some ``n·p̂`` or
    ``n(1-p̂)`` is below 5 (use :func:`fisher_exact_test` instead).
    """
    for name, x, n in (("x1", x1, n1), ("x2", x2, n2)):
        _check_count(name, x)
        if x > n:
            raise ValueError(f"{name} ({x}) exceeds its number of trials ({n})")
    z_crit = z_value(confidence)
    if n1 == 0 or n2 == 0:
        return TestResult(None, None, METHOD_TWO_PROPORTION_Z, None)
    p1 = x1 / n1
    p2 = x2 / n2
    diff = p1 - p2
    half = z_crit * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    difference = Interval(diff - half, diff + half, diff, confidence)
    effect = cohens_h(p1, p2)
    small = min(x1, n1 - x1, x2, n2 - x2) < 5
    warning = WARNING_SMALL_EXPECTED if small else None
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TestResult(
            None,
            None,
            METHOD_TWO_PROPORTION_Z,
            None,
            effect_size=effect,
            difference=difference,
            warning=WARNING_NO_VARIATION,
        )
    z = diff / se
    p_value = _two_sided_normal_p(z)
    return TestResult(
        z,
        p_value,
        METHOD_TWO_PROPORTION_Z,
        _significant(p_value, alpha),
        effect_size=effect,
        difference=difference,
        warning=warning,
    )


def fisher_exact_test(
    x1: int, n1: int, x2: int, n2: int, *, alpha: float = 0.05
) -> TestResult:
    """Fisher's exact test, two-sided, for two shares with small counts (F4).

    ``statistic`` is the sample odds ratio (``None`` when it is undefined).
    """
    for name, x, n in (("x1", x1, n1), ("x2", x2, n2)):
        _check_count(name, x)
        if x > n:
            raise ValueError(f"{name} ({x}) exceeds its number of trials ({n})")
    if n1 == 0 or n2 == 0:
        return TestResult(None, None, METHOD_FISHER_EXACT, None)
    result = _stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]])
    odds = float(result.statistic)
    p_value = float(result.pvalue)
    return TestResult(
        odds if math.isfinite(odds) else None,
        p_value,
        METHOD_FISHER_EXACT,
        _significant(p_value, alpha),
        difference=Interval(None, None, x1 / n1 - x2 / n2),
    )


def nps_difference_test(
    first: NpsResult, second: NpsResult, *, alpha: float = 0.05
) -> TestResult:
    """z-test for two independent NPS results: ``(NPS₁ - NPS₂)/√(SE₁² + SE₂²)``
    (F4, [NPS]). ``difference`` carries the interval at ``first``'s level."""
    if first.standard_error is None or second.standard_error is None:
        return TestResult(None, None, METHOD_NPS_Z, None)
    assert first.score is not None and second.score is not None
    diff = first.score - second.score
    se = math.hypot(first.standard_error, second.standard_error)
    confidence = first.interval.confidence
    if se == 0:
        return TestResult(
            None,
            None,
            METHOD_NPS_Z,
            None,
            difference=Interval(None, None, diff, confidence),
            warning=WARNING_NO_VARIATION,
        )
    z = diff / se
    p_value = _two_sided_normal_p(z)
    half = z_value(confidence) * se
    return TestResult(
        z,
        p_value,
        METHOD_NPS_Z,
        _significant(p_value, alpha),
        difference=Interval(diff - half, diff + half, diff, confidence),
    )


def welch_t_test(
    n1: int,
    sum1: float,
    sumsq1: float,
    n2: int,
    sum2: float,
    sumsq2: float,
    *,
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> TestResult:
    """Welch's unequal-variance t-test from sufficient statistics (F4).

    ``t = (x̄₁ - x̄₂)/√(s₁²/n₁ + s₂²/n₂)`` with Welch-Satterthwaite ``df``;
    two-sided. ``difference`` is ``x̄₁ - x̄₂`` with its Welch interval;
    ``effect_size`` is Cohen's d with the pooled SD. Each group needs two
    observations.
    """
    a = describe(n1, sum1, sumsq1)
    b = describe(n2, sum2, sumsq2)
    if a.variance is None or b.variance is None:
        return TestResult(None, None, METHOD_WELCH_T, None)
    assert a.mean is not None and b.mean is not None
    diff = a.mean - b.mean
    v1 = a.variance / n1
    v2 = b.variance / n2
    se = math.sqrt(v1 + v2)
    pooled_var = ((n1 - 1) * a.variance + (n2 - 1) * b.variance) / (n1 + n2 - 2)
    effect = diff / math.sqrt(pooled_var) if pooled_var > 0 else None
    if se == 0:
        return TestResult(
            None,
            None,
            METHOD_WELCH_T,
            None,
            difference=Interval(None, None, diff, confidence),
            warning=WARNING_NO_VARIATION,
        )
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    t = diff / se
    p_value = float(2 * _stats.t.sf(abs(t), df))
    half = float(_stats.t.ppf(1 - (1 - confidence) / 2, df)) * se
    return TestResult(
        t,
        p_value,
        METHOD_WELCH_T,
        _significant(p_value, alpha),
        df=df,
        effect_size=effect,
        difference=Interval(diff - half, diff + half, diff, confidence),
    )


def chi_square_test(
    table: Sequence[Sequence[int]], *, alpha: float = 0.05
) -> TestResult:
    """Pearson χ² test of independence with Cramér's V (F4).

    ``χ² = Σ(O - E)²/E``, ``E_ij = R_i·C_j/N``, ``df = (r-1)(c-1)``,
    ``V = √(χ²/(N·(min(r, c) - 1)))``. No continuity correction. All-zero rows
    and columns are dropped first (they carry no information and would divide
    by zero). ``warning`` is :data:`WARNING_SMALL_EXPECTED` when an expected
    count is below 5 (collapse categories or use an exact test).
    """
    rows = [list(row) for row in table]
    if len({len(row) for row in rows}) > 1:
        raise ValueError("table rows differ in length")
    for row in rows:
        for value in row:
            _check_count("cell count", value)
    rows = [row for row in rows if sum(row) > 0]
    if rows:
        keep = [j for j in range(len(rows[0])) if any(row[j] for row in rows)]
        rows = [[row[j] for j in keep] for row in rows]
    r = len(rows)
    c = len(rows[0]) if rows else 0
    if r < 2 or c < 2:
        return TestResult(None, None, METHOD_CHI_SQUARE, None)
    row_totals = [sum(row) for row in rows]
    col_totals = [sum(row[j] for row in rows) for j in range(c)]
    total = sum(row_totals)
    statistic = 0.0
    smallest_expected = math.inf
    for i, row in enumerate(rows):
        for j, observed in enumerate(row):
            expected = row_totals[i] * col_totals[j] / total
            smallest_expected = min(smallest_expected, expected)
            statistic += (observed - expected) ** 2 / expected
    df = (r - 1) * (c - 1)
    p_value = float(_stats.chi2.sf(statistic, df))
    cramers_v = math.sqrt(statistic / (total * (min(r, c) - 1)))
    return TestResult(
        statistic,
        p_value,
        METHOD_CHI_SQUARE,
        _significant(p_value, alpha),
        df=df,
        effect_size=cramers_v,
        warning=WARNING_SMALL_EXPECTED if smallest_expected < 5 else None,
    )


def chi_square_goodness_of_fit(
    observed: Sequence[int],
    expected_shares: Sequence[float],
    *,
    alpha: float = 0.05,
) -> TestResult:
    """χ² goodness of fit of sample counts to frame shares (F6 representativeness).

    ``Σ_h (n_h - n·N_h/N)²/(n·N_h/N)`` with ``df = k - 1``; ``expected_shares``
    may be population counts, they are normalised.
    """
    if len(observed) != len(expected_shares):
        raise ValueError("observed and expected_shares differ in length")
    for value in observed:
        _check_count("observed count", value)
    share_total = math.fsum(expected_shares)
    n = sum(observed)
    if n == 0 or share_total <= 0 or len(observed) < 2:
        return TestResult(None, None, METHOD_CHI_SQUARE_GOF, None)
    statistic = 0.0
    smallest_expected = math.inf
    for count, share in zip(observed, expected_shares, strict=True):
        expected = n * share / share_total
        if expected <= 0:
            if count:
                raise ValueError("a count was observed where none is expected")
            continue
        smallest_expected = min(smallest_expected, expected)
        statistic += (count - expected) ** 2 / expected
    df = len(observed) - 1
    p_value = float(_stats.chi2.sf(statistic, df))
    return TestResult(
        statistic,
        p_value,
        METHOD_CHI_SQUARE_GOF,
        _significant(p_value, alpha),
        df=df,
        warning=WARNING_SMALL_EXPECTED if smallest_expected < 5 else None,
    )


def mann_whitney_from_counts(
    counts1: Sequence[int], counts2: Sequence[int], *, alpha: float = 0.05
) -> TestResult:
    """Mann-Whitney U test for an ordinal item from counts per score (F4, [MWU]).

    ``counts1[k]`` and ``counts2[k]`` are the numbers of answers with the k-th
    score (scores in ascending order, same scale for both groups). Tied answers
    get mid-ranks; ``U₁ = R₁ - n₁(n₁+1)/2``;
    ``z = (U₁ - n₁n₂/2)/√Var`` with the tie-corrected
    ``Var = n₁n₂/12·[(n+1) - Σ(t³-t)/(n(n-1))]``; two-sided normal p-value
    without continuity correction.

    ``statistic`` is U₁ (as ``scipy.stats.mannwhitneyu`` reports it);
    ``effect_size`` is the rank-biserial correlation ``2U₁/(n₁n₂) - 1``,
    positive when group 1 tends to score higher.
    """
    if len(counts1) != len(counts2):
        raise ValueError("counts1 and counts2 differ in length")
    for value in (*counts1, *counts2):
        _check_count("count", value)
    n1 = sum(counts1)
    n2 = sum(counts2)
    n = n1 + n2
    if n1 == 0 or n2 == 0:
        return TestResult(None, None, METHOD_MANN_WHITNEY, None)
    rank_sum1 = 0.0
    ties = 0
    below = 0
    for a, b in zip(counts1, counts2, strict=True):
        t = a + b
        if t == 0:
            continue
        mid_rank = below + (t + 1) / 2
        rank_sum1 += a * mid_rank
        ties += t**3 - t
        below += t
    u1 = rank_sum1 - n1 * (n1 + 1) / 2
    effect = 2 * u1 / (n1 * n2) - 1
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return TestResult(
            u1,
            None,
            METHOD_MANN_WHITNEY,
            None,
            effect_size=effect,
            warning=WARNING_NO_VARIATION,
        )
    z = (u1 - n1 * n2 / 2) / math.sqrt(variance)
    p_value = _two_sided_normal_p(z)
    return TestResult(
        u1,
        p_value,
        METHOD_MANN_WHITNEY,
        _significant(p_value, alpha),
        effect_size=effect,
    )


def kruskal_wallis_from_counts(
    groups: Sequence[Sequence[int]], *, alpha: float = 0.05
) -> TestResult:
    """Kruskal-Wallis H test for an ordinal item in k groups, from counts per
    score (F4, [MWU] for k > 2).

    ``groups[g][k]`` is the number of answers in group g with the k-th score
    (ascending, same scale). Tied answers get mid-ranks ``r̄_k``;
    ``H = 12/(n(n+1))·Σ_g R_g²/n_g - 3(n+1)`` divided by the tie correction
    ``1 - Σ(t³-t)/(n³-n)``; ``p = P(χ²_{k-1} ≥ H)`` as in
    ``scipy.stats.kruskal``. Groups without answers are left out;
    ``effect_size`` is ε² = H/(n-1).
    """
    rows = [list(row) for row in groups]
    if len({len(row) for row in rows}) > 1:
        raise ValueError("groups differ in the number of scores")
    for row in rows:
        for value in row:
            _check_count("count", value)
    rows = [row for row in rows if sum(row) > 0]
    if len(rows) < 2:
        return TestResult(None, None, METHOD_KRUSKAL_WALLIS, None)
    totals = [sum(col) for col in zip(*rows, strict=True)]
    n = sum(totals)
    mid_ranks = []
    below = 0
    ties = 0
    for t in totals:
        mid_ranks.append(below + (t + 1) / 2)
        ties += t**3 - t
        below += t
    correction = 1 - ties / (n**3 - n) if n > 1 else 0
    if correction <= 0:
        return TestResult(
            None, None, METHOD_KRUSKAL_WALLIS, None, warning=WARNING_NO_VARIATION
        )
    h = 0.0
    for row in rows:
        rank_sum = math.fsum(c * r for c, r in zip(row, mid_ranks, strict=True))
        h += rank_sum * rank_sum / sum(row)
    # Identical groups give H = 0, which rounding can push just below zero.
    h = max((12 / (n * (n + 1)) * h - 3 * (n + 1)) / correction, 0.0)
    df = len(rows) - 1
    p_value = float(_stats.chi2.sf(h, df))
    return TestResult(
        h,
        p_value,
        METHOD_KRUSKAL_WALLIS,
        _significant(p_value, alpha),
        df=df,
        effect_size=h / (n - 1),
    )


def pearson_from_sums(
    n: int,
    sum_x: float,
    sum_y: float,
    sum_x2: float,
    sum_y2: float,
    sum_xy: float,
    confidence: float = 0.95,
) -> Correlation:
    """Pearson's r from paired sufficient statistics, as SQL returns them (F5).

    ``r = (nΣxy - ΣxΣy)/√((nΣx² - (Σx)²)(nΣy² - (Σy)²))``; interval by
    Fisher's z: ``tanh(atanh r ± z/√(n-3))``; p from
    ``t = r√((n-2)/(1-r²))`` with n - 2 df (as ``scipy.stats.pearsonr``).
    ``r`` is ``None`` with fewer than three pairs or no variation.
    """
    _check_count("n", n)
    _check_confidence(confidence)
    values = [float(v) for v in (sum_x, sum_y, sum_x2, sum_y2, sum_xy)]
    sum_x, sum_y, sum_x2, sum_y2, sum_xy = values
    empty = Correlation(n, None, Interval(None, None, None, confidence), None, "")
    if n < 3:
        return Correlation(**{**empty.__dict__, "method": METHOD_PEARSON})
    sxx = n * sum_x2 - sum_x * sum_x
    syy = n * sum_y2 - sum_y * sum_y
    sxy = n * sum_xy - sum_x * sum_y
    if sxx <= _EPS or syy <= _EPS:
        return Correlation(**{**empty.__dict__, "method": METHOD_PEARSON})
    r = max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))
    return _correlation(n, r, confidence, METHOD_PEARSON)


def _correlation(n: int, r: float, confidence: float, method: str) -> Correlation:
    if abs(r) >= 1:
        return Correlation(n, r, Interval(r, r, r, confidence), 0.0, method)
    t = r * math.sqrt((n - 2) / (1 - r * r))
    p_value = float(2 * _stats.t.sf(abs(t), n - 2))
    if n > 3:
        half = z_value(confidence) / math.sqrt(n - 3)
        low, high = math.tanh(math.atanh(r) - half), math.tanh(math.atanh(r) + half)
    else:
        low = high = None
    return Correlation(n, r, Interval(low, high, r, confidence), p_value, method)


def pearson_r(
    x: Sequence[float], y: Sequence[float], confidence: float = 0.95
) -> Correlation:
    """Pearson's r of paired values (see :func:`pearson_from_sums`)."""
    if len(x) != len(y):
        raise ValueError("x and y differ in length")
    xs = [float(v) for v in x]
    ys = [float(v) for v in y]
    return pearson_from_sums(
        len(xs),
        math.fsum(xs),
        math.fsum(ys),
        math.fsum(v * v for v in xs),
        math.fsum(v * v for v in ys),
        math.fsum(a * b for a, b in zip(xs, ys, strict=True)),
        confidence,
    )


def _mid_ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman_r(
    x: Sequence[float], y: Sequence[float], confidence: float = 0.95
) -> Correlation:
    """Spearman's rho: Pearson's r of the mid-ranks (F5, for ordinal items);
    p-value by the t approximation as ``scipy.stats.spearmanr``."""
    if len(x) != len(y):
        raise ValueError("x and y differ in length")
    result = pearson_r(_mid_ranks(list(x)), _mid_ranks(list(y)), confidence)
    return Correlation(
        result.n, result.r, result.interval, result.p_value, METHOD_SPEARMAN
    )


def poisson_rate_test(
    c1: int,
    t1: float,
    c2: int,
    t2: float,
    *,
    alpha: float = 0.05,
    confidence: float = 0.95,
) -> RateComparison:
    """Exact conditional test comparing two event rates, before (1) and after (2).

    Under H₀ (equal rates) ``c₂ ~ Binomial(c₁+c₂, T₂/(T₁+T₂))`` (F7). The
    one-sided p-value for "the rate decreased" is ``P(X ≤ c₂)``; two-sided is
    the exact binomial test (sum of outcomes no more likely than ``c₂``). The
    rate ratio ``(c₂/T₂)/(c₁/T₁)`` gets the exact interval from the
    Clopper-Pearson interval of the binomial share; a bound that is infinite
    is ``None``.
    """
    _check_count("c1", c1)
    _check_count("c2", c2)
    t1 = float(t1)
    t2 = float(t2)
    if t1 <= 0 or t2 <= 0:
        raise ValueError("exposures must be positive")
    _check_confidence(confidence)
    rate1 = c1 / t1
    rate2 = c2 / t2
    ratio_estimate = rate2 / rate1 if c1 else None
    total = c1 + c2
    if total == 0:
        return RateComparison(
            rate1,
            rate2,
            Interval(None, None, None, confidence),
            None,
            None,
            None,
            METHOD_POISSON_EXACT,
            None,
        )
    share = t2 / (t1 + t2)
    p_decrease = float(_stats.binom.cdf(c2, total, share))
    p_increase = float(_stats.binom.sf(c2 - 1, total, share))
    result = _stats.binomtest(c2, total, share)
    p_two_sided = float(result.pvalue)
    ci = result.proportion_ci(confidence_level=confidence, method="exact")
    odds_to_ratio = t1 / t2

    def to_ratio(pi: float) -> float | None:
        return None if pi >= 1 else pi / (1 - pi) * odds_to_ratio

    ratio = Interval(
        to_ratio(float(ci.low)), to_ratio(float(ci.high)), ratio_estimate, confidence
    )
    return RateComparison(
        rate1,
        rate2,
        ratio,
        p_decrease,
        min(p_increase, 1.0),
        min(p_two_sided, 1.0),
        METHOD_POISSON_EXACT,
        p_decrease < alpha,
    )


# --------------------------------------------------------------------------
# Many tests, and the flag rule (F4)
# --------------------------------------------------------------------------


def benjamini_hochberg(p_values: Sequence[float | None], q: float = 0.05) -> list[bool]:
    """Benjamini-Hochberg step-up: which tests are significant at FDR ``q`` (F4).

    Sort p₍ᵢ₎ ascending; every test up to the largest ``i`` with
    ``p₍ᵢ₎ ≤ i·q/m`` is significant. ``None`` (a test that could not be run)
    is never significant and does not count towards ``m``.
    """
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    flags = [False] * len(p_values)
    cutoff = 0
    for rank, (p, _) in enumerate(present, start=1):
        if p <= rank * q / m:
            cutoff = rank
    for _, index in present[:cutoff]:
        flags[index] = True
    return flags


def benjamini_hochberg_adjusted(
    p_values: Sequence[float | None],
) -> list[float | None]:
    """BH-adjusted p-values (q-values): test i is significant at FDR q exactly
    when its adjusted value is ≤ q. ``None`` stays ``None``."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(present)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 1.0
    for rank in range(m, 0, -1):
        p, index = present[rank - 1]
        running = min(running, p * m / rank)
        adjusted[index] = running
    return adjusted


def bonferroni(p_values: Sequence[float | None], alpha: float = 0.05) -> list[bool]:
    """Bonferroni: significant when ``p ≤ alpha/m`` (F4). ``None`` does not count."""
    m = sum(p is not None for p in p_values)
    return [p is not None and p <= alpha / m for p in p_values]


def is_significant_change(
    p_value: float | None,
    difference: float | None,
    minimum_important_difference: float,
    n1: int,
    n2: int,
    *,
    alpha: float = 0.05,
    n_min: int = 30,
) -> bool:
    """The product's flag rule (F4): "significant" only when
    ``p < alpha`` (already corrected for many tests), ``|Δ| ≥ MID`` and both bases
    are at least ``n_min``; otherwise "no significant change"."""
    if p_value is None or difference is None:
        return False
    return (
        p_value < alpha
        and abs(difference) >= minimum_important_difference - _EPS
        and min(n1, n2) >= n_min
    )


# --------------------------------------------------------------------------
# Control charts (F7, [SPC])
# --------------------------------------------------------------------------


def _signals(
    values: Sequence[float | None],
    limits: Sequence[ControlLimits | None],
    run_length: int,
) -> tuple[Signal, ...]:
    found: list[Signal] = []
    run_side: str | None = None
    run = 0
    for index, (value, lim) in enumerate(zip(values, limits, strict=True)):
        if value is None or lim is None:
            run_side, run = None, 0
            continue
        if value > lim.upper:
            found.append(Signal(index, RULE_OUTSIDE_LIMITS, ABOVE))
        elif value < lim.lower:
            found.append(Signal(index, RULE_OUTSIDE_LIMITS, BELOW))
        side = ABOVE if value > lim.centre else BELOW if value < lim.centre else None
        if side is not None and side == run_side:
            run += 1
        else:
            run_side, run = side, (1 if side else 0)
        # Every point from the run_length-th on is part of the signal.
        if run_side is not None and run >= run_length:
            found.append(Signal(index, RULE_RUN, run_side))
    return tuple(found)


def p_chart(
    successes: Sequence[int],
    totals: Sequence[int],
    sigma: float = 3,
    *,
    centre: float | None = None,
    run_length: int = 8,
) -> ControlChart:
    """p-chart for a share per period: ``p̄ ± sigma·√(p̄(1-p̄)/n_i)`` (F7).

    ``p̄ = Σx/Σn`` unless ``centre`` is given (limits from a baseline period).
    Limits are clipped to ``[0, 1]``. Signals: a point outside its limits
    (rule 1) and ``run_length`` consecutive points on one side of the centre
    line (8 by default, the Western Electric run rule; Nelson uses 9).
    """
    if len(successes) != len(totals):
        raise ValueError("successes and totals differ in length")
    for x, n in zip(successes, totals, strict=True):
        _check_count("successes", x)
        if x > n:
            raise ValueError(f"successes ({x}) exceed trials ({n})")
    if centre is None:
        grand = sum(totals)
        centre = sum(successes) / grand if grand else None
    else:
        _check_share("centre", centre)
    values: list[float | None] = []
    limits: list[ControlLimits | None] = []
    for x, n in zip(successes, totals, strict=True):
        if n == 0 or centre is None:
            values.append(None if n == 0 else x / n)
            limits.append(None)
            continue
        half = sigma * math.sqrt(centre * (1 - centre) / n)
        values.append(x / n)
        limits.append(
            ControlLimits(centre, max(0.0, centre - half), min(1.0, centre + half))
        )
    return ControlChart(
        "p",
        centre,
        tuple(values),
        tuple(limits),
        _signals(values, limits, run_length),
        sigma,
    )


def u_chart(
    counts: Sequence[int],
    exposures: Sequence[float],
    sigma: float = 3,
    *,
    centre: float | None = None,
    run_length: int = 8,
) -> ControlChart:
    """u-chart for events per unit of exposure: ``ū ± sigma·√(ū/T_i)`` (F7).

    ``ū = Σc/ΣT`` unless ``centre`` is given. Values are ``c_i/T_i`` in the
    exposure's unit (pass exposure in thousands for "per 1,000"). The lower
    limit is clipped at 0. Signals as for :func:`p_chart`.
    """
    if len(counts) != len(exposures):
        raise ValueError("counts and exposures differ in length")
    exposures = [float(t) for t in exposures]
    for c, t in zip(counts, exposures, strict=True):
        _check_count("count", c)
        if t < 0:
            raise ValueError(f"exposure must not be negative, got {t!r}")
    if centre is None:
        grand = math.fsum(exposures)
        centre = sum(counts) / grand if grand > 0 else None
    elif centre < 0:
        raise ValueError(f"centre must not be negative, got {centre!r}")
    values: list[float | None] = []
    limits: list[ControlLimits | None] = []
    for c, t in zip(counts, exposures, strict=True):
        if t == 0:
            values.append(None)
            limits.append(None)
            continue
        values.append(c / t)
        if centre is None:
            limits.append(None)
            continue
        half = sigma * math.sqrt(centre / t)
        limits.append(ControlLimits(centre, max(0.0, centre - half), centre + half))
    return ControlChart(
        "u",
        centre,
        tuple(values),
        tuple(limits),
        _signals(values, limits, run_length),
        sigma,
    )


# --------------------------------------------------------------------------
# Pareto (F7, [PAR])
# --------------------------------------------------------------------------


def pareto(
    items: Sequence[tuple[str, float]],
    cut: float = 0.8,
    *,
    other_label: str | None = "Other",
) -> list[ParetoRow]:
    """Pareto table: rows by value descending with cumulative shares (F7).

    ``C_k = Σ_{j≤k} x_j / Σx``; the vital few are the first rows up to the
    smallest ``k`` with ``C_k ≥ cut``. A row labelled ``other_label``
    (compared case-insensitively; pass the translated label) is a catch-all,
    not a cause: it is kept last whatever its size and never counted among
    the vital few. Equal values keep their input order.
    """
    if not 0 < cut <= 1:
        raise ValueError(f"cut must be in (0, 1], got {cut!r}")
    items = [(label, float(value)) for label, value in items]
    for _, value in items:
        if value < 0:
            raise ValueError(f"Pareto values must not be negative, got {value!r}")
    other_key = other_label.casefold() if other_label is not None else None

    def is_other(label: str) -> bool:
        return other_key is not None and label.casefold() == other_key

    causes = sorted(
        (item for item in items if not is_other(item[0])), key=lambda i: -i[1]
    )
    ordered = causes + [item for item in items if is_other(item[0])]
    total = math.fsum(value for _, value in ordered)
    rows: list[ParetoRow] = []
    running = 0.0
    reached = False
    for label, value in ordered:
        if total <= 0:
            rows.append(ParetoRow(label, value, None, None, False))
            continue
        running += value
        cumulative = min(running / total, 1.0)
        vital = not reached and not is_other(label)
        if vital and cumulative >= cut - _EPS:
            reached = True
        rows.append(ParetoRow(label, value, value / total, cumulative, vital))
    return rows
