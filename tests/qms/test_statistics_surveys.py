"""The survey statistics of qms.statistics (issue 8, item 9) against scipy,
published tables and invariants."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

from qms import statistics as s

# Plain functions of plain numbers: the engine plays no part.
pytestmark = pytest.mark.single_db


@pytest.mark.parametrize(
    ("population", "expected"),
    [(1_000, 278), (10_000, 370), (None, 385), (100, 80), (500, 218)],
)
def test_required_sample_size_matches_published_tables(population, expected):
    # Krejcie & Morgan (1970) / Cochran: 95 %, ±5 %, p = 0.5.
    assert s.required_sample_size(population) == expected


def test_required_sample_size_never_exceeds_population():
    assert s.required_sample_size(10, margin_of_error=0.01) == 10


def test_required_sample_size_grows_with_confidence_and_precision():
    assert s.required_sample_size(None, 0.03) == 1068
    assert s.required_sample_size(None, 0.05, 0.99) == 664


def test_wilson_interval_unpacks_as_low_high():
    low, high = s.wilson_interval(40, 100)
    ci = stats.binomtest(40, 100).proportion_ci(method="wilson")
    assert low == pytest.approx(ci.low)
    assert high == pytest.approx(ci.high)
    assert tuple(s.wilson_interval(40, 100)) == (low, high)


def test_nps_interval_is_score_low_high():
    score, low, high = s.nps_interval(50, 30, 20)
    assert score == pytest.approx(30.0)
    values = np.array([1] * 50 + [0] * 30 + [-1] * 20, dtype=float)
    se = 100 * values.std(ddof=0) / math.sqrt(len(values))
    assert low == pytest.approx(30 - 1.959964 * se, abs=1e-4)
    assert high == pytest.approx(30 + 1.959964 * se, abs=1e-4)


def test_nps_interval_without_answers_is_empty():
    assert s.nps_interval(0, 0, 0) == (None, None, None)


def test_kruskal_wallis_matches_scipy():
    groups = [[5, 10, 20, 30, 15], [10, 15, 25, 20, 5], [2, 8, 10, 12, 30]]
    samples = [np.repeat(np.arange(1, 6), row) for row in groups]
    expected = stats.kruskal(*samples)
    result = s.kruskal_wallis_from_counts(groups)
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
    assert result.df == 2


def test_kruskal_wallis_ignores_empty_groups_and_needs_two():
    assert s.kruskal_wallis_from_counts([[1, 2], [0, 0]]).p_value is None
    assert s.kruskal_wallis_from_counts([[0, 3], [0, 4]]).warning == (
        s.WARNING_NO_VARIATION
    )


def test_pearson_from_sums_matches_scipy_and_numpy():
    rng = np.random.default_rng(7)
    x = rng.integers(1, 6, 200).astype(float)
    y = np.clip(x + rng.normal(0, 1.2, 200), 1, 5).round()
    expected = stats.pearsonr(x, y)
    result = s.pearson_r(x.tolist(), y.tolist())
    assert result.r == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    ci = expected.confidence_interval(0.95)
    assert result.interval.low == pytest.approx(ci.low, rel=1e-6)
    assert result.interval.high == pytest.approx(ci.high, rel=1e-6)
    sums = s.pearson_from_sums(
        len(x), x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum()
    )
    assert sums.r == pytest.approx(result.r)


def test_pearson_without_variation_is_none():
    assert s.pearson_r([3, 3, 3, 3], [1, 2, 3, 4]).r is None
    assert s.pearson_r([1, 2], [1, 2]).r is None


def test_spearman_matches_scipy():
    x = [1, 2, 2, 3, 4, 5, 5, 5, 3, 1]
    y = [2, 1, 3, 3, 5, 4, 5, 4, 2, 2]
    expected = stats.spearmanr(x, y)
    result = s.spearman_r(x, y)
    assert result.r == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)


@settings(max_examples=60, deadline=None)
@given(
    successes=st.integers(0, 500),
    extra=st.integers(0, 500),
)
def test_wilson_contains_estimate_and_shrinks_with_n(successes, extra):
    n = successes + extra
    assume(n > 0)
    low, high = s.wilson_interval(successes, n)
    assert low <= successes / n <= high
    low4, high4 = s.wilson_interval(successes * 4, n * 4)
    assert high4 - low4 <= high - low + 1e-12


@settings(max_examples=60, deadline=None)
@given(p=st.integers(0, 200), q=st.integers(0, 200), d=st.integers(0, 200))
def test_nps_interval_contains_score_and_shrinks_with_n(p, q, d):
    assume(p + q + d > 0)
    score, low, high = s.nps_interval(p, q, d)
    assert low <= score <= high
    _, low4, high4 = s.nps_interval(4 * p, 4 * q, 4 * d)
    assert high4 - low4 <= high - low + 1e-9


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=5))
def test_correlation_interval_contains_r(pairs):
    x = [a for a, _ in pairs]
    y = [b for _, b in pairs]
    result = s.pearson_r(x, y)
    assume(result.r is not None and abs(result.r) < 1)
    assert -1 <= result.interval.low <= result.r <= result.interval.high <= 1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 30), min_size=5, max_size=5), min_size=2, max_size=4
    )
)
def test_kruskal_wallis_agrees_with_scipy_on_any_counts(groups):
    samples = [np.repeat(np.arange(1, 6), row) for row in groups if sum(row)]
    assume(len(samples) >= 2)
    assume(len(set(np.concatenate(samples))) > 1)
    expected = stats.kruskal(*samples)
    result = s.kruskal_wallis_from_counts(groups)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-9, abs=1e-9)
    if math.isnan(expected.pvalue):
        # scipy rounds H of identical groups below zero and gives up.
        assert result.statistic == pytest.approx(0.0, abs=1e-9)
        assert result.p_value == pytest.approx(1.0)
    else:
        assert result.p_value == pytest.approx(expected.pvalue, rel=1e-7, abs=1e-12)


def test_kruskal_wallis_of_identical_groups_is_zero():
    result = s.kruskal_wallis_from_counts([[27, 10, 0, 27, 10], [27, 10, 0, 27, 10]])
    assert result.statistic == 0.0
    assert result.p_value == pytest.approx(1.0)
