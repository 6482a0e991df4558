"""qms.charts: inlineable, accessible, deterministic SVG."""

import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import matplotlib
import pytest
from django.utils import translation

from qms import charts
from qms import statistics as s

# SVG from plain data: the engine plays no part.
pytestmark = pytest.mark.single_db

SVG = "{http://www.w3.org/2000/svg}"

MONTHS = [f"2024-{m:02d}" for m in range(1, 13)]
ON_TIME = [88, 90, 85, 91, 60, 89, 92, 87, 90, 88, 91, 89]
CASES = [100, 104, 96, 102, 98, 100, 101, 99, 103, 100, 97, 100]


def p_chart_svg(title="On-time replies"):
    chart = s.p_chart(ON_TIME, CASES)
    return chart, charts.control_chart_svg(
        MONTHS,
        chart.values,
        chart.centre,
        chart.lower,
        chart.upper,
        chart.signal_indices,
        title,
        "Share on time",
        percent=True,
    )


def pareto_svg():
    rows = s.pareto(
        [("Late reply", 45), ("Wrong invoice", 25), ("Rude staff", 15), ("Other", 3)]
    )
    return charts.pareto_chart_svg(
        [r.label for r in rows],
        [r.value for r in rows],
        [r.cumulative_share for r in rows],
        0.8,
        "Complaint causes",
        "Cases",
        vital_few=[r.vital_few for r in rows],
    )


ALL_CHARTS = {
    "control": lambda: p_chart_svg()[1],
    "line": lambda: charts.line_chart_svg(
        ["Q1", "Q2", "Q3", "Q4"],
        {"E-mail": [0.81, 0.84, None, 0.9], "Phone": [0.7, 0.75, 0.8, 0.82]},
        "Standard compliance",
        "Share compliant",
        percent=True,
    ),
    "bar": lambda: charts.bar_chart_svg(
        ["E-mail", "Phone", "Chat"], [12, 30, 7], "Cases by channel", "Cases"
    ),
    "pareto": pareto_svg,
    "sparkline": lambda: charts.sparkline_svg([3, 4, 2, 5, 6], title="Trend"),
}


def parse(svg):
    return ET.fromstring(svg)


def group(root, suffix):
    """The <g> whose id ends in ``-suffix`` (ids carry a per-chart prefix)."""
    found = [g for g in root.iter(f"{SVG}g") if g.get("id", "").endswith(f"-{suffix}")]
    return found[0] if found else None


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_chart_is_valid_inline_svg_with_accessible_title(name):
    svg = ALL_CHARTS[name]()
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    assert title is not None
    assert title.text == root.get("aria-label")
    assert root.get("viewBox")


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_chart_output_is_deterministic(name):
    assert ALL_CHARTS[name]() == ALL_CHARTS[name]()


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_chart_ids_are_unique_and_references_resolve(name):
    svg = ALL_CHARTS[name]()
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
    referenced = re.findall(r'(?:url\(#|href="#)([^)"]+)', svg)
    assert set(referenced) <= set(ids)
    prefix = parse(svg).get("id")
    assert all(i == prefix or i.startswith(f"{prefix}-") for i in ids)


def test_charts_on_one_page_do_not_share_ids():
    first = parse(ALL_CHARTS["bar"]()).get("id")
    second = parse(ALL_CHARTS["line"]()).get("id")
    assert first != second


@pytest.mark.parametrize("name", ALL_CHARTS)
def test_charts_carry_no_inline_style_for_the_content_security_policy(name):
    svg = ALL_CHARTS[name]()
    # Neither a <style> element nor a style attribute: the page's CSP has no
    # 'unsafe-inline' for styles, so the chart draws with presentation
    # attributes instead.
    assert "<style" not in svg
    assert "style=" not in svg
    root = parse(svg)
    assert root.get("stroke-linejoin") == "round"
    assert any(element.get("fill") for element in root.iter())


def test_wide_charts_scale_to_their_container():
    root = parse(ALL_CHARTS["control"]())
    assert root.get("width") == "100%"
    assert root.get("height") is None


def test_text_stays_text_in_dejavu_sans():
    _, svg = p_chart_svg()
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2024-05" in texts
    assert "Share on time" in texts
    assert "DejaVu Sans" in svg
    # No glyph outlines (svg.fonttype "none").
    assert 'id="DejaVuSans' not in svg


def test_control_chart_marks_each_signal_with_its_own_marker():
    chart, svg = p_chart_svg()
    assert chart.signal_indices == (4,)  # 60 % in May is below the lower limit
    signals = group(parse(svg), charts.GID_SIGNALS)
    assert signals is not None
    assert len(list(signals.iter(f"{SVG}use"))) == 1


def test_control_chart_draws_every_signal_and_limits_as_steps():
    counts = [2, 3, 2, 14, 2, 3, 12]
    exposures = [1.0, 1.2, 0.9, 1.0, 1.1, 1.0, 0.8]
    chart = s.u_chart(counts, exposures)
    labels = [f"W{i}" for i in range(1, 8)]
    svg = charts.control_chart_svg(
        labels,
        chart.values,
        chart.centre,
        chart.lower,
        chart.upper,
        chart.signal_indices,
        "Complaints per 1,000 orders",
        "Complaints per 1,000",
    )
    root = parse(svg)
    assert len(chart.signal_indices) == 2
    assert len(list(group(root, charts.GID_SIGNALS).iter(f"{SVG}use"))) == 2
    assert group(root, f"{charts.GID_LIMITS}-upper") is not None
    assert group(root, f"{charts.GID_LIMITS}-lower") is not None
    assert group(root, charts.GID_CENTRE) is not None


def test_control_chart_without_signals_has_no_signal_group():
    chart = s.p_chart([10, 11, 9], [100, 100, 100])
    svg = charts.control_chart_svg(
        ["A", "B", "C"],
        chart.values,
        chart.centre,
        chart.lower,
        chart.upper,
        chart.signal_indices,
        "Stable",
        "Share",
    )
    assert group(parse(svg), charts.GID_SIGNALS) is None


def test_control_chart_accepts_gaps():
    chart = s.u_chart([3, 0, 4], [10, 0, 12])
    svg = charts.control_chart_svg(
        ["A", "B", "C"],
        chart.values,
        chart.centre,
        chart.lower,
        chart.upper,
        [1],  # a signal index on a gap is ignored
        "With a gap",
    )
    assert group(parse(svg), charts.GID_SIGNALS) is None


def test_legend_is_translated_with_the_active_language():
    with translation.override("en"):
        _, svg = p_chart_svg()
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert {"Centre line", "Control limits", "Signal"} <= set(texts)


def test_title_is_escaped():
    _, svg = p_chart_svg(title='Replies < 2 days & "on time"')
    root = parse(svg)
    assert root.get("aria-label") == 'Replies < 2 days & "on time"'
    assert root.find(f"{SVG}title").text == 'Replies < 2 days & "on time"'


def test_bar_chart_draws_one_bar_per_label():
    root = parse(ALL_CHARTS["bar"]())
    bars = [group(root, f"{charts.GID_BAR}-{number}") for number in (1, 2, 3, 4)]
    assert [bar is not None for bar in bars] == [True, True, True, False]


def test_line_chart_draws_one_line_per_series():
    root = parse(ALL_CHARTS["line"]())
    assert group(root, f"{charts.GID_VALUES}-1") is not None
    assert group(root, f"{charts.GID_VALUES}-2") is not None
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"E-mail", "Phone"} <= set(texts)


def test_pareto_chart_has_cumulative_line_cut_and_hatched_trivial_many():
    svg = pareto_svg()
    root = parse(svg)
    assert group(root, charts.GID_CUMULATIVE) is not None
    assert group(root, charts.GID_CUT) is not None
    assert "<pattern" in svg  # hatching for bars outside the vital few
    assert "100%" in [t.text for t in root.iter(f"{SVG}text")]


def test_sparkline_is_word_sized_and_hidden_without_title():
    root = parse(charts.sparkline_svg([1, 2, None, 3]))
    assert root.get("width") == "6em"
    assert root.get("height") == "1.5em"
    assert root.get("aria-hidden") == "true"
    assert root.get("role") is None
    assert parse(charts.sparkline_svg([None, None], width_em=8)).get("width") == "8em"


def test_mismatched_lengths_are_rejected():
    with pytest.raises(ValueError):
        charts.bar_chart_svg(["A", "B"], [1], "Bars")
    with pytest.raises(ValueError):
        charts.control_chart_svg(["A"], [0.1], 0.1, [0.0], [0.2, 0.3], [], "Bad")


def test_rendering_leaves_global_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)
    ALL_CHARTS["bar"]()
    assert dict(matplotlib.rcParams) == before


def test_concurrent_rendering_gives_the_same_svg():
    expected = {name: make() for name, make in ALL_CHARTS.items()}
    jobs = list(ALL_CHARTS.items()) * 2
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [(name, pool.submit(make)) for name, make in jobs]
    assert all(future.result() == expected[name] for name, future in futures)
