"""Panels: what one area shows on another area's page, without the page's app
knowing it (DESIGN.md, "Apps in one direction").

A page names a slot (``"case"``: the side of the case page; ``"home"``: the
start page) and renders ``{% panels "case" case %}``; each app that has
something to show there registers a :class:`Panel` in its ``panels`` module,
which the core imports at start-up with Django's ``autodiscover_modules``.
A panel's ``context`` function gets the request and the page's record and
returns the panel template's context, or ``None`` to show nothing; it does
its own (bounded) queries, so each panel keeps its own query budget.

Start-up imports every app's ``panels`` module: keep heavy libraries (scipy,
matplotlib, WeasyPrint, openpyxl) out of their module level.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Panel:
    slot: str
    name: str
    template: str
    context: Callable[[HttpRequest, Any], dict | None]
    # The user needs every one of these permissions to see the panel.
    permissions: tuple[str, ...] = ()
    # Lower first; the page's own parts are not panels.
    order: int = 100


_PANELS: dict[str, dict[str, Panel]] = defaultdict(dict)


def register(panel: Panel) -> Panel:
    """Add (or replace, by name) a panel in its slot."""
    _PANELS[panel.slot][panel.name] = panel
    return panel


def for_slot(slot: str) -> list[Panel]:
    return sorted(_PANELS[slot].values(), key=lambda panel: (panel.order, panel.name))


def render(slot: str, request: HttpRequest, record: Any = None) -> SafeString:
    """The HTML of every panel of ``slot`` this request's user may see."""
    user = getattr(request, "user", None)
    parts = []
    for panel in for_slot(slot):
        if panel.permissions and not (user and user.has_perms(panel.permissions)):
            continue
        context = panel.context(request, record)
        if context is None:
            continue
        parts.append(render_to_string(panel.template, context, request=request))
    return mark_safe("".join(parts))
