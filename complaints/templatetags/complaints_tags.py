"""Template helpers of the complaints pages."""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.simple_tag
def due_state(case) -> str:
    """ "overdue", "soon", "paused" or "" for an open case's response deadline."""
    if case.status not in case.AWAITING_ANSWER or case.response_due_at is None:
        return ""
    if case.paused_since:
        return "paused"
    now = timezone.now()
    if case.response_due_at < now:
        return "overdue"
    if case.response_due_at < now + datetime.timedelta(
        hours=settings.COMPLAINTS_DUE_SOON_HOURS
    ):
        return "soon"
    return ""


DUE_LABELS = {
    "overdue": (_("Overdue"), "text-bg-danger"),
    "soon": (_("Due soon"), "text-bg-warning"),
    "paused": (_("Paused"), "text-bg-secondary"),
}


@register.inclusion_tag("complaints/partials/_due_badge.html")
def due_badge(case):
    state = due_state(case)
    label, css = DUE_LABELS.get(state, ("", ""))
    return {"label": label, "css": css, "case": case}


@register.filter
def case_status_class(status: str) -> str:
    return {
        "received": "text-bg-info",
        "acknowledged": "text-bg-info",
        "investigating": "text-bg-primary",
        "decided": "text-bg-warning",
        "communicated": "text-bg-warning",
        "review": "text-bg-danger",
        "closed": "text-bg-secondary",
    }.get(status, "text-bg-secondary")
