"""The content-addressed chart cache: equal data in the same language is
served from the cache, any difference draws anew, and the cached SVG is the
one drawing would give."""

import pytest
from django.core.cache import cache
from django.utils import translation

from qms import charts
from qms.charts import quadrant, series

# The chart cache, not the database: the engine plays no part.
pytestmark = pytest.mark.single_db

LABELS = ["2026-01", "2026-02", "2026-03"]


@pytest.fixture(autouse=True)
def clean_cache(settings):
    settings.QMS_CHART_CACHE_SECONDS = 3600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draws(monkeypatch):
    """Count real drawings."""
    counted = []
    real = charts.render_figure

    def counting(*args, **kwargs):
        counted.append(1)
        return real(*args, **kwargs)

    # Each chart family's module calls render_figure by its own name.
    for module in (series, quadrant):
        monkeypatch.setattr(module, "render_figure", counting)
    return counted


def _line(values, title="Compliance"):
    return charts.line_chart_svg(LABELS, {"E-mail": values}, title, percent=True)


def test_equal_data_is_drawn_once_and_equals_an_uncached_drawing(draws):
    first = _line([0.8, 0.85, 0.9])
    second = _line([0.8, 0.85, 0.9])
    assert first == second
    assert len(draws) == 1
    assert first == charts.line_chart_svg.uncached(
        LABELS, {"E-mail": [0.8, 0.85, 0.9]}, "Compliance", percent=True
    )


@pytest.mark.parametrize(
    "other",
    [
        lambda: _line([0.8, 0.85, 0.91]),  # one value differs
        lambda: _line([0.8, 0.85, None]),  # a gap
        lambda: _line([0.8, 0.85, 0.9], title="Other title"),
        lambda: charts.line_chart_svg(
            LABELS, {"E-mail": [0.8, 0.85, 0.9]}, "Compliance"
        ),
        lambda: charts.bar_chart_svg(LABELS, [0.8, 0.85, 0.9], "Compliance"),
    ],
)
def test_a_chart_with_different_input_is_not_served_from_the_cache(draws, other):
    cached = _line([0.8, 0.85, 0.9])
    svg = other()
    assert len(draws) == 2
    assert svg != cached


def test_the_language_is_part_of_the_key(draws):
    with translation.override("en"):
        english = charts.sparkline_svg([1, 2, 3], title="Cases")
        key_en = charts.cache_key("sparkline_svg", ([1, 2, 3],), {"title": "Cases"})
    with translation.override("et"):
        estonian = charts.sparkline_svg([1, 2, 3], title="Cases")
        key_et = charts.cache_key("sparkline_svg", ([1, 2, 3],), {"title": "Cases"})
    assert key_en != key_et
    assert len(draws) == 2
    assert english == estonian  # a sparkline has no translated legend


def test_keys_tell_numbers_from_their_text_and_ints_from_floats():
    keys = {
        charts.cache_key("bar_chart_svg", (LABELS, values, "t"), {})
        for values in ([1, 2, 3], [1.0, 2.0, 3.0], ["1", "2", "3"], [1, 2, None])
    }
    assert len(keys) == 4


def test_an_iterator_argument_is_used_once_for_the_key_and_the_drawing(draws):
    signals = [1]
    drawn = charts.control_chart_svg(
        LABELS, [1, 5, 1], 2, [0, 0, 0], [4, 4, 4], iter(signals), "u-chart"
    )
    again = charts.control_chart_svg(
        LABELS, [1, 5, 1], 2, [0, 0, 0], [4, 4, 4], iter(signals), "u-chart"
    )
    assert drawn == again
    assert len(draws) == 1
    assert 'id="' in drawn and "signals" in drawn


def test_zero_seconds_turns_the_cache_off(draws, settings):
    settings.QMS_CHART_CACHE_SECONDS = 0
    _line([0.8, 0.85, 0.9])
    _line([0.8, 0.85, 0.9])
    assert len(draws) == 2
