"""Writes of the complaints area: registering cases and moving them through the
ISO 10002 workflow. Every status change goes through :func:`case_transition`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from qms.workflow import Action, Workflow

from . import deadlines
from .models import Case, CaseSequence, Message, Pause, Transition

Status = Case.Status
Kind = Case.Kind

ERR_TRANSITION = _("A case in status “%(status)s” cannot be “%(action)s”.")
ERR_NEEDS_COMMENT = _("Give the reason in the comment.")
ERR_REJECTION_NEEDS_REASONS = _(
    "A decision that does not fully uphold the case must give its reasons in writing."
)
ERR_NEEDS_OUTCOME = _("Choose the outcome of the decision.")
ERR_SUBJECT_MAY_NOT_HANDLE = _(
    "The employee the case is about may neither handle nor decide it."
)
ERR_NOT_HANDLER_SCOPE = _("You may not handle this case.")
ERR_NEEDS_REACTION = _("Record how the customer reacted to the decision.")
ERR_ALREADY_PAUSED = _("The case is already paused.")
ERR_NOT_PAUSED = _("The case is not paused.")
ERR_DUPLICATE_OF_SELF = _("A case cannot be a duplicate of itself.")
ERR_NO_CONTACT = _("There is no e-mail address to send this to.")


FEEDBACK = frozenset({Kind.COMPLIMENT, Kind.SUGGESTION})
HANDLED = frozenset(set(Kind.values) - FEEDBACK)

CLOSURE_FOR_ACTION = {
    "not_a_complaint": Case.ClosureReason.NOT_A_COMPLAINT,
    "record_feedback": Case.ClosureReason.FEEDBACK,
    "customer_accepts": Case.ClosureReason.RESOLVED,
    "no_reply": Case.ClosureReason.RESOLVED,
    "escalate": Case.ClosureReason.ESCALATED,
    "mark_duplicate": Case.ClosureReason.DUPLICATE,
}
REACTION_FOR_ACTION = {
    "customer_accepts": Case.Reaction.ACCEPTS,
    "no_reply": Case.Reaction.NO_REPLY,
    "customer_rejects": Case.Reaction.REJECTS,
    "escalate": Case.Reaction.REJECTS,
}


def _acknowledged(case: Case, *, now, **_data) -> list[str]:
    if case.acknowledged_at is None:
        case.acknowledged_at = now
    return ["acknowledged_at"]


def _decided(
    case: Case,
    *,
    by,
    now,
    outcome: str = "",
    decision_reasons: str = "",
    remedy_given: str = "",
    remedy_cost: Decimal | None = None,
    **_data,
) -> list[str]:
    if not outcome:
        raise ValidationError({"outcome": ERR_NEEDS_OUTCOME})
    if outcome != Case.Outcome.UPHELD and not decision_reasons.strip():
        raise ValidationError({"decision_reasons": ERR_REJECTION_NEEDS_REASONS})
    case.outcome = outcome
    case.decision_reasons = decision_reasons
    case.remedy_given = remedy_given
    case.remedy_cost = remedy_cost
    case.decided_at = now
    case.decided_by = by
    case.customer_reaction = ""
    return [
        "outcome",
        "decision_reasons",
        "remedy_given",
        "remedy_cost",
        "decided_at",
        "decided_by",
        "customer_reaction",
    ]


def _communicated(case: Case, *, now, **_data) -> list[str]:
    case.communicated_at = now
    return ["communicated_at"]


def _reaction(case: Case, action: str) -> list[str]:
    case.customer_reaction = REACTION_FOR_ACTION[action]
    return ["customer_reaction"]


def _closed(action: str):
    """The effect of a closing step: closure reason, end of a pause, the
    customer's reaction where the step records one, and the survey invitation
    after the commit."""

    def effect(case: Case, *, by, now, duplicate_of: Case | None = None, **_data):
        changed = ["closed_at", "closure_reason", "paused_since", "response_due_at"]
        if action == "mark_duplicate":
            if duplicate_of is None or duplicate_of.pk == case.pk:
                raise ValidationError({"duplicate_of": ERR_DUPLICATE_OF_SELF})
            case.duplicate_of = duplicate_of
            changed.append("duplicate_of")
            case.related.add(duplicate_of)
        if action in REACTION_FOR_ACTION:
            changed += _reaction(case, action)
        case.closed_at = now
        case.closure_reason = CLOSURE_FOR_ACTION[action]
        _end_pause(case, now, by)
        # The post-complaint survey listens for the closing (status_changed).
        return changed

    return effect


def _reopened(case: Case, **_data) -> list[str]:
    case.closed_at = None
    case.closure_reason = ""
    case.reopen_count += 1
    return ["closed_at", "closure_reason", "reopen_count"]


def _check_actor(case: Case, by: AbstractBaseUser | None) -> None:
    if by is not None and case.subject_employee_id == by.pk:
        raise PermissionDenied(ERR_SUBJECT_MAY_NOT_HANDLE)


# The whole ISO 10002 workflow in one place: action → from which statuses,
# to which, for which kinds of case, with what it records.
OPEN = frozenset({Status.RECEIVED, Status.ACKNOWLEDGED})
WORKFLOW = Workflow(
    log=Transition,
    kind="kind",
    actor_check=_check_actor,
    validate=True,
    refusal=ERR_TRANSITION,
    actions=[
        Action(
            "acknowledge",
            _("Acknowledge"),
            {Status.RECEIVED},
            Status.ACKNOWLEDGED,
            kinds=HANDLED,
            effect=_acknowledged,
            style="primary",
        ),
        Action(
            "accept",
            _("Accept for handling"),
            OPEN,
            Status.INVESTIGATING,
            kinds=HANDLED,
            effect=_acknowledged,
            style="primary",
        ),
        Action(
            "not_a_complaint",
            _("Close as not a complaint"),
            OPEN,
            Status.CLOSED,
            needs_comment=True,
            kinds=HANDLED,
            effect=_closed("not_a_complaint"),
        ),
        Action(
            "record_feedback",
            _("Record feedback and close"),
            OPEN,
            Status.CLOSED,
            kinds=FEEDBACK,
            effect=_closed("record_feedback"),
            style="primary",
        ),
        Action(
            "decide",
            _("Record decision"),
            {Status.INVESTIGATING, Status.REVIEW},
            Status.DECIDED,
            kinds=HANDLED,
            effect=_decided,
        ),
        Action(
            "communicate",
            _("Communicate decision"),
            {Status.DECIDED},
            Status.COMMUNICATED,
            kinds=HANDLED,
            effect=_communicated,
            style="primary",
        ),
        Action(
            "customer_accepts",
            _("Customer accepts"),
            {Status.COMMUNICATED},
            Status.CLOSED,
            kinds=HANDLED,
            effect=_closed("customer_accepts"),
            style="primary",
        ),
        Action(
            "no_reply",
            _("Close: no reply from the customer"),
            {Status.COMMUNICATED},
            Status.CLOSED,
            kinds=HANDLED,
            effect=_closed("no_reply"),
        ),
        Action(
            "customer_rejects",
            _("Customer rejects: internal review"),
            {Status.COMMUNICATED},
            Status.REVIEW,
            needs_comment=True,
            kinds=HANDLED,
            effect=lambda case, **_data: _reaction(case, "customer_rejects"),
        ),
        Action(
            "escalate",
            _("Customer takes it to an external body"),
            {Status.COMMUNICATED, Status.REVIEW},
            Status.CLOSED,
            kinds=HANDLED,
            effect=_closed("escalate"),
        ),
        Action(
            "reopen",
            _("Reopen"),
            {Status.CLOSED},
            Status.INVESTIGATING,
            needs_comment=True,
            effect=_reopened,
            style="outline-danger",
        ),
        Action(
            "mark_duplicate",
            _("Merge into another case"),
            set(Status.values) - {Status.CLOSED},
            Status.CLOSED,
            kinds=HANDLED,
            effect=_closed("mark_duplicate"),
        ),
    ],
)


def available_actions(case: Case) -> list[str]:
    """Names of the steps open from the case's status (feedback skips
    handling)."""
    return [action.name for action in WORKFLOW.available(case)]


def _next_reference(year: int) -> str:
    """K-<year>-<number>, numbered per year without gaps under concurrency."""
    sequence, _created = CaseSequence.objects.select_for_update().get_or_create(
        year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"K-{year}-{sequence.last:06d}"


def case_register(
    *,
    case: Case,
    by: AbstractBaseUser | None,
    send_acknowledgement: bool = False,
) -> Case:
    """Register a new case: number it, apply the initial assessment rules,
    compute its deadlines, log its first status and optionally acknowledge it.

    ``case`` is an unsaved instance carrying what intake collected.
    """
    if case.safety_related:
        # Safety-related cases are fast-tracked whatever the intake said.
        case.priority = Case.Priority.URGENT
        if case.severity in (Case.Severity.LOW, Case.Severity.MEDIUM):
            case.severity = Case.Severity.HIGH
    if case.customer_id and not (case.contact_email or case.contact_phone):
        case.contact_email = case.customer.email
        case.contact_phone = case.customer.phone
        case.contact_name = case.contact_name or case.customer.name
    case.created_by = by if by and by.is_authenticated else None
    case.status = Status.RECEIVED
    with transaction.atomic():
        case.reference = _next_reference(timezone.localtime(case.received_at).year)
        case.acknowledge_due_at, case.response_due_at = deadlines.initial_deadlines(
            case
        )
        case.full_clean()
        case._history_user = case.created_by
        case.save()
        Transition.objects.create(
            case=case, to_status=case.status, action="register", by=case.created_by
        )
        if send_acknowledgement and case.contact_email and not case.is_feedback:
            send_template(case=case, template="acknowledgement", by=case.created_by)
            case = case_transition(case=case, action="acknowledge", by=case.created_by)
    return case


def case_transition(
    *,
    case: Case,
    action: str,
    by: AbstractBaseUser | None,
    comment: str = "",
    **data,
) -> Case:
    """Apply a workflow action (see :data:`WORKFLOW`): check it is allowed
    now, record who, when and why, and set the milestone fields it implies
    (``data``: the decision's outcome, reasons and remedy; the case a
    duplicate merges into). Invalid requests raise ValidationError with a
    message a person can read."""
    return WORKFLOW.transition(case, action, by=by, comment=comment, **data)


# What a dispute takes over from the case it grew from.
INHERITED_BY_DISPUTE = (
    "channel",
    "customer",
    "contact_name",
    "contact_email",
    "contact_phone",
    "language",
    "service",
    "category",
    "org_unit",
    "handler",
    "subject_employee",
    "confidential",
    "subject",
)


def dispute_draft(origin: Case, **fields) -> Case:
    """An unsaved dispute case carrying ``origin``'s parties and subject."""
    values = {name: getattr(origin, name) for name in INHERITED_BY_DISPUTE}
    values["description"] = fields.pop("description", "") or origin.description
    return Case(kind=Kind.DISPUTE, origin=origin, **values, **fields)


def case_open_dispute(
    *, origin: Case, by: AbstractBaseUser | None, **dispute_fields
) -> Case:
    """The customer took ``origin`` to an external body: close it as escalated and
    open a linked dispute case carrying the body's data and deadline."""
    with transaction.atomic():
        case_transition(
            case=origin,
            action="escalate",
            by=by,
            comment=str(dispute_fields.get("body_name") or ""),
        )
        dispute = dispute_draft(origin, **dispute_fields)
        return case_register(case=dispute, by=by)


def case_assign(
    *, cases: list[Case], handler: AbstractBaseUser, by: AbstractBaseUser
) -> int:
    """Give cases to a handler (never to the employee a case is about)."""
    assigned = 0
    with transaction.atomic():
        for case in cases:
            if case.subject_employee_id == handler.pk:
                raise ValidationError(
                    _("%(ref)s: %(msg)s")
                    % {"ref": case.reference, "msg": ERR_SUBJECT_MAY_NOT_HANDLE}
                )
            if case.handler_id != handler.pk:
                case.handler = handler
                case._history_user = by
                case.save(update_fields=["handler", "updated_at"])
                assigned += 1
    return assigned


def case_pause(*, case: Case, reason: str, by: AbstractBaseUser | None) -> Case:
    """Stop the clock while waiting for the customer."""
    if not reason.strip():
        raise ValidationError({"reason": ERR_NEEDS_COMMENT})
    if case.paused_since:
        raise ValidationError(ERR_ALREADY_PAUSED)
    now = timezone.now()
    with transaction.atomic():
        Pause.objects.create(case=case, started_at=now, reason=reason, by=by)
        case.paused_since = now
        case._history_user = by
        case.save(update_fields=["paused_since", "updated_at"])
    return case


def _end_pause(case: Case, now: datetime.datetime, by) -> None:
    pause = case.pauses.filter(ended_at__isnull=True).first()
    if pause is None:
        return
    pause.ended_at = now
    pause.save(update_fields=["ended_at"])
    case.response_due_at = deadlines.extend_for_pause(case, pause.started_at, now)
    case.paused_since = None


def case_resume(*, case: Case, by: AbstractBaseUser | None) -> Case:
    """Restart the clock; the response deadline moves on by the paused time."""
    if not case.paused_since:
        raise ValidationError(ERR_NOT_PAUSED)
    with transaction.atomic():
        _end_pause(case, timezone.now(), by)
        case._history_user = by
        case.save(update_fields=["paused_since", "response_due_at", "updated_at"])
    return case


def message_add(
    *,
    case: Case,
    direction: str,
    body: str,
    by: AbstractBaseUser | None,
    subject: str = "",
    channel=None,
    at: datetime.datetime | None = None,
    from_address: str = "",
    to_address: str = "",
    external_id: str = "",
    template: str = "",
) -> Message:
    message = Message(
        case=case,
        direction=direction,
        body=body,
        author=by if by and by.is_authenticated else None,
        subject=subject,
        channel=channel,
        at=at or timezone.now(),
        from_address=from_address,
        to_address=to_address,
        external_id=external_id,
        template=template,
    )
    message.full_clean()
    message.save()
    return message


# Letters sent from templates, in the case's language.
TEMPLATES = {
    "acknowledgement": _("Acknowledgement"),
    "decision": _("Decision"),
    "delay": _("Delay notice"),
}


def render_template(
    case: Case, template: str, extra: dict | None = None
) -> tuple[str, str]:
    """Subject and body of a letter, rendered in the case's language."""
    context = {"case": case, **(extra or {})}
    with translation.override(case.language):
        subject = render_to_string(
            f"complaints/email/{template}_subject.txt", context
        ).strip()
        body = render_to_string(f"complaints/email/{template}.txt", context)
    return subject, body


def send_template(
    *,
    case: Case,
    template: str,
    by: AbstractBaseUser | None,
    extra: dict | None = None,
    body: str | None = None,
) -> Message:
    """E-mail a letter to the case's contact and keep it in the case log."""
    if not case.contact_email:
        raise ValidationError(ERR_NO_CONTACT)
    subject, rendered = render_template(case, template, extra)
    text = body if body is not None else rendered
    with transaction.atomic():
        message = message_add(
            case=case,
            direction=Message.Direction.OUTGOING,
            body=text,
            subject=subject,
            by=by,
            to_address=case.contact_email,
            template=template,
        )
        # Sent only once the log entry is safely stored.
        transaction.on_commit(
            lambda: EmailMessage(subject, text, to=[case.contact_email]).send()
        )
    return message


def assert_may_handle(user, case: Case) -> None:
    """Raise PermissionDenied unless ``user`` may change this case."""
    if not user.has_perm("complaints.handle_case"):
        raise PermissionDenied(ERR_NOT_HANDLER_SCOPE)
    _check_actor(case, user)


ERR_DELAY_NEEDS_LATER_DATE = _("The new deadline must be later than the current one.")


def case_delay(
    *,
    case: Case,
    new_due: datetime.date,
    reason: str,
    by: AbstractBaseUser | None,
) -> Case:
    """Move the response deadline, telling the customer why and until when
    (Consumer Protection Act §19: a delay is explained with a new deadline)."""
    if not reason.strip():
        raise ValidationError({"reason": ERR_NEEDS_COMMENT})
    new_due_at = deadlines.end_of_day(new_due)
    if case.response_due_at and new_due_at <= case.response_due_at:
        raise ValidationError({"new_due": ERR_DELAY_NEEDS_LATER_DATE})
    with transaction.atomic():
        if case.contact_email:
            send_template(
                case=case,
                template="delay",
                by=by,
                extra={"reason": reason, "new_due": new_due_at},
            )
        else:
            message_add(
                case=case,
                direction=Message.Direction.NOTE,
                body=str(_("Deadline moved to %(date)s: %(reason)s"))
                % {"date": new_due.isoformat(), "reason": reason},
                by=by,
            )
        case.response_due_at = new_due_at
        case._history_user = by
        case._change_reason = reason[:100]
        case.save(update_fields=["response_due_at", "updated_at"])
    return case
