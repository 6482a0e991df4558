"""Template helpers shared by every app."""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from qms.fieldhtml import bootstrap_field, bootstrap_form

register = template.Library()

HISTORY_LIMIT = 50

_TYPE_LABELS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def _display(record, field_name: str, value, names: dict):
    """A field value as a person reads it (choice labels, related names)."""
    field = record.instance_type._meta.get_field(field_name)
    if field.many_to_many:
        key = field.related_model._meta.model_name
        labels = [names.get((key, item[key]), "?") for item in value or []]
        return ", ".join(sorted(labels)) or "—"
    if value in (None, ""):
        return "—"
    if getattr(field, "choices", None):
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        return names.get((field.related_model._meta.model_name, value), value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


def _related_names(record_changes) -> dict:
    """Names of every related object the changes mention: one query per model."""
    wanted: dict = {}
    for record, changes in record_changes:
        meta = record.instance_type._meta
        for change in changes:
            field = meta.get_field(change.field)
            if not field.is_relation:
                continue
            model = field.related_model
            key = model._meta.model_name
            values = [change.old, change.new]
            if field.many_to_many:
                ids = {item[key] for v in values for item in v or []}
            else:
                ids = {v for v in values if v is not None}
            wanted.setdefault(model, set()).update(ids)
    return {
        (model._meta.model_name, obj.pk): _label(obj)
        for model, ids in wanted.items()
        for obj in model._default_manager.filter(pk__in=ids)
    }


def _label(obj) -> str:
    # People are shown by name, not by login.
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() if full_name else "") or str(obj)


@register.inclusion_tag("partials/_history.html")
def history_table(obj, limit: int = HISTORY_LIMIT):
    """Who changed what and when on ``obj`` (django-simple-history), newest first.

    Runs one query for the records plus one per related model the changes name.
    """
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-pk")[
            : limit + 1
        ]
    )
    record_changes = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            changes = record.diff_against(previous).changes
            if not changes:
                # A save that changed nothing visible (e.g. a repeated save).
                continue
        record_changes.append((record, changes))
    names = _related_names(record_changes)
    rows = []
    for record, changes in record_changes:
        meta = record.instance_type._meta
        rows.append(
            {
                "record": record,
                "type": _TYPE_LABELS.get(record.history_type, record.history_type),
                "changes": [
                    {
                        "field": meta.get_field(c.field).verbose_name,
                        "old": _display(record, c.field, c.old, names),
                        "new": _display(record, c.field, c.new, names),
                    }
                    for c in changes
                ],
                "reason": record.history_change_reason,
            }
        )
    return {"rows": rows, "truncated": len(records) > limit}


@register.filter
def status_class(status: str) -> str:
    """Bootstrap badge colour for a workflow status (text is always shown too)."""
    return {
        "draft": "text-bg-secondary",
        "in_review": "text-bg-warning",
        "approved": "text-bg-success",
        "superseded": "text-bg-light border",
    }.get(status, "text-bg-secondary")


@register.filter
def p_value(value) -> str:
    """A p-value as a reader expects it: four decimals, tiny ones as < 0.0001."""
    if value is None or value == "":
        return "—"
    value = float(value)
    if value < 0.0001:
        return "< 0.0001"
    return formats.number_format(value, 4)


_METHOD_LABELS = {
    "two_proportion_z": _("two-proportion z-test"),
    "fisher_exact": _("Fisher's exact test"),
    "welch_t": _("Welch's t-test"),
    "chi_square": _("chi-square test"),
    "chi_square_goodness_of_fit": _("chi-square goodness-of-fit test"),
    "mann_whitney_normal": _("Mann-Whitney test"),
    "nps_difference_z": _("z-test for the NPS difference"),
    "poisson_conditional_binomial": _("exact Poisson rate comparison"),
    "small_expected_counts": _("small counts: read with care"),
    "no_variation": _("no variation in the data"),
}


@register.filter
def method_label(key: str) -> str:
    """The readable name of a statistical method or warning key."""
    return _METHOD_LABELS.get(key, key)


@register.filter
def measure_label(key: str) -> str:
    """The label of a registered measure, or the key if it is unknown."""
    from qms import measures

    try:
        return measures.get(key).label
    except KeyError:
        return key


@register.filter
def as_field(field):
    """``{{ form.field|as_field }}``: the field as ``|as_crispy_field`` renders
    it, written without crispy's template stack (see qms.fieldhtml)."""
    return bootstrap_field(field)


@register.filter
def as_form(form):
    """``{{ form|as_form }}``: the form as ``{% crispy form %}`` renders it
    for a helper without layout, form tag or CSRF input (qms.fieldhtml)."""
    return bootstrap_form(form)


_FIRST_STEPS = {"create": _("Created"), "register": _("Registered")}


@register.inclusion_tag("partials/_status_history.html")
def status_history(record, changes=None):
    """Who moved ``record`` from which status to which, by which step and
    why, oldest first, in the reader's language (``qms.workflow``). Pass
    ``changes`` when the page prefetched them; else one query."""
    from qms.workflow import workflow_for

    workflow = workflow_for(type(record))
    if workflow is None:
        return {"rows": []}
    if changes is None:
        changes = workflow.history(record)
    rows = []
    for change in changes:
        action = workflow.by_name.get(change.action)
        rows.append(
            {
                "at": change.at,
                "step": action.label if action else _FIRST_STEPS.get(change.action, ""),
                "from": workflow.status_label(change.from_status)
                if change.from_status
                else "",
                "to": workflow.status_label(change.to_status),
                "by": _label(change.by) if change.by else "",
                "comment": change.comment,
            }
        )
    return {"rows": rows}


@register.simple_tag(takes_context=True)
def panels(context, slot: str, record=None):
    """The panels other areas registered for ``slot`` of this page (see
    qms.panels)."""
    from qms import panels as registry

    return registry.render(slot, context["request"], record)


@register.inclusion_tag("partials/_workflow_actions.html")
def workflow_actions(
    record, url_name: str, user=None, key=None, only: str = "", exclude: str = ""
):
    """A button (with its comment) for each workflow step open now on
    ``record`` to ``user``; each posts the step's name and target status to
    ``url_name`` (the area's step view, reversed with ``key``, by default the
    record's pk; or a URL already reversed, starting with "/").
    ``only``/``exclude`` (space-separated step names) leave out the steps a
    page offers through a form of their own. No query beyond the
    user's permissions."""
    from django.urls import reverse

    from qms.workflow import workflow_for

    workflow = workflow_for(type(record))
    available = workflow.available(record, user) if workflow else []
    steps = [
        action
        for action in available
        if (not only or action.name in only.split())
        and action.name not in exclude.split()
    ]
    return {
        "url": url_name
        if url_name.startswith("/")
        else reverse(url_name, args=[record.pk if key is None else key]),
        "steps": [{"action": action, "id": f"step-{action.name}"} for action in steps],
        # The page offers the other steps itself: no "nothing open" note.
        "quiet": bool(only) or len(steps) < len(available),
    }
