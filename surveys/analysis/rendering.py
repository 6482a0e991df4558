"""Charts and the figures section of the results page, drawn or rendered once
and stored for a closed wave (:class:`~surveys.models.WaveChart`)."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json

from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qms import charts

from ..models import Wave, WaveChart
from . import display
from .display import INDICATIVE_BELOW, SUPPRESS_BELOW, WaveResults

_CHARTS = {"bar": charts.bar_chart_svg, "quadrant": charts.quadrant_chart_svg}
_CHART_OPTIONS = {"bar": {"percent": True}, "quadrant": {}}


@functools.cache
def _charts_version() -> str:
    """A hash of the chart module's source: stored charts drawn by another
    version of it are not reused."""
    return hashlib.sha256(inspect.getsource(charts).encode()).hexdigest()[:16]


class _ChartStore:
    """The charts of one results page: each addressed by a hash of what it
    is drawn from (kind, data, titles, the active language, the chart code),
    read from :class:`~surveys.models.WaveChart` in one query and drawn only
    when missing; stored only for a wave whose aggregates are stored (closed),
    and deleted with them (:func:`surveys.aggregates.invalidate`)."""

    def __init__(self, wave: Wave, *, enabled: bool):
        self.wave = wave
        self.enabled = enabled
        self.asked: list[tuple[object, str, str, tuple]] = []

    def ask(self, target, kind: str, *args) -> None:
        spec = json.dumps(
            [kind, _charts_version(), translation.get_language(), args],
            ensure_ascii=False,
            default=str,
        )
        key = hashlib.sha256(spec.encode()).hexdigest()
        self.asked.append((target, kind, key, args))

    def render(self) -> list[tuple[object, str]]:
        found: dict[str, str] = {}
        if self.enabled and self.asked:
            found = dict(
                WaveChart.objects.filter(
                    wave=self.wave, key__in={key for _t, _k, key, _a in self.asked}
                ).values_list("key", "svg")
            )
        drawn: dict[str, str] = {}
        out = []
        for target, kind, key, args in self.asked:
            svg = found.get(key) or drawn.get(key)
            if svg is None:
                svg = drawn[key] = _CHARTS[kind](*args, **_CHART_OPTIONS[kind])
            out.append((target, svg))
        if self.enabled and drawn:
            WaveChart.objects.bulk_create(
                [WaveChart(wave=self.wave, key=k, svg=v) for k, v in drawn.items()],
                ignore_conflicts=True,
            )
        return out


def draw_charts(result: WaveResults) -> None:
    """The distribution chart of every shown item and the key-driver chart,
    read from the stored charts of a closed wave when drawn before (one
    query), else drawn (and stored for a closed wave)."""
    store = _ChartStore(result.wave, enabled=result.stored)
    for item in result.questions:
        if not item.suppressed and item.bars:
            store.ask(
                item,
                "bar",
                [b.label for b in item.bars],
                [b.share for b in item.bars],
                _("Distribution of answers to %(code)s") % {"code": item.question.code},
            )
    drivers = result.drivers
    if result.overall is not None and drivers:
        store.ask(
            None,
            "quadrant",
            [d.code for d in drivers],
            [d.driver.r for d in drivers],
            [
                d.performance * 100 if d.performance is not None else None
                for d in drivers
            ],
            _("Key drivers: importance and performance"),
            _("Importance: correlation with %(code)s") % {"code": result.overall.code},
            _("Performance: mean as a share of the scale (%)"),
        )
    for item, svg in store.render():
        if item is None:
            result.driver_chart = svg
        else:
            item.chart = svg


FIGURES_TEMPLATE = "surveys/results/_figures.html"
_FIGURES_TEMPLATES = (
    FIGURES_TEMPLATE,
    "surveys/results/_base_note.html",
    "surveys/results/_change.html",
)


@functools.cache
def _figures_code_version() -> str:
    """A hash of what turns figures into the section's HTML besides the
    figures: the templates, the display properties and formatting
    (:mod:`.display`), this module, the chart module and Django."""
    import django

    sources = [get_template(name).template.source for name in _FIGURES_TEMPLATES]
    sources += [
        inspect.getsource(display),
        inspect.getsource(inspect.getmodule(draw_charts)),
        _charts_version(),
    ]
    sources.append(django.get_version())
    return hashlib.sha256("\n".join(sources).encode()).hexdigest()[:16]


def _figures_key(result: WaveResults, context: dict) -> str:
    """Everything the figures section shows, hashed: the section stored
    under this key is the one these figures render to."""
    items = [
        (
            i.question.pk, i.code, i.question.type, i.question.text(),
            i.question.get_type_display(), i.n, i.figure, i.value, i.interval,
            i.mean, i.share, i.nps, i.bars, i.comparison, i.groups, i.group_test,
            i.group_adjusted_p, i.group_significant, i.driver, i.texts,
            i.share_label, i.suppressed, i.indicative,
        )
        for i in result.questions
    ]  # fmt: skip
    spec = repr(
        (
            _figures_code_version(),
            translation.get_language(),
            sorted(context.items()),
            result.wave.pk,
            result.previous.name if result.previous else None,
            result.overall.code if result.overall else None,
            [d.code for d in result.drivers],
            items,
        )
    )
    return "html-" + hashlib.sha256(spec.encode()).hexdigest()[:59]


def figures_html(result: WaveResults, **context) -> str:
    """The questions and key drivers of the results page as HTML. For a
    closed wave with stored aggregates it is rendered once per content
    (figures, language, ``context`` — the permission flags) and stored with
    the wave's charts, since rendering it (twenty questions, their groups
    and charts) costs more than computing the figures; charts are drawn
    (or read) only when the section is rendered."""
    key = _figures_key(result, context) if result.stored else None
    if key is not None:
        stored = (
            WaveChart.objects.filter(wave=result.wave, key=key)
            .values_list("svg", flat=True)
            .first()
        )
        if stored is not None:
            return mark_safe(stored)
    draw_charts(result)
    html = render_to_string(
        FIGURES_TEMPLATE,
        {
            "wave": result.wave,
            "result": result,
            "suppress_below": SUPPRESS_BELOW,
            "indicative_below": INDICATIVE_BELOW,
            **context,
        },
    )
    if key is not None:
        WaveChart.objects.bulk_create(
            [WaveChart(wave=result.wave, key=key, svg=html)], ignore_conflicts=True
        )
    return mark_safe(html)
