"""Template helpers of the complaints pages."""

import datetime

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from complaints.models import Case

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


@register.simple_tag
def due_badge(case) -> str:
    """The deadline badge of an open case ("" when none applies). Written
    here rather than through a template: the work queue shows one per row."""
    state = due_state(case)
    if not state:
        return ""
    label, css = DUE_LABELS[state]
    return format_html('<span class="badge {}">{}</span>', css, label)


# Labels of the case's choices, looked up directly: Model.get_FOO_display()
# hashes every (lazily translated) choice on each call, which the work queue
# paid twice per row.
_KIND_LABELS = dict(Case.Kind.choices)
_STATUS_LABELS = dict(Case.Status.choices)


@register.filter
def kind_label(kind: str) -> str:
    """What ``case.get_kind_display`` shows, for a list of cases."""
    return _KIND_LABELS.get(kind, kind)


@register.filter
def status_label(status: str) -> str:
    """What ``case.get_status_display`` shows, for a list of cases."""
    return _STATUS_LABELS.get(status, status)


_STATUS_CLASSES = {
    "received": "text-bg-info",
    "acknowledged": "text-bg-info",
    "investigating": "text-bg-primary",
    "decided": "text-bg-warning",
    "communicated": "text-bg-warning",
    "review": "text-bg-danger",
    "closed": "text-bg-secondary",
}


@register.filter
def case_status_class(status: str) -> str:
    return _STATUS_CLASSES.get(status, "text-bg-secondary")
