"""The importance-performance quadrant chart of qms.charts."""

import xml.etree.ElementTree as ET

import pytest

from qms import charts

# SVG from plain data: the engine plays no part.
pytestmark = pytest.mark.single_db

SVG = "{http://www.w3.org/2000/svg}"


def test_quadrant_chart_marks_priority_items_by_shape():
    svg = charts.quadrant_chart_svg(
        ["Q_SPEED", "Q_STAFF", "Q_PRICE", "Q_WEB"],
        [0.7, 0.2, 0.6, 0.1],
        [3.1, 4.5, 4.2, 3.0],
        "Key drivers",
        "Importance (r)",
        "Mean score",
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Key drivers"
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert any(i.endswith("-priority") for i in ids)
    assert any(i.endswith("-points") for i in ids)
    assert "Q_SPEED" in svg


def test_quadrant_chart_skips_missing_points_and_is_deterministic():
    args = (["A", "B", "C"], [0.5, None, 0.2], [4.0, 3.0, None], "Drivers")
    assert charts.quadrant_chart_svg(*args) == charts.quadrant_chart_svg(*args)
    assert ">B<" not in charts.quadrant_chart_svg(*args)


def test_quadrant_chart_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        charts.quadrant_chart_svg(["A"], [1, 2], [1], "x")


def _ids(svg):
    return [el.get("id") for el in ET.fromstring(svg).iter() if el.get("id")]


def test_quadrant_chart_can_mark_the_upper_left_quadrant_on_a_rating_scale():
    # Performance on x, importance on y (the needs' grid): the gap is the
    # need rated important and performing badly, classified by its true
    # ratings even when equal ratings are drawn apart.
    args = (["N-1", "N-2", "N-3"], [1, 1, 4], [5, 5, 4], "Grid")
    svg = charts.quadrant_chart_svg(
        *args,
        x_split=3,
        y_split=3,
        priority="upper left",
        scale=(1, 5),
        spread=True,
        annotate=False,
    )
    assert any(i.endswith("-priority") for i in _ids(svg))
    assert ">N-1<" not in svg  # not annotated
    lower_right = charts.quadrant_chart_svg(*args, x_split=3, y_split=3)
    assert not any(i.endswith("-priority") for i in _ids(lower_right))
