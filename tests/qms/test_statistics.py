"""qms.statistics against independent references.

References: scipy.stats on raw data (never on the sufficient statistics the
module itself uses), published worked examples, and hand-worked numbers whose
arithmetic is written out next to them. Formula numbers refer to
REFERENCES.md section 6.F. Hypothesis checks the invariants.
"""

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps
from scipy.stats.contingency import association

from qms import statistics as s

# Plain functions of plain numbers: the engine plays no part.
pytestmark = pytest.mark.single_db

PROPERTY = settings(max_examples=200, deadline=None)


def sufficient(data):
    """(n, Σx, Σx²) as the apps get them from SQL."""
    values = [float(x) for x in data]
    return len(values), math.fsum(values), math.fsum(x * x for x in values)


def expand(counts):
    """Raw scores 0, 1, 2, ... from counts per score."""
    return np.repeat(np.arange(len(counts)), counts)


# --------------------------------------------------------------------------
# Intervals (F3)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "confidence"),
    [(7, 20, 0.95), (0, 15, 0.95), (15, 15, 0.95), (1, 1, 0.9), (412, 530, 0.99)],
)
def test_wilson_interval_matches_scipy(successes, n, confidence):
    expected = sps.binomtest(successes, n).proportion_ci(
        confidence_level=confidence, method="wilson"
    )
    interval = s.wilson_interval(successes, n, confidence)
    assert interval.estimate == pytest.approx(successes / n)
    assert interval.low == pytest.approx(expected.low, abs=1e-12)
    assert interval.high == pytest.approx(expected.high, abs=1e-12)
    assert interval.confidence == confidence


def test_wilson_interval_by_hand():
    # p̂ = 0.35, n = 20, z = 1.959964: centre = (0.35 + z²/40)/(1 + z²/20)
    # = 0.446037/1.192073 = 0.374171; half = z·√(0.011375 + z²/1600)/1.192073
    # = 0.192977 → [0.1812, 0.5671].
    interval = s.wilson_interval(7, 20)
    assert round(interval.low, 4) == 0.1812
    assert round(interval.high, 4) == 0.5671
    assert round(interval.margin, 4) == 0.1930


def test_wilson_interval_without_answers_has_no_estimate():
    interval = s.wilson_interval(0, 0)
    assert interval == s.Interval(None, None, None, 0.95)
    assert interval.margin is None
    assert interval.contains(0.5) is None


@pytest.mark.parametrize(
    ("successes", "n"), [(-1, 10), (11, 10), (3, -2)], ids=["neg", "more", "negn"]
)
def test_wilson_interval_rejects_impossible_counts(successes, n):
    with pytest.raises(ValueError):
        s.wilson_interval(successes, n)


def test_confidence_outside_zero_one_is_rejected():
    with pytest.raises(ValueError):
        s.wilson_interval(3, 10, confidence=95)


@PROPERTY
@given(
    n=st.integers(min_value=1, max_value=5000),
    data=st.data(),
    confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_interval_lies_in_unit_range_and_contains_estimate(n, data, confidence):
    successes = data.draw(st.integers(min_value=0, max_value=n))
    interval = s.wilson_interval(successes, n, confidence)
    assert 0 <= interval.low <= interval.estimate <= interval.high <= 1


def test_z_value_matches_the_table_in_references():
    assert s.z_value(0.90) == pytest.approx(1.645, abs=5e-4)
    assert s.z_value(0.95) == pytest.approx(1.960, abs=5e-4)
    assert s.z_value(0.99) == pytest.approx(2.576, abs=5e-4)


def test_describe_matches_numpy():
    data = [4, 5, 3, 5, 2, 4, 4, 1, 5, 5]
    summary = s.describe(*sufficient(data))
    assert summary.n == 10
    assert summary.mean == pytest.approx(np.mean(data))
    assert summary.variance == pytest.approx(np.var(data, ddof=1))
    assert summary.sd == pytest.approx(np.std(data, ddof=1))


def test_describe_accepts_decimal_sums_from_sql():
    summary = s.describe(4, Decimal("10.0"), Decimal("30.0"))
    assert summary.mean == pytest.approx(2.5)
    assert summary.variance == pytest.approx((30 - 100 / 4) / 3)


def test_describe_without_spread():
    assert s.describe(0, 0, 0).mean is None
    one = s.describe(1, 4.0, 16.0)
    assert one.mean == 4.0
    assert one.sd is None


@pytest.mark.parametrize("confidence", [0.9, 0.95, 0.99])
def test_mean_interval_matches_scipy_t_interval(confidence):
    data = [6, 7, 5, 7, 3, 6, 7, 4, 6, 5, 7, 2]
    expected = sps.t.interval(
        confidence, len(data) - 1, loc=np.mean(data), scale=sps.sem(data)
    )
    interval = s.mean_interval(*sufficient(data), confidence)
    assert interval.estimate == pytest.approx(np.mean(data))
    assert (interval.low, interval.high) == pytest.approx(expected)


def test_mean_interval_finite_population_narrows_by_fpc():
    # FPC √((N-n)/(N-1)) = √(40/49) for n = 10 of N = 50 (F3).
    data = [1, 2, 3, 4, 5, 5, 4, 3, 2, 1]
    plain = s.mean_interval(*sufficient(data))
    corrected = s.mean_interval(*sufficient(data), population=50)
    assert corrected.margin == pytest.approx(plain.margin * math.sqrt(40 / 49))


def test_mean_interval_of_one_answer_has_estimate_only():
    interval = s.mean_interval(1, 4.0, 16.0)
    assert interval.estimate == 4.0
    assert interval.low is None and interval.high is None


def test_nps_hand_worked_example():
    # 50 promoters, 30 passives, 20 detractors: NPS = 100·(0.5 - 0.2) = 30;
    # SE = 100·√((0.5 + 0.2 - 0.3²)/100) = 100·√0.0061 = 7.8102;
    # 95 % CI = 30 ± 1.959964·7.8102 = [14.6922, 45.3078].
    result = s.nps(50, 30, 20)
    assert result.n == 100
    assert result.score == pytest.approx(30)
    assert round(result.standard_error, 4) == 7.8102
    assert round(result.interval.low, 4) == 14.6922
    assert round(result.interval.high, 4) == 45.3078


def test_nps_variance_matches_published_answer_and_raw_scores():
    # [NPS] stats.SE answer: shares 1/2, 1/3, 1/6 → NPS 1/3, variance 5/9 on
    # the -1/0/+1 scale. Raw tickets give the same SE (population SD / √n).
    result = s.nps(45, 30, 15)
    assert result.score == pytest.approx(100 / 3)
    assert result.standard_error == pytest.approx(100 * math.sqrt(5 / 9 / 90))
    tickets = np.array([1] * 45 + [0] * 30 + [-1] * 15)
    assert result.standard_error == pytest.approx(
        100 * tickets.std(ddof=0) / math.sqrt(len(tickets))
    )


def test_nps_interval_stays_within_scale():
    result = s.nps(3, 0, 0)
    assert result.score == 100
    assert result.interval.high == 100
    assert s.nps(0, 0, 0).score is None


def test_poisson_rate_interval_matches_published_table():
    # Exact Poisson limits (Garwood): x = 10 → 4.7954 … 18.3904; x = 0 → 0 … 3.6889.
    ten = s.poisson_rate_interval(10, 1)
    assert (round(ten.low, 4), round(ten.high, 4)) == (4.7954, 18.3904)
    zero = s.poisson_rate_interval(0, 1)
    assert zero.low == 0
    assert round(zero.high, 4) == 3.6889
    per_thousand = s.poisson_rate_interval(10, 2000, per=1000)
    assert per_thousand.estimate == 5
    assert per_thousand.high == pytest.approx(18.3904 / 2, abs=1e-4)


def test_rate_per_thousand():
    assert s.rate_per(12, 4800) == pytest.approx(2.5)
    assert s.rate_per(3, 0) is None


@PROPERTY
@given(
    st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=40),
    st.floats(0, 100),
)
def test_percentile_matches_numpy_default(values, q):
    assert s.percentile(values, q) == pytest.approx(
        float(np.percentile(values, q)), rel=1e-9, abs=1e-6
    )


def test_median_and_ninetieth_percentile():
    values = [3, 1, 4, 1, 5, 9, 2, 6]
    assert s.median(values) == 3.5
    # Position 0.9·7 = 6.3 between 6 and 9 → 6 + 0.3·3 = 6.9.
    assert s.percentile(values, 90) == pytest.approx(6.9)
    assert s.median([]) is None


# --------------------------------------------------------------------------
# Sample size (F1)
# --------------------------------------------------------------------------


def test_cochran_textbook_values():
    assert s.cochran_sample_size() == 385
    assert s.cochran_sample_size(population=1000) == 278
    assert s.cochran_sample_size(population=100) == 80
    assert s.cochran_sample_size(confidence=0.99) == 664
    assert s.cochran_sample_size(confidence=0.90) == 271
    # p = 0.2: 1.959964²·0.16/0.0025 = 245.86 → 246.
    assert s.cochran_sample_size(p=0.2) == 246


def test_cochran_never_exceeds_population():
    assert s.cochran_sample_size(population=20) <= 20
    assert s.cochran_sample_size(population=1) == 1


def test_mean_and_nps_sample_sizes():
    # (1.959964·1/0.1)² = 384.15 → 385.
    assert s.mean_sample_size(sd=1, margin=0.1) == 385
    # Worst case v = 1, ±5 points: 1.959964²/0.05² = 1536.6 → 1537.
    assert s.nps_sample_size(5) == 1537
    # Last wave 50 % / 20 %: v = 0.61 → 0.61·1536.6 = 937.3 → 938.
    assert s.nps_sample_size(5, promoter_share=0.5, detractor_share=0.2) == 938


def test_invitations_needed_rounds_up():
    assert s.invitations_needed(385, 0.2) == 1925
    # 385 / (0.2·0.9) = 2138.9 → 2139.
    assert s.invitations_needed(385, 0.2, eligibility=0.9) == 2139
    with pytest.raises(ValueError):
        s.invitations_needed(385, 0)


def test_proportional_allocation_by_largest_remainder():
    # Quotas 100·N_h/N = 33.3, 33.3, 33.3 → one extra unit to the first.
    assert s.proportional_allocation(100, [300, 300, 300]) == [34, 33, 33]
    assert s.proportional_allocation(100, [500, 300, 150, 50]) == [50, 30, 15, 5]


def test_proportional_allocation_raises_small_strata_to_minimum():
    allocation = s.proportional_allocation(100, [500, 300, 150, 50, 4], minimum=10)
    # 100·N_h/1004 = 49.8, 29.9, 14.9, 5.0, 0.4; small strata raised, never
    # beyond their size.
    assert allocation == [50, 30, 15, 10, 4]


@PROPERTY
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=8),
    st.floats(0, 1),
)
def test_proportional_allocation_adds_up_and_fits_strata(sizes, fraction):
    assume(sum(sizes) > 0)
    n = int(fraction * sum(sizes))
    allocation = s.proportional_allocation(n, sizes)
    assert sum(allocation) == n
    assert all(0 <= a <= size for a, size in zip(allocation, sizes, strict=True))
    exact = [n * size / sum(sizes) for size in sizes]
    assert all(abs(a - e) < 1 for a, e in zip(allocation, exact, strict=True))


def test_achieved_margin_with_and_without_population():
    # 1.959964·√(0.25/400) = 0.049.
    assert s.achieved_margin(0.5, 400) == pytest.approx(0.049, abs=1e-4)
    # A Cochran-sized sample achieves the margin it was sized for.
    assert s.achieved_margin(0.5, 385) <= 0.05
    assert s.achieved_margin(0.5, 278, population=1000) <= 0.05
    assert s.achieved_margin(0.5, 1000, population=1000) == 0
    assert s.achieved_margin(0.5, 0) is None


def test_aapor_response_rates_by_hand():
    # I=400, P=50, R=100, NC=200, O=50, UH+UO=200, e=0.5:
    # RR1 = 400/1000, RR2 = 450/1000, RR3 = 400/(800 + 100), COOP1 = 400/600.
    rates = s.response_rates(400, 50, 100, 200, 50, 150, 50, eligible_share=0.5)
    assert rates.rr1 == pytest.approx(0.4)
    assert rates.rr2 == pytest.approx(0.45)
    assert rates.rr3 == pytest.approx(400 / 900)
    assert rates.coop1 == pytest.approx(400 / 600)
    assert s.response_rates(0).rr1 is None


def test_post_stratification_weights_and_kish_effective_n():
    # Frame 50/50, sample 80/20: weights 0.5/0.8 = 0.625 and 0.5/0.2 = 2.5.
    weights = s.post_stratification_weights([80, 20], [500, 500])
    assert weights == pytest.approx([0.625, 2.5])
    per_respondent = [0.625] * 80 + [2.5] * 20
    # (Σw)² / Σw² = 100² / (80·0.390625 + 20·6.25) = 10000/156.25 = 64.
    assert s.kish_effective_n(per_respondent) == pytest.approx(64)
    assert s.kish_effective_n([1.0] * 37) == pytest.approx(37)
    # Frame 5/5, sample 10/0: (5/10)/(10/10) = 0.5; nobody to weight up.
    assert s.post_stratification_weights([10, 0], [5, 5]) == [0.5, None]


# --------------------------------------------------------------------------
# Significance tests (F4, F7)
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "z", "p"),
    [
        # Published worked examples (homeworksource.com): 56 % of 300 vs 48 % of
        # 200 → z = 1.755, two-tailed p = 0.0792; 28/254 vs 36/301 → z = -0.344,
        # p = 0.7307.
        (168, 300, 96, 200, 1.755, 0.0792),
        (28, 254, 36, 301, -0.344, 0.7307),
    ],
)
def test_two_proportion_z_matches_published_examples(x1, n1, x2, n2, z, p):
    result = s.two_proportion_z_test(x1, n1, x2, n2)
    assert round(result.statistic, 3) == z
    assert round(result.p_value, 4) == p
    assert result.method == s.METHOD_TWO_PROPORTION_Z
    assert result.significant is False


def test_two_proportion_z_difference_interval_is_unpooled():
    # Textbook: (0.56 - 0.48) ± 1.959964·√(0.56·0.44/300 + 0.48·0.52/200).
    result = s.two_proportion_z_test(168, 300, 96, 200)
    half = s.z_value() * math.sqrt(0.56 * 0.44 / 300 + 0.48 * 0.52 / 200)
    assert result.difference.estimate == pytest.approx(0.08)
    assert result.difference.low == pytest.approx(0.08 - half)
    assert result.difference.high == pytest.approx(0.08 + half)
    # Cohen's h = 2·asin√0.56 - 2·asin√0.48.
    assert result.effect_size == pytest.approx(
        2 * math.asin(math.sqrt(0.56)) - 2 * math.asin(math.sqrt(0.48))
    )


@PROPERTY
@given(
    n1=st.integers(1, 400),
    n2=st.integers(1, 400),
    data=st.data(),
)
def test_two_proportion_z_squared_equals_scipy_chi_square(n1, n2, data):
    x1 = data.draw(st.integers(0, n1))
    x2 = data.draw(st.integers(0, n2))
    assume(0 < x1 + x2 < n1 + n2)
    result = s.two_proportion_z_test(x1, n1, x2, n2)
    chi2 = sps.chi2_contingency([[x1, n1 - x1], [x2, n2 - x2]], correction=False)
    assert result.statistic**2 == pytest.approx(chi2.statistic, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(chi2.pvalue, rel=1e-7, abs=1e-15)


def test_two_proportion_z_warns_on_small_counts_and_fisher_is_available():
    small = s.two_proportion_z_test(2, 20, 9, 25)
    assert small.warning == s.WARNING_SMALL_EXPECTED
    fisher = s.fisher_exact_test(2, 20, 9, 25)
    expected = sps.fisher_exact([[2, 18], [9, 16]])
    assert fisher.p_value == pytest.approx(expected.pvalue)
    assert fisher.method == s.METHOD_FISHER_EXACT


def test_two_proportion_z_without_variation_or_data_has_no_p_value():
    none = s.two_proportion_z_test(0, 40, 0, 50)
    assert none.p_value is None and none.significant is None
    assert none.warning == s.WARNING_NO_VARIATION
    assert s.two_proportion_z_test(0, 0, 3, 10).p_value is None


def test_nps_difference_test_by_formula():
    a = s.nps(50, 30, 20)  # 30, SE 7.8102
    b = s.nps(30, 30, 40)  # -10, SE 100·√((0.7 - 0.01)/100) = 8.3066
    result = s.nps_difference_test(a, b)
    z = 40 / math.sqrt(0.61 / 100 + 0.69 / 100) / 100
    assert result.statistic == pytest.approx(z)
    assert result.p_value == pytest.approx(2 * sps.norm.sf(z))
    assert result.difference.estimate == pytest.approx(40)
    assert result.significant is True


def test_welch_t_matches_scipy_on_raw_data():
    before = [3.1, 4.2, 3.8, 2.9, 4.5, 3.3, 3.9, 4.1, 2.7, 3.6]
    after = [4.4, 4.9, 3.8, 4.7, 5.0, 4.1, 4.6, 3.9, 4.8, 4.2, 4.5, 5.0, 4.4]
    result = s.welch_t_test(*sufficient(before), *sufficient(after))
    expected = sps.ttest_ind(before, after, equal_var=False)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.df == pytest.approx(expected.df)
    ci = expected.confidence_interval(confidence_level=0.95)
    assert result.difference.low == pytest.approx(ci.low)
    assert result.difference.high == pytest.approx(ci.high)
    assert result.significant is True
    # Cohen's d with the pooled SD.
    pooled = math.sqrt(
        (
            (len(before) - 1) * np.var(before, ddof=1)
            + (len(after) - 1) * np.var(after, ddof=1)
        )
        / (len(before) + len(after) - 2)
    )
    assert result.effect_size == pytest.approx(
        (np.mean(before) - np.mean(after)) / pooled
    )


@PROPERTY
@given(
    st.lists(st.integers(1, 7), min_size=2, max_size=60),
    st.lists(st.integers(1, 7), min_size=2, max_size=60),
)
def test_welch_t_matches_scipy_for_likert_answers(a, b):
    assume(len(set(a)) > 1 and len(set(b)) > 1)
    result = s.welch_t_test(*sufficient(a), *sufficient(b))
    expected = sps.ttest_ind(a, b, equal_var=False)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-8, abs=1e-10)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-12)
    assert result.df == pytest.approx(expected.df, rel=1e-8)


def test_welch_t_needs_two_answers_per_group():
    result = s.welch_t_test(1, 4.0, 16.0, *sufficient([3, 4, 5]))
    assert result.p_value is None and result.significant is None


def test_chi_square_matches_scipy_and_cramers_v():
    table = [[30, 45, 25], [20, 25, 55], [10, 30, 10]]
    result = s.chi_square_test(table)
    expected = sps.chi2_contingency(table, correction=False)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.df == expected.dof
    assert result.effect_size == pytest.approx(
        association(table, method="cramer", correction=False)
    )
    assert result.warning is None


def test_chi_square_drops_empty_rows_and_columns():
    result = s.chi_square_test([[12, 0, 30], [0, 0, 0], [25, 0, 14]])
    expected = sps.chi2_contingency([[12, 30], [25, 14]], correction=False)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.df == 1


def test_chi_square_warns_about_small_expected_counts():
    result = s.chi_square_test([[2, 8], [6, 4]])
    assert result.warning == s.WARNING_SMALL_EXPECTED
    assert s.chi_square_test([[5, 5]]).p_value is None


@PROPERTY
@given(
    st.integers(2, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(1, 60), min_size=cols, max_size=cols),
            min_size=2,
            max_size=4,
        )
    )
)
def test_chi_square_matches_scipy_on_random_tables(table):
    result = s.chi_square_test(table)
    expected = sps.chi2_contingency(table, correction=False)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-9, abs=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-15)


def test_chi_square_goodness_of_fit_matches_scipy():
    observed = [180, 90, 30]
    frame = [5000, 3500, 1500]
    result = s.chi_square_goodness_of_fit(observed, frame)
    expected = sps.chisquare(observed, [300 * 0.5, 300 * 0.35, 300 * 0.15])
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.df == 2


def test_mann_whitney_from_counts_matches_scipy_on_expanded_answers():
    wave1 = [2, 5, 10, 8, 3]  # answers with score 1..5
    wave2 = [5, 8, 6, 3, 1]
    result = s.mann_whitney_from_counts(wave1, wave2)
    expected = sps.mannwhitneyu(
        expand(wave1), expand(wave2), method="asymptotic", use_continuity=False
    )
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.method == s.METHOD_MANN_WHITNEY
    # Rank-biserial r = 2U₁/(n₁n₂) - 1: positive, wave 1 scores higher.
    assert result.effect_size == pytest.approx(2 * expected.statistic / (28 * 23) - 1)
    assert result.effect_size > 0


@PROPERTY
@given(
    st.integers(2, 7).flatmap(
        lambda k: st.tuples(
            st.lists(st.integers(0, 25), min_size=k, max_size=k),
            st.lists(st.integers(0, 25), min_size=k, max_size=k),
        )
    )
)
def test_mann_whitney_from_counts_matches_scipy_on_random_counts(counts):
    counts1, counts2 = counts
    assume(sum(counts1) > 0 and sum(counts2) > 0)
    assume(sum(1 for a, b in zip(counts1, counts2, strict=True) if a + b) > 1)
    result = s.mann_whitney_from_counts(counts1, counts2)
    expected = sps.mannwhitneyu(
        expand(counts1), expand(counts2), method="asymptotic", use_continuity=False
    )
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-12)


def test_mann_whitney_with_all_answers_tied_has_no_p_value():
    result = s.mann_whitney_from_counts([0, 4, 0], [0, 6, 0])
    assert result.p_value is None
    assert result.warning == s.WARNING_NO_VARIATION


def _binomial_pmf(k: int, n: int, p: Fraction) -> Fraction:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


def test_poisson_rate_test_one_sided_by_exact_binomial_sum():
    # 30 complaints per 1,000 orders before, 15 per 1,000 after. Under H₀
    # c₂ ~ Binomial(45, 1/2): P(X ≤ 15) = Σ_{k≤15} C(45, k)/2⁴⁵.
    result = s.poisson_rate_test(30, 1000, 15, 1000)
    exact = sum(_binomial_pmf(k, 45, Fraction(1, 2)) for k in range(16))
    assert result.p_decrease == pytest.approx(float(exact), rel=1e-12)
    assert result.significant_decrease is True
    assert result.rate1 == 0.03 and result.rate2 == 0.015
    assert result.ratio.estimate == pytest.approx(0.5)
    assert result.method == s.METHOD_POISSON_EXACT


def test_poisson_rate_test_two_sided_with_unequal_exposure():
    # c₁ = 12 in 800, c₂ = 9 in 1,500: π₀ = 1500/2300. Two-sided p sums the
    # outcomes no more likely than the observed one.
    result = s.poisson_rate_test(12, 800, 9, 1500)
    p0 = Fraction(1500, 2300)
    pmf = [_binomial_pmf(k, 21, p0) for k in range(22)]
    observed = pmf[9]
    two_sided = sum(x for x in pmf if x <= observed * Fraction(10**7 + 1, 10**7))
    assert result.p_two_sided == pytest.approx(float(two_sided), rel=1e-9)
    assert result.p_decrease == pytest.approx(float(sum(pmf[:10])), rel=1e-9)
    assert result.p_increase == pytest.approx(float(sum(pmf[9:])), rel=1e-9)


def test_poisson_rate_ratio_interval_is_clopper_pearson():
    result = s.poisson_rate_test(40, 1000, 22, 1100)
    t1, t2, n = 1000, 1100, 62

    def share(ratio):  # rate ratio → binomial share of period 2
        return ratio * t2 / (t1 + ratio * t2)

    # Exact limits put alpha/2 in each tail.
    assert sps.binom.sf(21, n, share(result.ratio.low)) == pytest.approx(0.025)
    assert sps.binom.cdf(22, n, share(result.ratio.high)) == pytest.approx(0.025)
    assert result.ratio.low < result.ratio.estimate < result.ratio.high


def test_poisson_rate_test_without_events():
    result = s.poisson_rate_test(0, 500, 0, 700)
    assert result.p_decrease is None and result.significant_decrease is None
    with pytest.raises(ValueError):
        s.poisson_rate_test(1, 0, 1, 10)


BH_1995 = [
    0.0001,
    0.0004,
    0.0019,
    0.0095,
    0.0201,
    0.0278,
    0.0298,
    0.0344,
    0.0459,
    0.3240,
    0.4262,
    0.5719,
    0.6528,
    0.7590,
    1.0000,
]


def test_benjamini_hochberg_published_example():
    # Benjamini & Hochberg (1995), 15 p-values at q = 0.05: the step-up
    # procedure rejects 4 hypotheses, Bonferroni (0.05/15) only 3.
    assert s.benjamini_hochberg(BH_1995) == [True] * 4 + [False] * 11
    assert s.bonferroni(BH_1995) == [True] * 3 + [False] * 12


def test_benjamini_hochberg_keeps_input_order_and_skips_missing_tests():
    flags = s.benjamini_hochberg([0.04, None, 0.001, 0.03, 0.9])
    # m = 4 present: sorted 0.001 ≤ 0.0125, 0.03 ≤ 0.025? no, 0.04 ≤ 0.0375? no.
    assert flags == [False, False, True, False, False]


def test_benjamini_hochberg_adjusted_matches_scipy():
    adjusted = s.benjamini_hochberg_adjusted(BH_1995)
    assert adjusted == pytest.approx(list(sps.false_discovery_control(BH_1995)))
    assert s.benjamini_hochberg_adjusted([None, 0.02]) == [None, 0.02]


@PROPERTY
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=30),
    st.sampled_from([0.01, 0.05, 0.1]),
)
def test_benjamini_hochberg_flags_at_least_what_bonferroni_flags(p_values, q):
    bh = s.benjamini_hochberg(p_values, q)
    bonferroni = s.bonferroni(p_values, q)
    assert all(b for b, bonf in zip(bh, bonferroni, strict=True) if bonf)


@PROPERTY
@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_benjamini_hochberg_adjusted_matches_scipy_on_random_p_values(p_values):
    expected = sps.false_discovery_control(p_values)
    assert s.benjamini_hochberg_adjusted(p_values) == pytest.approx(list(expected))


def test_significance_flag_needs_p_difference_and_bases():
    assert s.is_significant_change(0.01, 0.06, 0.05, 200, 180)
    assert not s.is_significant_change(0.01, 0.03, 0.05, 200, 180)  # below MID
    assert not s.is_significant_change(0.01, 0.06, 0.05, 200, 20)  # small base
    assert not s.is_significant_change(0.2, 0.06, 0.05, 200, 180)
    assert not s.is_significant_change(None, 0.06, 0.05, 200, 180)


# --------------------------------------------------------------------------
# Control charts (F7)
# --------------------------------------------------------------------------


def test_p_chart_hand_worked_limits():
    # p̄ = 60/400 = 0.15; 3·√(0.15·0.85/n): n=100 → 0.1071, n=120 → 0.0978,
    # n=80 → 0.1198.
    chart = s.p_chart([12, 15, 8, 25], [100, 120, 80, 100])
    assert chart.kind == "p"
    assert chart.centre == pytest.approx(0.15)
    assert chart.values == pytest.approx((0.12, 0.125, 0.1, 0.25))
    assert [round(x, 4) for x in chart.lower] == [0.0429, 0.0522, 0.0302, 0.0429]
    assert [round(x, 4) for x in chart.upper] == [0.2571, 0.2478, 0.2698, 0.2571]
    assert chart.signals == ()


def test_p_chart_flags_point_above_upper_limit():
    # Same bases; the last share 30/100 lifts p̄ to 65/400 = 0.1625 and its
    # upper limit to 0.1625 + 3·√(0.1625·0.8375/100) = 0.2732 < 0.30.
    chart = s.p_chart([12, 15, 8, 30], [100, 120, 80, 100])
    assert round(chart.upper[3], 4) == 0.2732
    assert chart.signals == (s.Signal(3, s.RULE_OUTSIDE_LIMITS, s.ABOVE),)
    assert chart.signal_indices == (3,)


def test_p_chart_clips_limits_to_unit_range():
    chart = s.p_chart([1, 0, 2], [10, 5, 10])
    assert all(lim.lower == 0 for lim in chart.limits)
    chart = s.p_chart([9, 5, 10], [10, 5, 10])
    assert all(lim.upper == 1 for lim in chart.limits)


def test_u_chart_hand_worked_limits():
    # ū = 100/40 = 2.5; 3·√(2.5/T): T=10 → 1.5, T=12 → 1.3693, T=8 → 1.6771.
    chart = s.u_chart([20, 35, 18, 27], [10, 12, 8, 10])
    assert chart.centre == pytest.approx(2.5)
    assert [round(v, 4) for v in chart.values] == [2.0, 2.9167, 2.25, 2.7]
    assert [round(x, 4) for x in chart.lower] == [1.0, 1.1307, 0.8229, 1.0]
    assert [round(x, 4) for x in chart.upper] == [4.0, 3.8693, 4.1771, 4.0]
    assert chart.signals == ()


def test_u_chart_clips_lower_limit_at_zero():
    # ū = 16/10 = 1.6; T = 2: 1.6 ± 3·√0.8 = 1.6 ± 2.6833 → [0, 4.2833].
    chart = s.u_chart([3, 5, 2, 6], [2, 2.5, 1.5, 4])
    assert chart.lower[0] == 0
    assert round(chart.upper[0], 4) == 4.2833
    assert round(chart.upper[1], 4) == 4.0


def test_u_chart_with_baseline_centre_flags_drop():
    # Baseline ū = 2.5 per 1,000. 0 events in 1 (thousand) is within limits,
    # its lower limit 2.5 - 3·√2.5 < 0 is clipped to 0; 1 event in 40 is below
    # 2.5 - 3·√(2.5/40) = 1.75.
    chart = s.u_chart([0, 1], [1, 40], centre=2.5)
    assert chart.lower[0] == 0
    assert chart.signals == (s.Signal(1, s.RULE_OUTSIDE_LIMITS, s.BELOW),)


def test_run_of_eight_on_one_side_is_a_signal():
    counts = [10] * 4 + [12] * 9 + [10] * 3
    chart = s.u_chart(counts, [10] * len(counts), centre=1.05)
    runs = [sig for sig in chart.signals if sig.rule == s.RULE_RUN]
    # Points 4..12 are above the centre: the 8th of them (index 11) signals,
    # and so does the 9th.
    assert [sig.index for sig in runs] == [11, 12]
    assert all(sig.side == s.ABOVE for sig in runs)


def test_run_of_seven_or_broken_run_is_not_a_signal():
    above = [11] * 7
    chart = s.u_chart([*above, 9, *above], [10] * 15, centre=1.0)
    assert chart.signals == ()
    on_centre = [11] * 4 + [10] + [11] * 4
    assert s.u_chart(on_centre, [10] * 9, centre=1.0).signals == ()
    gap = [11] * 4 + [0] + [11] * 4
    exposures = [10] * 4 + [0] + [10] * 4
    chart = s.u_chart(gap, exposures, centre=1.0)
    assert chart.values[4] is None and chart.limits[4] is None
    assert chart.signals == ()


def test_run_length_is_configurable_for_nelson_rule():
    counts = [12] * 8
    assert s.u_chart(counts, [10] * 8, centre=1.0).signal_indices == (7,)
    assert s.u_chart(counts, [10] * 8, centre=1.0, run_length=9).signals == ()


@PROPERTY
@given(
    st.lists(
        st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([2, 3]),
)
def test_p_chart_limits_stay_in_unit_range(points, sigma):
    successes = [x for x, _ in points]
    totals = [n for _, n in points]
    chart = s.p_chart(successes, totals, sigma)
    for value, lim in zip(chart.values, chart.limits, strict=True):
        if lim is None:
            continue
        assert 0 <= lim.lower <= lim.centre <= lim.upper <= 1
        assert 0 <= value <= 1
    outside = {
        i
        for i, (v, lim) in enumerate(zip(chart.values, chart.limits, strict=True))
        if lim is not None and not lim.lower <= v <= lim.upper
    }
    flagged = {x.index for x in chart.signals if x.rule == s.RULE_OUTSIDE_LIMITS}
    assert flagged == outside


# --------------------------------------------------------------------------
# Pareto (F7)
# --------------------------------------------------------------------------


def test_pareto_vital_few_reach_the_cut():
    rows = s.pareto(
        [
            ("Wrong invoice", 25),
            ("Late reply", 45),
            ("Other", 3),
            ("Rude staff", 15),
            ("Lost parcel", 8),
            ("Website error", 4),
        ]
    )
    assert [r.label for r in rows] == [
        "Late reply",
        "Wrong invoice",
        "Rude staff",
        "Lost parcel",
        "Website error",
        "Other",
    ]
    # C_k = 0.45, 0.70, 0.85 ≥ 0.80 → the first three are the vital few.
    assert [r.cumulative_share for r in rows] == pytest.approx(
        [0.45, 0.70, 0.85, 0.93, 0.97, 1.0]
    )
    assert [r.vital_few for r in rows] == [True, True, True, False, False, False]
    assert rows[0].share == pytest.approx(0.45)


def test_pareto_exact_cut_stops_at_that_row():
    rows = s.pareto([("A", 50), ("B", 30), ("C", 20)], cut=0.8)
    assert [r.vital_few for r in rows] == [True, True, False]


def test_pareto_keeps_other_last_and_out_of_the_vital_few():
    rows = s.pareto([("Muu", 40), ("A", 30), ("B", 20), ("C", 10)], other_label="muu")
    assert [r.label for r in rows] == ["A", "B", "C", "Muu"]
    # Named causes reach only 60 %: all of them are needed; "other" never is.
    assert [r.vital_few for r in rows] == [True, True, True, False]


def test_pareto_ties_keep_input_order_and_zero_total_has_no_shares():
    rows = s.pareto([("B", 5), ("A", 5), ("C", 9)])
    assert [r.label for r in rows] == ["C", "B", "A"]
    empty = s.pareto([("A", 0), ("B", 0)])
    assert all(r.share is None and not r.vital_few for r in empty)


@PROPERTY
@given(
    st.lists(st.integers(0, 1000), min_size=1, max_size=15),
    st.floats(0.05, 1.0),
)
def test_pareto_cumulative_is_monotone_and_vital_few_is_minimal(values, cut):
    assume(sum(values) > 0)
    rows = s.pareto([(f"cause {i}", v) for i, v in enumerate(values)], cut=cut)
    cumulative = [r.cumulative_share for r in rows]
    assert cumulative == sorted(cumulative)
    assert cumulative[-1] == pytest.approx(1.0)
    k = sum(r.vital_few for r in rows)
    assert all(r.vital_few for r in rows[:k])
    assert cumulative[k - 1] >= cut - 1e-9
    assert k == 1 or cumulative[k - 2] < cut - 1e-9
