"""No lost updates: an edit form remembers the record as it was when the form
was opened, and refuses to save over changes someone else made meanwhile.

A model form that mixes in :class:`ConcurrentEditMixin` carries a hidden field
with a signed snapshot of its fields' values at load time. On submit, the
record is read again: if any of the form's fields changed in the database
since the snapshot, the form is invalid, the message says so, and each changed
field gets an error naming its current value. The snapshot in the re-rendered
form is the current one, so after checking, the user saves again on purpose.

This needs no version column, so it works for any model form (records of apps
whose migrations are not ours included). A form opened before this existed, or
a client posting without the field, is not checked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

STATE_FIELD = "loaded_state"
SALT = "qms.concurrency"

ERR_CHANGED_MEANWHILE = _(
    "Someone else saved this record after you opened it, so your changes were "
    "not saved. The fields marked below changed meanwhile: check them, then "
    "save again to keep your version."
)
ERR_FIELD_CHANGED = _("Changed by someone else meanwhile; now: %(value)s")
ERR_BAD_STATE = _("The form was tampered with or is too old. Open it again.")


def _model_field(instance: models.Model, name: str) -> models.Field | None:
    try:
        return instance._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None


def snapshot(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The stored values of ``names`` (form field names that are model fields),
    as JSON-safe values. Runs one query per many-to-many field."""
    state: dict[str, Any] = {}
    for name in names:
        field = _model_field(instance, name)
        if field is None:
            continue
        if field.many_to_many:
            state[name] = sorted(
                str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)
            )
        elif field.concrete:
            state[name] = field.value_to_string(instance)
    return state


def _display(instance: models.Model, name: str) -> str:
    field = instance._meta.get_field(name)
    if field.many_to_many:
        value = ", ".join(str(o) for o in getattr(instance, name).all())
    elif field.choices:
        value = getattr(instance, f"get_{name}_display")()
    else:
        value = getattr(instance, name)
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
    text = str(value) if value not in (None, "") else "—"
    return text if len(text) <= 200 else text[:199] + "…"


class ConcurrentEditMixin:
    """Mix into a ``ModelForm`` (before it) to refuse saving over a newer
    version of the record. ``conflicts`` lists the changed field names."""

    conflicts: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.conflicts = []
        if self.instance.pk is None:
            return
        self.fields[STATE_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False
        )
        self.initial[STATE_FIELD] = signing.dumps(
            snapshot(self.instance, self._tracked()), salt=SALT, compress=True
        )

    def _tracked(self) -> list[str]:
        return [name for name in self.fields if name != STATE_FIELD]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        posted = data.pop(STATE_FIELD, "") if data else ""
        if self.instance.pk is None or not posted:
            return data
        try:
            loaded = signing.loads(posted, salt=SALT)
        except signing.BadSignature:
            raise forms.ValidationError(ERR_BAD_STATE) from None
        fresh = type(self.instance)._default_manager.get(pk=self.instance.pk)
        names = self._tracked()
        current = snapshot(fresh, names)
        self.conflicts = [
            name
            for name in names
            if name in loaded and name in current and loaded[name] != current[name]
        ]
        if not self.conflicts:
            return data
        # Re-rendered, the form carries today's state: saving again is a choice.
        self.data = self.data.copy()
        self.data[self.add_prefix(STATE_FIELD)] = signing.dumps(
            current, salt=SALT, compress=True
        )
        self.add_error(None, ERR_CHANGED_MEANWHILE)
        for name in self.conflicts:
            self.add_error(name, ERR_FIELD_CHANGED % {"value": _display(fresh, name)})
        return data
