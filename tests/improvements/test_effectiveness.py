"""Effectiveness checks: the verdict on constructed before/after data, and
the numbers against scipy."""

import pytest
from scipy import stats

from improvements import services
from improvements.models import EffectivenessCheck, Plan

from .conftest import FAKE_MEAN, FAKE_SHARE
from .helpers import AFTER_WINDOW, IMPLEMENTED, implemented_plan

pytestmark = pytest.mark.usefixtures("fake_measures")

V = EffectivenessCheck.Verdict


def _check(qm, owner, **kwargs):
    plan = implemented_plan(owner, qm, **kwargs)
    return plan, services.run_effectiveness_check(plan=plan, by=qm, today=AFTER_WINDOW)


def test_clear_rate_drop_is_a_significant_improvement(quality_manager, process_owner):
    plan, check = _check(
        quality_manager,
        process_owner,
        before={"count": 120, "exposure": 30000.0},
        after={"count": 40, "exposure": 30000.0},
    )
    assert check.verdict == V.IMPROVEMENT
    # Exact conditional test: c2 ~ Binomial(c1 + c2, T2 / (T1 + T2)).
    reference = stats.binomtest(40, 160, 0.5)
    assert check.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    ci = reference.proportion_ci(confidence_level=0.95, method="exact")
    assert check.effect == pytest.approx(40 / 120)
    assert check.effect_low == pytest.approx(ci.low / (1 - ci.low))
    assert check.effect_high == pytest.approx(ci.high / (1 - ci.high))
    assert check.baseline_stats["count"] == 120
    assert check.follow_up_stats["exposure"] == 30000.0
    assert check.baseline_value == pytest.approx(4.0)  # per 1,000
    plan.refresh_from_db()
    assert plan.status == Plan.Status.EFFECTIVENESS_CHECK


def test_flat_rate_is_no_significant_change(quality_manager, process_owner):
    _plan, check = _check(
        quality_manager,
        process_owner,
        before={"count": 50, "exposure": 30000.0},
        after={"count": 47, "exposure": 30000.0},
    )
    assert check.verdict == V.NO_CHANGE
    assert check.p_value == pytest.approx(stats.binomtest(47, 97, 0.5).pvalue)


def test_rate_rise_is_a_significant_deterioration(quality_manager, process_owner):
    _plan, check = _check(
        quality_manager,
        process_owner,
        before={"count": 30, "exposure": 30000.0},
        after={"count": 90, "exposure": 30000.0},
    )
    assert check.verdict == V.DETERIORATION


def test_unequal_exposures_use_their_share(quality_manager, process_owner):
    _plan, check = _check(
        quality_manager,
        process_owner,
        before={"count": 60, "exposure": 20000.0},
        after={"count": 30, "exposure": 10000.0},
    )
    assert check.p_value == pytest.approx(stats.binomtest(30, 90, 1 / 3).pvalue)
    assert check.verdict == V.NO_CHANGE


def test_share_uses_two_proportion_z(quality_manager, process_owner):
    _plan, check = _check(
        quality_manager,
        process_owner,
        key=FAKE_SHARE,
        before={"successes": 700, "trials": 1000},
        after={"successes": 800, "trials": 1000},
    )
    table = [[800, 200], [700, 300]]
    _chi2, p, _dof, _exp = stats.chi2_contingency(table, correction=False)
    assert check.p_value == pytest.approx(p, rel=1e-9)
    assert check.effect == pytest.approx(0.1)
    assert check.verdict == V.IMPROVEMENT


def test_small_share_counts_use_fisher(quality_manager, process_owner):
    _plan, check = _check(
        quality_manager,
        process_owner,
        key=FAKE_SHARE,
        before={"successes": 2, "trials": 20},
        after={"successes": 9, "trials": 20},
    )
    reference = stats.fisher_exact([[9, 11], [2, 18]])
    assert check.p_value == pytest.approx(reference.pvalue)
    assert check.method.lower().startswith("fisher")
    assert check.verdict == V.IMPROVEMENT


def test_mean_uses_welch_t(quality_manager, process_owner):
    before = [3, 4, 3, 2, 4, 3, 3, 4, 2, 3]
    after = [4, 5, 4, 5, 4, 3, 5, 4, 5, 4]

    def sums(xs):
        return {"n": len(xs), "sum_x": sum(xs), "sum_x2": sum(x * x for x in xs)}

    _plan, check = _check(
        quality_manager,
        process_owner,
        key=FAKE_MEAN,
        before=sums(before),
        after=sums(after),
    )
    reference = stats.ttest_ind(after, before, equal_var=False)
    assert check.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert check.verdict == V.IMPROVEMENT


def test_check_waits_for_the_follow_up_window(quality_manager, process_owner):
    plan = implemented_plan(process_owner, quality_manager)
    with pytest.raises(Exception, match="follow-up window"):
        services.run_effectiveness_check(
            plan=plan, by=quality_manager, today=IMPLEMENTED
        )


def test_missed_target_is_not_effective(quality_manager, process_owner):
    plan, check = _check(
        quality_manager,
        process_owner,
        before={"count": 120, "exposure": 30000.0},
        after={"count": 40, "exposure": 30000.0},
        target=1.0,  # per 1,000; the follow-up is 1.33
    )
    assert check.verdict == V.IMPROVEMENT
    assert check.target_met is False
    services.effectiveness_record(plan=plan, by=quality_manager)
    assert plan.status == Plan.Status.CLOSED_NOT_EFFECTIVE
