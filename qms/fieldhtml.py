"""Form fields as crispy-forms' Bootstrap 5 ``field.html`` renders them, built
in Python.

``{{ form.field|as_crispy_field }}`` renders a field through a stack of
templates (crispy's field wrapper, its help-text and error includes, Django's
widget template and one ``<option>`` template per choice). On the work queue,
whose filter has a dozen fields and lists of every channel, category, unit and
handler, that was about half of the page's CPU time. :func:`bootstrap_field`
writes the same markup (same elements, attributes, labels, selected values,
help texts, errors and ARIA attributes; ``tests/qms/test_fieldhtml.py``
compares the two) for the plain widgets — text-like inputs, selects and
checkboxes — and leaves any other widget to crispy.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

# Widgets whose markup is written here; anything else goes through crispy.
_INPUTS = (
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
)


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{esc(value)}"')
    return "".join(parts)


def _css(widget: forms.Widget, extra: str) -> str:
    """The class crispy's ``{% crispy_field %}`` gives the widget: its own
    classes, the widget's class name, then ``extra``'s classes not yet in."""
    name = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    if css:
        if css.find(name) == -1:
            css += f" {name}"
    else:
        css = name
    have = css.split()
    for cls in extra.split():
        if cls not in have:
            css += f" {cls}"
            have.append(cls)
    return css


def _widget_attrs(field: BoundField, widget: forms.Widget, css: str) -> dict:
    """What BoundField.as_widget() hands to the widget's template."""
    extra = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        extra.setdefault("id", field.auto_id)
    return widget.build_attrs({**widget.attrs, "class": css}, extra)


def _select(field: BoundField, widget: forms.Select, attrs: dict) -> str | None:
    multiple = widget.allow_multiple_selected
    if multiple:
        attrs["multiple"] = True
    chosen = widget.format_value(field.value())
    options = []
    has_selected = False
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None  # option groups: left to Django's templates
        value = "" if value is None else str(value)
        selected = (not has_selected or multiple) and value in chosen
        has_selected |= selected
        options.append(
            f'<option value="{esc(value)}"{" selected" if selected else ""}>'
            f"{esc(label)}</option>"
        )
    return (
        f'<select name="{esc(field.html_name)}"{_attrs(attrs)}>'
        + "".join(options)
        + "</select>"
    )


def _input(field: BoundField, widget: forms.Input, attrs: dict) -> str:
    value = widget.format_value(field.value())
    shown = "" if value is None else f' value="{esc(value)}"'
    return (
        f'<input type="{esc(widget.input_type)}" '
        f'name="{esc(field.html_name)}"{shown}{_attrs(attrs)}>'
    )


def _checkbox(field: BoundField, widget: forms.CheckboxInput, attrs: dict) -> str:
    value = field.value()
    if widget.check_test(value):
        attrs["checked"] = True
    shown = widget.format_value(value)
    shown = "" if shown is None else f' value="{esc(shown)}"'
    return (
        f'<input type="checkbox" name="{esc(field.html_name)}"{shown}{_attrs(attrs)}>'
    )


def _textarea(field: BoundField, widget: forms.Textarea, attrs: dict) -> str:
    value = widget.format_value(field.value())
    return (
        f'<textarea name="{esc(field.html_name)}"{_attrs(attrs)}>\n'
        f"{esc(value) if value else ''}</textarea>"
    )


def _label(field: BoundField, css: str) -> str:
    required = field.field.required
    star = '<span class="asteriskField">*</span>' if required else ""
    target = field.id_for_label
    for_attr = f' for="{esc(target)}"' if target else ""
    return (
        f"<label{for_attr} "
        f'class="{css}{" requiredField" if required else ""}">'
        f"{esc(field.label)}{star}</label>"
    )


def _help_and_errors(field: BoundField, error_tag: str) -> str:
    out = []
    errors = field.errors
    if errors:
        out.append(f'<div id="{esc(errors.field_id)}_error" class="invalid-feedback">')
        for number, error in enumerate(errors, start=1):
            out.append(
                f'<{error_tag} id="error_{number}_{esc(field.auto_id)}">'
                f"<strong>{esc(error)}</strong></{error_tag}>"
            )
        out.append("</div>")
    if field.help_text:
        ident = f'id="{esc(field.auto_id)}_helptext" ' if field.auto_id else ""
        out.append(f'<div {ident}class="form-text">{field.help_text}</div>')
    return "".join(out)


def _error_tag(helper) -> str | None:
    """How the form's crispy helper shows errors: "p" (a block, also without
    a helper), "span" (inline, the helper's default); None when the helper
    asks for something not written here."""
    if helper is None:
        return "p"
    if helper.help_text_inline or not helper.form_show_labels:
        return None
    if not helper.form_show_errors or helper.label_class or helper.field_class:
        return None
    if helper.field_template or "form-horizontal" in (helper.form_class or ""):
        return None
    return "span" if helper.error_text_inline else "p"


def bootstrap_field(field: BoundField) -> SafeString:
    """``field`` as ``{{ field|as_crispy_field }}`` renders it (labels and
    errors shown; errors as the form's crispy helper says)."""
    widget = field.field.widget
    error_tag = _error_tag(getattr(field.form, "helper", None))
    if error_tag is None or field.use_fieldset:
        return _crispy(field)
    if field.is_hidden:
        return mark_safe(str(field))
    invalid = " is-invalid" if field.errors else ""
    wrapper_css = field.css_classes()
    wrapper_css = f" {wrapper_css}" if wrapper_css else ""
    if isinstance(widget, forms.CheckboxInput):
        attrs = _widget_attrs(field, widget, _css(widget, "form-check-input" + invalid))
        required = field.field.required
        star = '<span class="asteriskField">*</span>' if required else ""
        return mark_safe(
            f'<div class="mb-3"><div id="div_{esc(field.auto_id)}" '
            f'class="form-check{wrapper_css}">'
            f"{_checkbox(field, widget, attrs)}"
            f'<label for="{esc(field.id_for_label)}" class="form-check-label'
            f'{" requiredField" if required else ""}">'
            f"{esc(field.label)}{star}</label>"
            f"{_help_and_errors(field, error_tag)}</div></div>"
        )
    if isinstance(widget, forms.Select) and not isinstance(
        widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)
    ):
        attrs = _widget_attrs(field, widget, _css(widget, "form-select" + invalid))
        control = _select(field, widget, attrs)
    elif isinstance(widget, _INPUTS):
        attrs = _widget_attrs(field, widget, _css(widget, "form-control" + invalid))
        control = _input(field, widget, attrs)
    elif isinstance(widget, forms.Textarea):
        attrs = _widget_attrs(field, widget, _css(widget, "form-control" + invalid))
        control = _textarea(field, widget, attrs)
    else:
        control = None
    if control is None:
        return _crispy(field)
    label = _label(field, "form-label") if field.label else ""
    return mark_safe(
        f'<div id="div_{esc(field.auto_id)}" class="mb-3{wrapper_css}">'
        f"{label}{control}{_help_and_errors(field, error_tag)}</div>"
    )


def bootstrap_form(form: forms.BaseForm) -> SafeString:
    """``{% crispy form %}`` for a form whose helper only turns off the form
    tag and the CSRF input (no layout, no buttons): its fields one after the
    other. Anything else, and a form with errors of its own, goes to crispy."""
    helper = getattr(form, "helper", None)
    plain = (
        helper is not None
        and not helper.form_tag
        and helper.disable_csrf
        and helper.layout is None
        and not helper.inputs
        and not (helper.include_media and str(form.media))
        and _error_tag(helper) is not None
        and not (form.is_bound and form.non_field_errors())
    )
    if not plain:
        from crispy_forms.utils import render_crispy_form

        return mark_safe(render_crispy_form(form, helper))
    return mark_safe("".join(bootstrap_field(field) for field in form))


def _crispy(field: BoundField) -> SafeString:
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    return as_crispy_field(field)
