"""Formatting of shares and intervals on the standards pages."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def pct(value) -> str:
    """A share in [0, 1] as a percentage with one decimal; a dash without one."""
    if value is None:
        return "\u2013"
    return f"{formats.number_format(round(100 * value, 1), 1, use_l10n=True)} %"


@register.filter
def ci(interval) -> str:
    """A Wilson interval as "low to high %"."""
    if interval is None or interval.low is None:
        return "\u2013"
    low = formats.number_format(round(100 * interval.low, 1), 1, use_l10n=True)
    high = formats.number_format(round(100 * interval.high, 1), 1, use_l10n=True)
    return f"{low}\u2013{high} %"
