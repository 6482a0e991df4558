"""One workflow kernel: every record with a status changes it here.

A workflow is declared once per model, next to its services::

    PROMISE = Workflow(
        log=PromiseTransition,  # a StatusChange subclass with a FK to Promise
        actions=[
            Action("submit", _("Submit for approval"), {S.DRAFT}, S.IN_REVIEW),
            Action("retire", _("Retire"), {S.PUBLISHED}, S.RETIRED,
                   needs_comment=True, permission="promises.change_promise"),
        ],
    )
    PROMISE.transition(promise, "submit", by=user)

:meth:`Workflow.transition` is the one writer of the status field. It locks
the row, checks the allowed-transitions map, the record's kind and the
action's guard, lets the action's effect set the milestone fields it implies
(decided at, closed at …), saves only the fields that changed, appends the
status-change row in the same transaction and sends :data:`status_changed`
after the commit. A refused transition raises ``ValidationError`` (or
``PermissionDenied``) with a message a person can read, and writes nothing.

The views use :func:`run_transition` and the partials
``partials/_workflow_actions.html`` (the buttons, each its own form) and
``partials/_status_history.html`` (who moved the record, when, from, to, why).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Sent after the transaction that changed a status commits, with
#: ``instance`` (the record as saved), ``change`` (the StatusChange row),
#: ``action`` (its name) and ``by`` (the user or None).
status_changed = Signal()

#: Every declared workflow by its model, once its module is imported (see
#: :func:`workflow_for`).
WORKFLOWS: dict[type[models.Model], Workflow] = {}

ERR_TRANSITION = _("A record in status “%(status)s” cannot be “%(action)s”.")
ERR_UNKNOWN_ACTION = _("“%(action)s” is not a step of this workflow.")
ERR_NEEDS_COMMENT = _("Give the reason in the comment.")
ERR_NO_PERMISSION = _("You may not take the step “%(action)s”.")


class StatusChange(models.Model):
    """Append-only log of one record's status changes: who, when, from, to,
    by which action and why. A subclass adds the foreign key to its record
    (``on_delete=PROTECT``: the log is a quality record)."""

    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    # Empty only for rows logged before actions had names and whose action
    # could not be told from the map (see each app's migration).
    action = models.CharField(_("action"), max_length=40, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Indexed: monitoring counts the changes of a period (reopen rate,
    # time in status).
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"


@dataclass(frozen=True)
class Action:
    """One step: from which statuses (``sources``) to which (``target``).

    ``kinds``: the step exists only for records whose kind (see
    ``Workflow.kind``) is one of these. ``permission``: what the acting user
    needs beyond reaching the record. ``guard(record, by=…, comment=…,
    **data)`` raises ``ValidationError`` when the record is not ready.
    ``effect(record, by=…, now=…, comment=…, **data)`` sets the fields the
    step implies and returns their names.
    """

    name: str
    label: str | Promise
    sources: frozenset[str] | set[str]
    target: str
    # True, or the message to show when the comment is missing.
    needs_comment: bool | str | Promise = False
    permission: str = ""
    # What a person without the permission is told (a generic line if empty).
    denied: str | Promise = ""
    kinds: frozenset[str] | set[str] | None = None
    guard: Callable[..., None] | None = None
    effect: Callable[..., Iterable[str] | None] | None = None
    # "danger" for steps that end or undo something; "primary" for the
    # usual next step. Only the button's colour: the label says it.
    style: str = "outline-secondary"


class Workflow:
    """The allowed-transitions map of one model and the one function that
    moves its records (see the module docstring).

    ``kind``: the record's kind for ``Action.kinds`` (a field name or a
    function). ``actor_check(record, by)`` runs before anything else (who may
    act on this record at all). ``validate``: run the model's ``full_clean()``
    before saving, for models whose ``clean()`` checks what a step implies.
    ``refusal``: the message of a step not open now, with ``%(status)s`` and
    ``%(action)s``.
    """

    def __init__(
        self,
        *,
        log: type[StatusChange],
        actions: list[Action],
        field: str = "status",
        kind: str | Callable[[models.Model], str] | None = None,
        actor_check: Callable[[models.Model, Any], None] | None = None,
        validate: bool = False,
        refusal: str | Promise = ERR_TRANSITION,
    ) -> None:
        self.log = log
        self.actions = actions
        self.field = field
        self.kind = kind
        self.actor_check = actor_check
        self.validate = validate
        # "… in status %(status)s cannot be %(action)s", in the area's words.
        self.refusal = refusal
        self.by_name = {action.name: action for action in actions}
        (self.log_fk,) = [
            f.name
            for f in log._meta.concrete_fields
            if f.many_to_one and f.name != "by"
        ]
        self.model = log._meta.get_field(self.log_fk).related_model
        WORKFLOWS[self.model] = self

    # -- reading ----------------------------------------------------------

    def status_label(self, value: str) -> str:
        choices = self.model._meta.get_field(self.field).flatchoices
        return str(dict(choices).get(value, value or "—"))

    def kind_of(self, record: models.Model) -> str | None:
        if self.kind is None:
            return None
        if callable(self.kind):
            return self.kind(record)
        return getattr(record, self.kind)

    def allows(self, record: models.Model, action: Action) -> bool:
        """Whether ``action`` is a step from the record's present status."""
        if getattr(record, self.field) not in action.sources:
            return False
        return action.kinds is None or self.kind_of(record) in action.kinds

    def available(self, record: models.Model, user=None) -> list[Action]:
        """The steps open now, in declaration order; with ``user``, only those
        the user holds the permission for."""
        return [
            action
            for action in self.actions
            if self.allows(record, action)
            and (
                user is None
                or not action.permission
                or user.has_perm(action.permission)
            )
        ]

    def history(self, record: models.Model) -> models.QuerySet:
        return self.log.objects.filter(**{self.log_fk: record}).select_related("by")

    def action(self, name: str) -> Action:
        try:
            return self.by_name[name]
        except KeyError:
            raise ValidationError(ERR_UNKNOWN_ACTION % {"action": name}) from None

    # -- writing ----------------------------------------------------------

    def refuse(
        self, record: models.Model, action: Action | None = None, *, to: str = ""
    ) -> ValidationError:
        """The refusal of a step that is not open now. ``refusal`` may name
        the status (``%(status)s`` = ``%(from)s``), the step (``%(action)s``)
        and its target (``%(to)s``)."""
        target = action.target if action is not None else to
        status = self.status_label(getattr(record, self.field))
        return ValidationError(
            self.refusal
            % {
                "status": status,
                "from": status,
                "action": action.label if action is not None else target,
                "to": self.status_label(target),
            }
        )

    def action_to(self, record: models.Model, to: str) -> Action:
        """The step that takes the record from its status to ``to``."""
        for action in self.actions:
            if action.target == to and self.allows(record, action):
                return action
        raise self.refuse(record, to=to)

    def step_between(self, from_status: str, to_status: str) -> str:
        """The name of the step from one status to another, for writers that
        log history in bulk (demo data, imports): "create" for a first row,
        "" when no one step joins the two."""
        if not from_status:
            return "create"
        for action in self.actions:
            if from_status in action.sources and action.target == to_status:
                return action.name
        return ""

    def targets(self, record: models.Model, user=None) -> list[tuple[str, str]]:
        """(status, label) of each status one open step reaches, for a
        "new status" choice."""
        seen: dict[str, str] = {}
        for action in self.available(record, user):
            seen.setdefault(action.target, self.status_label(action.target))
        return list(seen.items())

    def transition_to(
        self, record: models.Model, to: str, *, by, comment: str = "", **data: Any
    ) -> models.Model:
        """:meth:`transition` by the status to reach instead of the step."""
        action = self.action_to(record, to)
        return self.transition(record, action.name, by=by, comment=comment, **data)

    def transition(
        self,
        record: models.Model,
        name: str,
        *,
        by,
        comment: str = "",
        **data: Any,
    ) -> models.Model:
        """Apply the step ``name`` to ``record`` (see the module docstring).

        Returns the record as saved; ``record`` itself is refreshed too, so a
        caller holding it sees the new status and milestones."""
        action = self.action(name)
        comment = (comment or "").strip()
        if self.actor_check is not None:
            self.actor_check(record, by)
        if action.permission and (by is None or not by.has_perm(action.permission)):
            raise PermissionDenied(
                action.denied or ERR_NO_PERMISSION % {"action": action.label}
            )
        if not self.allows(record, action):
            raise self.refuse(record, action)
        if action.needs_comment and not comment:
            message = action.needs_comment
            raise ValidationError(
                {"comment": ERR_NEEDS_COMMENT if message is True else message}
            )
        with transaction.atomic():
            locked = type(record)._base_manager.select_for_update().get(pk=record.pk)
            if not self.allows(locked, action):
                # Someone else moved it meanwhile.
                raise self.refuse(locked, action)
            if action.guard is not None:
                action.guard(locked, by=by, comment=comment, **data)
            now = timezone.now()
            from_status = getattr(locked, self.field)
            # auto_now fields are written only when named.
            changed = {self.field} | {
                f.name
                for f in locked._meta.concrete_fields
                if getattr(f, "auto_now", False)
            }
            if action.effect is not None:
                changed.update(
                    action.effect(locked, by=by, now=now, comment=comment, **data) or ()
                )
            setattr(locked, self.field, action.target)
            locked._history_user = by
            locked._change_reason = comment[:100]
            if self.validate:
                locked.full_clean()
            locked.save(update_fields=changed)
            change = self.log.objects.create(
                **{self.log_fk: locked},
                from_status=from_status,
                to_status=action.target,
                action=action.name,
                by=by,
                comment=comment,
                at=now,
            )
            transaction.on_commit(
                lambda: status_changed.send(
                    sender=type(locked),
                    instance=locked,
                    change=change,
                    action=action.name,
                    by=by,
                )
            )
        for model_field in locked._meta.concrete_fields:
            setattr(record, model_field.attname, getattr(locked, model_field.attname))
        return locked

    def log_created(self, record: models.Model, *, by, comment: str = "") -> None:
        """The first row of a new record's log (from nothing to its status)."""
        self.log.objects.create(
            **{self.log_fk: record},
            from_status="",
            to_status=getattr(record, self.field),
            action="create",
            by=by,
            comment=comment,
        )


class TransitionForm(forms.Form):
    """A step's form: the step's name or the status to reach (when the URL
    does not name the step) and the comment (required where the step says
    so; the service checks that, the form only bounds the length)."""

    step = forms.SlugField(required=False, max_length=40, widget=forms.HiddenInput)
    to = forms.CharField(required=False, max_length=24, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def run_transition(
    request: HttpRequest,
    workflow: Workflow,
    record: models.Model,
    name: str | None = None,
    *,
    success: str | Promise | None = None,
    **data: Any,
) -> bool:
    """The view side of a step: read the form (the step by ``name``, else the
    posted ``step``, else the step to the posted ``to``), call the service,
    turn a refusal into messages.
    Returns whether the step was taken."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return False
    comment = form.cleaned_data["comment"]
    try:
        name = name or form.cleaned_data["step"]
        if not name:
            name = workflow.action_to(record, form.cleaned_data["to"]).name
        workflow.transition(record, name, by=request.user, comment=comment, **data)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return False
    action = workflow.action(name)
    messages.success(
        request,
        success
        or _("Done: %(action)s. The status is now “%(status)s”.")
        % {
            "action": action.label,
            "status": workflow.status_label(getattr(record, workflow.field)),
        },
    )
    return True


def workflow_for(model: type[models.Model]) -> Workflow | None:
    """The workflow of ``model``: declared in its app's ``services`` module
    (or the module the model names in ``WORKFLOW_MODULE``), which is imported
    on first use."""
    if model not in WORKFLOWS:
        module = getattr(model, "WORKFLOW_MODULE", f"{model._meta.app_label}.services")
        try:
            import_module(module)
        except ModuleNotFoundError:
            return None
    return WORKFLOWS.get(model)
