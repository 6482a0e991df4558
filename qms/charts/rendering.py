"""Drawing a figure to inlineable, deterministic, accessible SVG text."""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

import matplotlib
from matplotlib.figure import Figure

from .style import _RC, WIDE

_LOCK = threading.Lock()

_PROLOGUE = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_ROOT = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_REFERENCE = re.compile(r'(url\(#|xlink:href="#|\bhref="#)([^)"]+)')
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>.*?</style>", re.DOTALL)
_DECLARATION = re.compile(r"^\s*([a-z-]+)\s*:\s*(.*?)\s*$")


def _presentation_attributes(match: re.Match[str]) -> str:
    """``style="fill: #fff; stroke: none"`` as ``fill="#fff" stroke="none"``.

    The page's Content-Security-Policy forbids inline styles, and a style
    attribute inside inline SVG counts as one; SVG presentation attributes
    draw the same and are not styles. Every property matplotlib writes (fill,
    stroke*, opacity, font-*, text-anchor, clip-path) has an attribute form.
    """
    attributes = []
    for declaration in match.group(1).split(";"):
        found = _DECLARATION.match(declaration)
        if found:
            name, value = found.groups()
            attributes.append(f" {name}={quoteattr(value)}")
    return "".join(attributes)


def render_figure(
    draw: Callable[[Figure], None],
    title: str,
    *,
    size: tuple[float, float] = WIDE,
    width: str = "100%",
    height: str | None = None,
    layout: str | None = "constrained",
    css_class: str = "qms-chart",
) -> str:
    """SVG text of a figure that ``draw`` fills, with the house style, fonts as
    text, deterministic output and the accessibility attributes. Apps with a
    chart of their own (fishbone, importance-performance grid) use this."""
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=size, layout=layout)
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _finish(
        buffer.getvalue(), title, width=width, height=height, css_class=css_class
    )


def _finish(
    svg: str, title: str, *, width: str, height: str | None, css_class: str
) -> str:
    """Make matplotlib's SVG document inlineable (see the module docstring)."""
    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg, count=1)
    # The title is part of the hash: two charts of equal data with different
    # titles on one page must not share element ids.
    prefix = "chart-" + hashlib.sha256(f"{title}\0{svg}".encode()).hexdigest()[:10]
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    # matplotlib's one stylesheet rule ("* {stroke-linejoin: round;
    # stroke-linecap: butt}") becomes inherited attributes on the root, and
    # inline styles become presentation attributes (see above).
    svg = _STYLE_ELEMENT.sub("", svg)
    svg = svg.replace("<defs>\n </defs>", "")
    svg = _STYLE_ATTRIBUTE.sub(_presentation_attributes, svg)
    root = _ROOT.search(svg)
    assert root is not None
    view_box = re.search(r'viewBox="[^"]*"', root.group(0))
    assert view_box is not None
    attributes = [
        'xmlns="http://www.w3.org/2000/svg"',
        'xmlns:xlink="http://www.w3.org/1999/xlink"',
        'version="1.1"',
        f'id="{prefix}"',
        f'class="{css_class}"',
        view_box.group(0),
        f'width="{width}"',
        'stroke-linejoin="round"',
        'stroke-linecap="butt"',
    ]
    if height is not None:
        attributes.append(f'height="{height}"')
    if title:
        attributes += ['role="img"', f"aria-label={quoteattr(title)}"]
        title_element = f"\n <title>{escape(title)}</title>"
    else:
        # A chart without a title is decoration next to its number.
        attributes.append('aria-hidden="true"')
        title_element = ""
    new_root = "<svg " + " ".join(attributes) + ">" + title_element
    return svg[: root.start()] + new_root + svg[root.end() :]
