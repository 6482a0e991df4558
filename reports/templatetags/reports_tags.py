"""Formatting of report cells and change marks, for the page and the PDF."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()

NO_VALUE = "\N{EN DASH}"


@register.filter
def cell(value):
    """A table cell: whole numbers grouped, other numbers with two decimals."""
    if isinstance(value, bool) or value is None:
        return NO_VALUE if value is None else value
    if isinstance(value, int):
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    if isinstance(value, float):
        if value.is_integer():
            return formats.number_format(
                int(value), 0, use_l10n=True, force_grouping=True
            )
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    return value


@register.filter
def change_label(direction: str) -> str:
    return {
        "better": _("Significant improvement"),
        "worse": _("Significant deterioration"),
        "none": _("No significant change"),
    }.get(direction, _("Not testable"))


@register.filter
def change_symbol(direction: str) -> str:
    return {"better": "▲", "worse": "▼", "none": "≈"}.get(direction, "·")


@register.filter
def signal_label(level: str) -> str:
    return {
        "breach": _("Target missed"),
        "change": _("Significant change"),
        "out_of_control": _("Special cause"),
        "overdue": _("Overdue"),
        "info": _("Note"),
    }.get(level, level)


@register.filter
def decision_overdue(decision, today) -> bool:
    return decision.is_overdue(today)
