"""Report content: every figure is the area's own indicator, the comparison
columns and significance marks follow the measure's kind, small cells are
suppressed, sections are discovered. The query count (data built at two
sizes from an empty database): test_building_queries.py.

The cases and needs are built once for the module (each test works in a
savepoint of them)."""

import datetime

import pytest
from scipy import stats

from qms import measures
from qms.reporting import MIN_CELL, Table
from reports import building
from reports.periods import parse_period

from .helpers import (
    NOW,
    VOLUME,
    frozen_world,
    make_cases,
    make_customers,
    make_needs,
    publish_promises,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("frozen"),
    pytest.mark.xdist_group("reports-building"),
]

TODAY = NOW.date()


def _whole_period_value(key, period, filters=None):
    measure = measures.get(key)
    (point,) = measure.points(period.start, period.end, filters=filters or {})
    return measure.value(point), measure.base(point)


@frozen_world
def data():
    """A year of cases, needs in Q1 and Q2 2026."""
    make_customers(40)
    make_cases(VOLUME)
    make_needs(12, datetime.date(2026, 4, 2))
    make_needs(3, datetime.date(2026, 1, 5))


def _rows(content, key):
    (section,) = [s for s in content["sections"] if s["key"] == key]
    return {row["measure"]: row for row in section["indicators"]}


def test_sections_of_every_area_with_a_reports_module_are_discovered():
    labels = [label for label, _f in building.section_functions()]
    assert {"complaints", "needs", "improvements"} <= set(labels)
    assert "reports" not in labels


@pytest.mark.parametrize("code", ["2026-Q2", "2026-05", "2026-H1", "2025"])
def test_each_figure_equals_the_areas_own_indicator(data, code):
    period = parse_period(code, TODAY)
    content = building.build(period, today=TODAY)
    for key in ("complaints", "needs"):
        for measure_key, row in _rows(content, key).items():
            value, base = _whole_period_value(measure_key, period)
            assert row["value"] == pytest.approx(value), measure_key
            assert row["base"] == base, measure_key
            previous, _b = _whole_period_value(measure_key, period.previous())
            assert row["previous"] == pytest.approx(previous), measure_key
            earlier, _b = _whole_period_value(measure_key, period.year_earlier())
            assert row["year_earlier"] == pytest.approx(earlier), measure_key


def test_quarter_figures_by_hand(data):
    content = building.build(parse_period("2026-Q2", TODAY), today=TODAY)
    rows = _rows(content, "complaints")
    cases = rows["complaints.cases"]
    assert (cases["value"], cases["previous"], cases["year_earlier"]) == (57, 30, 18)
    assert cases["value_text"] == "57"
    assert len(cases["trend"]) == building.TREND_POINTS
    assert cases["trend"][-2:] == [30, 57]
    assert "<svg" in cases["sparkline"]
    # Poisson test of 57 cases in 91 days against 30 in 90 days.
    expected = stats.binomtest(57, 87, 91 / 181).pvalue
    assert cases["p_value"] == pytest.approx(expected)
    assert cases["change"] == building.WORSE  # more cases is worse
    answered = rows["complaints.on_time_share"]
    assert answered["target"] == 0.90 and answered["breach"] is True
    assert answered["target_text"] == "90.0\N{NO-BREAK SPACE}%"
    needs = _rows(content, "needs")
    assert needs["needs.new_needs"]["value"] == 12
    assert needs["needs.new_needs"]["previous"] == 3


def test_share_change_uses_two_proportion_z_and_the_flag_rule():
    share = measures.get("complaints.on_time_share")
    period = parse_period("2026-Q2", TODAY)
    now = measures.Point(period.start, period.end, successes=90, trials=100)
    before = measures.Point(period.start, period.end, successes=70, trials=100)
    change = building.compare(share, now, before, period, period.previous())
    z = (0.9 - 0.7) / (0.8 * 0.2 * (2 / 100)) ** 0.5
    assert change.p_value == pytest.approx(2 * stats.norm.sf(z))
    assert change.direction == building.BETTER
    # The same shares on 20 cases each are below the flag rule's base: not
    # testable, rather than "no significant change".
    small_now = measures.Point(period.start, period.end, successes=18, trials=20)
    small_before = measures.Point(period.start, period.end, successes=14, trials=20)
    change = building.compare(share, small_now, small_before, period, period)
    assert change.direction == building.UNKNOWN


def test_mean_change_uses_welch_t():
    mean = measures.get("complaints.days_to_close")
    period = parse_period("2026-Q2", TODAY)
    a = [5.0, 6, 7, 8] * 10
    b = [2.0, 3, 4, 3] * 10

    def point(xs):
        return measures.Point(
            period.start,
            period.end,
            n=len(xs),
            sum_x=sum(xs),
            sum_x2=sum(x * x for x in xs),
        )

    change = building.compare(mean, point(a), point(b), period, period)
    expected = stats.ttest_ind(a, b, equal_var=False).pvalue
    assert change.p_value == pytest.approx(expected)
    assert change.direction == building.WORSE  # more days is worse


def test_half_years_compare_with_the_half_before_and_a_year_earlier(data):
    content = building.build(parse_period("2026-H1", TODAY), today=TODAY)
    cases = _rows(content, "complaints")["complaints.cases"]
    assert cases["value"] == 87  # 30 in Q1 and 57 in Q2
    assert cases["previous"] == 0  # 2025 H2
    assert cases["year_earlier"] == 18  # 2025 H1


def test_unit_filters_measures_that_can_be_split(data):
    other = make_cases({(2026, 5): 7})
    period = parse_period("2026-Q2", TODAY)
    content = building.build(period, unit=other, today=TODAY)
    cases = _rows(content, "complaints")["complaints.cases"]
    assert cases["value"] == 7
    assert cases["scope_note"] == ""
    needs = _rows(content, "needs")["needs.new_needs"]
    assert needs["scope_note"] == "whole organisation"
    assert content["unit"] == {"id": other.pk, "name": other.name}


def test_small_cells_are_suppressed():
    table = Table(
        title="By channel",
        columns=["Channel", "Cases", "Share"],
        rows=[["Phone", 12, 0.6], ["Letter", MIN_CELL - 1, 0.2], ["Chat", 0, 0.0]],
        base_column=1,
    )
    data = building.suppress_small_cells(table)
    assert data["rows"][0] == ["Phone", 12, 0.6]
    assert data["rows"][1] == ["Letter", "<5", building.SUPPRESSED]
    assert data["rows"][2] == ["Chat", 0, 0.0]
    assert data["suppressed"] == 1
    # Without a base column nothing is suppressed.
    table.base_column = None
    assert building.suppress_small_cells(table)["suppressed"] == 0


def test_report_tables_hold_no_cell_below_the_minimum(data):
    content = building.build(parse_period("2026-Q2", TODAY), today=TODAY)
    for section in content["sections"]:
        for table in section["tables"]:
            column = table["base_column"]
            if column is None:
                continue
            for row in table["rows"]:
                base = row[column]
                assert not (isinstance(base, int) and 0 < base < MIN_CELL), row


def test_summary_is_drafted_from_the_signals(data):
    content = building.build(parse_period("2026-Q2", TODAY), today=TODAY)
    summary = content["summary_draft"]
    assert "Targets missed:" in summary
    assert "Answered on time" in summary
    assert "Cases received worsened significantly: 30 → 57." in summary
    levels = [s["level"] for s in content["signals"]]
    assert levels == sorted(levels, key=building.SIGNAL_ORDER.index)


def test_methods_list_each_indicator_with_its_test(data):
    content = building.build(parse_period("2026-Q2", TODAY), today=TODAY)
    methods = {m["label"]: m for m in content["methods"]["indicators"]}
    assert "Two-proportion z-test" in methods["Answered on time"]["test"]
    assert "Poisson" in methods["Cases per 1,000 customers"]["test"]
    assert "Welch" in methods["Working days to close"]["test"]


def test_a_running_period_is_compared_on_the_days_so_far(data):
    # Frozen at 15 August; July had 8 cases.
    make_cases({(2026, 8): 4})  # received on 3-6 August
    content = building.build(parse_period("2026-08", TODAY), today=TODAY)
    assert content["running_until"] == "2026-08-15"
    cases = _rows(content, "complaints")["complaints.cases"]
    assert (cases["value"], cases["previous"]) == (4, 8)
    # 4 cases in 15 days against 8 in 31 days: the exposure is the days so far.
    expected = stats.binomtest(4, 12, 15 / 46).pvalue
    assert cases["p_value"] == pytest.approx(expected)


def test_memo_and_chart_cache_do_not_change_the_content(
    data, quality_manager, monkeypatch, settings
):
    """The same report built with the memo, the promise batch and the chart
    cache on (twice, so the second build reads cached charts) and with all
    of them off is identical, figure for figure and chart for chart."""
    import contextlib

    publish_promises(quality_manager, 3)
    period = parse_period("2026-Q2", TODAY)
    settings.QMS_CHART_CACHE_SECONDS = 3600
    on = [building.build(period, today=TODAY) for _ in range(2)]
    monkeypatch.setattr(measures, "memoized", contextlib.nullcontext)
    settings.QMS_CHART_CACHE_SECONDS = 0
    off = building.build(period, today=TODAY)
    for content in (*on, off):
        content.pop("generated_at")
    assert on[0] == off
    assert on[1] == off
    promises = _rows(off, "promises")
    assert promises["promises.fulfilment_share"]["base"] > 0
