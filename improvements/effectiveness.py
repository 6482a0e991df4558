"""Before/after comparison of a measure: the test that fits its kind and the
verdict (REFERENCES §6.F7). Plain numbers in, plain numbers out; the service
in :mod:`improvements.services` reads the measure and stores the result."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

from qms import measures, statistics
from qms.measures import Measure, Point

ALPHA = 0.05

EFFECT_RATE_RATIO = "rate_ratio"
EFFECT_DIFFERENCE = "difference"
EFFECT_LABELS = {
    EFFECT_RATE_RATIO: _("rate ratio (after / before)"),
    EFFECT_DIFFERENCE: _("difference (after - before)"),
}

IMPROVEMENT = "improvement"
NO_CHANGE = "no_change"
DETERIORATION = "deterioration"
NOT_TESTABLE = "not_testable"


@dataclass(frozen=True)
class Comparison:
    baseline_value: float | None
    follow_up_value: float | None
    effect_name: str
    effect: float | None
    effect_low: float | None
    effect_high: float | None
    p_value: float | None
    method: str
    warning: str
    verdict: str
    target_met: bool | None


def point_stats(point: Point) -> dict:
    """The sufficient statistics of a point, JSON-ready (dates dropped)."""
    data = asdict(point)
    data.pop("start")
    data.pop("end")
    return data


def _verdict(p_value: float | None, better: bool | None) -> str:
    if p_value is None or better is None:
        return NOT_TESTABLE
    if p_value >= ALPHA:
        return NO_CHANGE
    return IMPROVEMENT if better else DETERIORATION


def compare(measure: Measure, baseline: Point, follow_up: Point) -> Comparison:
    """Test follow-up against baseline with the test of the measure's kind:
    exact conditional (Poisson) for rates and counts, two-proportion z (Fisher
    when expected counts are small) for shares, Welch t for means."""
    before = measure.value(baseline)
    after = measure.value(follow_up)
    lower_better = not measure.higher_is_better
    warning = ""
    if measure.kind in (measures.RATE, measures.COUNT):
        if measure.kind == measures.RATE:
            c1, t1, c2, t2 = (
                baseline.count,
                baseline.exposure,
                follow_up.count,
                follow_up.exposure,
            )
        else:
            # A plain count is compared per day of each period, so periods of
            # different lengths compare fairly.
            c1, t1 = baseline.count, (baseline.end - baseline.start).days
            c2, t2 = follow_up.count, (follow_up.end - follow_up.start).days
        if t1 <= 0 or t2 <= 0:
            return Comparison(
                before, after, EFFECT_RATE_RATIO, None, None, None, None,
                statistics.METHOD_POISSON_EXACT, "", NOT_TESTABLE, None,
            )  # fmt: skip
        result = statistics.poisson_rate_test(c1, t1, c2, t2, alpha=ALPHA)
        ratio = result.ratio
        better = None
        if ratio.estimate is not None:
            better = ratio.estimate < 1 if lower_better else ratio.estimate > 1
        elif c2 > 0:
            # Nothing before, something after: up.
            better = not lower_better
        p_value = result.p_two_sided
        return Comparison(
            before,
            after,
            EFFECT_RATE_RATIO,
            ratio.estimate,
            ratio.low,
            ratio.high,
            p_value,
            result.method,
            warning,
            _verdict(p_value, better),
            measure.meets_target(after),
        )
    if measure.kind == measures.SHARE:
        z = statistics.two_proportion_z_test(
            follow_up.successes,
            follow_up.trials,
            baseline.successes,
            baseline.trials,
            alpha=ALPHA,
        )
        result = z
        if z.warning == statistics.WARNING_SMALL_EXPECTED:
            # Too few events for the normal approximation (the z-test's own
            # warning): Fisher's exact p-value, the z interval for the effect.
            result = statistics.fisher_exact_test(
                follow_up.successes,
                follow_up.trials,
                baseline.successes,
                baseline.trials,
                alpha=ALPHA,
            )
            warning = z.warning
        difference = z.difference
    else:
        result = statistics.welch_t_test(
            follow_up.n,
            follow_up.sum_x,
            follow_up.sum_x2,
            baseline.n,
            baseline.sum_x,
            baseline.sum_x2,
            alpha=ALPHA,
        )
        difference = result.difference
        warning = result.warning or ""
    estimate = difference.estimate if difference else None
    better = None
    if estimate is not None:
        better = estimate < 0 if lower_better else estimate > 0
    return Comparison(
        before,
        after,
        EFFECT_DIFFERENCE,
        estimate,
        difference.low if difference else None,
        difference.high if difference else None,
        result.p_value,
        result.method,
        warning or "",
        _verdict(result.p_value, better),
        measure.meets_target(after),
    )
