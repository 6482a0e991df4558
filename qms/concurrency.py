"""No lost updates: an edit form remembers the record as it was when the form
was opened, and refuses to save over changes someone else made meanwhile.

A model form that mixes in :class:`ConcurrentEditMixin` carries a hidden field
with a signed snapshot of its fields' values at load time. On submit, the
record is read again: if any of the form's fields changed in the database
since the snapshot, the form is invalid, the message says so, and each changed
field gets an error naming its current value. The snapshot in the re-rendered
form is the current one, so after checking, the user saves again on purpose.

Records that inherit :class:`Versioned` carry an integer ``row_version``
that every write increments: ``save()``, queryset ``update()`` and
``bulk_update()`` alike (a bulk writer that bypasses all three must add
``row_version=F("row_version") + 1`` itself). Their save is conditional on
the version the copy was read at (for an edit form: the version the form
was opened at), in the database (``UPDATE … WHERE row_version = n``), so no
stale copy overwrites a newer row, also when two requests race. If the row
moved on, the save writes only the fields this copy changed, unless someone
else changed one of them too: then :class:`EditConflict` (a
``ValidationError`` naming the fields and their present values) is raised
and nothing is written. So an edit never undoes a status change made
meanwhile and never writes erased personal data back; and as it still goes
through ``save()``, the history row and the model signals follow as for any
other save.

A form opened before this existed, or a client posting without the field,
is not checked.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STATE_FIELD = "loaded_state"
SALT = "qms.concurrency"
VERSION_FIELD = "row_version"
# Key of the version inside the signed state (no form field starts with "__").
_VERSION_KEY = "__row_version__"

ERR_CHANGED_MEANWHILE = _(
    "Someone else saved this record after you opened it, so your changes were "
    "not saved. The fields marked below changed meanwhile: check them, then "
    "save again to keep your version."
)
ERR_FIELD_CHANGED = _("Changed by someone else meanwhile; now: %(value)s")
ERR_BAD_STATE = _("The form was tampered with or is too old. Open it again.")


class VersionedQuerySet(models.QuerySet):
    """Every ``update()`` (and so every ``bulk_update()``) moves the version."""

    def update(self, **kwargs: Any) -> int:
        kwargs.setdefault(VERSION_FIELD, F(VERSION_FIELD) + 1)
        return super().update(**kwargs)


class EditConflict(ValidationError):
    """A save from a copy of a record that someone else changed meanwhile,
    in a field this save changes too. Nothing was written. ``fresh`` is the
    record as it is now; the error names each field and its present value."""

    def __init__(self, fresh: models.Model, fields: list[str]) -> None:
        self.fresh = fresh
        self.fields = fields
        errors: dict[str, list] = {NON_FIELD_ERRORS: [ERR_CHANGED_MEANWHILE]}
        for name in fields:
            errors[name] = [ERR_FIELD_CHANGED % {"value": _display(fresh, name)}]
        super().__init__(errors)


class Versioned(models.Model):
    """An editable record with optimistic concurrency (see the module
    docstring). A model with a queryset of its own bases it on
    :class:`VersionedQuerySet`.

    An instance remembers the values it was read with. Saving it is an
    ``UPDATE … WHERE row_version = <as read>``: one query, as before. If the
    row moved on meanwhile, the row is read again under a lock and the save
    writes only what this copy changed, unless the other writer changed one
    of those fields too: then it raises :class:`EditConflict` and writes
    nothing. No save from a stale copy overwrites someone else's change."""

    row_version = models.PositiveIntegerField(
        _("row version"), default=1, editable=False
    )

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, VERSION_FIELD}
        read_as = self._baseline()
        adding = self._state.adding
        # Guarded when this copy knows the version it was read at; a copy
        # built by hand (or read without the version) still moves it on.
        self._row_version_increment = not adding and (
            read_as is None or VERSION_FIELD not in read_as
        )
        try:
            super().save(*args, **kwargs)
        finally:
            increment, self._row_version_increment = self._row_version_increment, False
        if increment:
            # The database added one to whatever it held; this copy no
            # longer knows the version, so its next save is unguarded too.
            self._read_as = {
                f.attname: getattr(self, f.attname)
                for f in self._meta.concrete_fields
                if f.attname != VERSION_FIELD
            }
        else:
            # Inserted (version 1) or saved under the guard: known exactly.
            self._read_as = {
                f.attname: getattr(self, f.attname) for f in self._meta.concrete_fields
            }

    def _baseline(self) -> dict[str, Any] | None:
        """The field values this copy was read with (attname → value)."""
        raw = self.__dict__.pop("_read_as_raw", None)
        if raw is not None:
            self._read_as = dict(zip(*raw, strict=True))
        return self.__dict__.get("_read_as")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Kept as read; made a dict only if this copy is saved (a list or an
        # export reads thousands of rows and saves none).
        instance._read_as_raw = (field_names, values)
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None) -> None:
        super().refresh_from_db(using, fields, from_queryset)
        read_as = self._baseline()
        if read_as is not None:
            names = (
                [self._meta.get_field(name).attname for name in fields]
                if fields
                else [f.attname for f in self._meta.concrete_fields]
            )
            read_as.update({name: getattr(self, name) for name in names})

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        read_as = self._baseline()
        if (
            getattr(self, "_row_version_increment", True)
            or read_as is None
            or VERSION_FIELD not in read_as
        ):
            values = [
                (f, model, F(VERSION_FIELD) + 1 if f.attname == VERSION_FIELD else v)
                for f, model, v in values
            ]
            return super()._do_update(
                base_qs, using, pk_val, values, update_fields, forced_update
            )
        seen = read_as[VERSION_FIELD]
        claimed = [
            (f, model, seen + 1 if f.attname == VERSION_FIELD else v)
            for f, model, v in values
        ]
        # The usual case: nobody wrote since this copy was read. One query.
        if base_qs.filter(pk=pk_val, row_version=seen)._update(claimed) > 0:
            self.row_version = seen + 1
            return True
        # The row moved on: merge or refuse, under the row's lock (held to
        # the end of the caller's transaction, or of this one). Like any
        # error in save(), a refusal spoils the caller's transaction: the
        # caller rolls back, as a service's atomic block does.
        with transaction.atomic(using=using, savepoint=False):
            return self._merge(base_qs, pk_val, values, read_as)

    def _merge(self, base_qs, pk_val, values, read_as) -> bool:
        fresh = base_qs.select_for_update().filter(pk=pk_val).first()
        if fresh is None:
            return False
        # Stamps (the version, auto_now times) change with every save: they
        # are nobody's edit.
        stamps = {VERSION_FIELD} | {
            f.attname
            for f in self._meta.concrete_fields
            if getattr(f, "auto_now", False)
        }
        mine = {
            f.attname
            for f, _model, _v in values
            if f.attname not in stamps
            and f.attname in read_as
            and getattr(self, f.attname) != read_as[f.attname]
        }
        theirs = {
            name
            for name, value in read_as.items()
            if name not in stamps and getattr(fresh, name) != value
        }
        clashes = mine & theirs
        if clashes:
            names = {f.attname: f.name for f in self._meta.concrete_fields}
            raise EditConflict(fresh, sorted(names[name] for name in clashes))
        self.row_version = fresh.row_version + 1
        # Only what this copy changed (and what saves always stamp).
        base_qs.filter(pk=pk_val)._update(
            [
                (f, model, self.row_version if f.attname == VERSION_FIELD else v)
                for f, model, v in values
                if f.attname in mine or f.attname in stamps
            ]
        )
        # What the others wrote is now this copy's too.
        for name in theirs:
            setattr(self, name, getattr(fresh, name))
        return True


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


def _sign(instance: models.Model, names: list[str]) -> str:
    state = snapshot(instance, names)
    if isinstance(instance, Versioned):
        state[_VERSION_KEY] = instance.row_version
    return signing.dumps(state, salt=SALT, compress=True)


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
        self.initial[STATE_FIELD] = _sign(self.instance, self._tracked())

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
        loaded_version = loaded.pop(_VERSION_KEY, None)
        self._loaded = loaded
        fresh = type(self.instance)._base_manager.get(pk=self.instance.pk)
        if not self._refuse_if_changed(fresh):
            baseline = getattr(self.instance, "_baseline", None)
            read_as = baseline() if baseline else None
            if loaded_version is not None and read_as is not None:
                # The save is conditional on the version the form was opened at.
                read_as[VERSION_FIELD] = loaded_version
        return data

    def show_conflict(self, error: EditConflict) -> None:
        """Show a conflict found while saving (see :class:`EditConflict`)."""
        self.conflicts = list(error.fields)
        self._show(error.fresh)

    def _refuse_if_changed(self, fresh: models.Model) -> bool:
        """Mark the fields changed since the form was opened; True if any."""
        names = self._tracked()
        current = snapshot(fresh, names)
        self.conflicts = [
            name
            for name in names
            if name in self._loaded
            and name in current
            and self._loaded[name] != current[name]
        ]
        if not self.conflicts:
            return False
        self._show(fresh)
        return True

    def _show(self, fresh: models.Model) -> None:
        """Errors on ``self.conflicts``; the re-rendered form carries
        today's state, so saving again is a choice."""
        self.data = self.data.copy()
        self.data[self.add_prefix(STATE_FIELD)] = _sign(fresh, self._tracked())
        self.add_error(None, ERR_CHANGED_MEANWHILE)
        for name in self.conflicts:
            if name in self.fields:
                self.add_error(
                    name, ERR_FIELD_CHANGED % {"value": _display(fresh, name)}
                )
