"""Writes of the standards area. The text and approval workflow are those of
``qms.services`` (document control); this adds criteria and acknowledgements."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms import services as core_services
from qms.areas import Area
from qms.models import Channel, Document, DocumentVersion, Membership
from qms.workflow import Action, Workflow

from .models import (
    PASS_SCORE,
    Acknowledgement,
    CalibrationSession,
    Criterion,
    CriterionScore,
    Evaluation,
    EvaluationTransition,
    Standard,
)

Status = DocumentVersion.Status

ERR_NOT_DRAFT = _("Criteria can be changed only while the version is a draft.")
ERR_NOT_RELEASED = _("Only an approved version can be acknowledged.")
ERR_NOT_A_STANDARD = _("This document is not a communication standard.")


def standard_create(
    *,
    identifier: str,
    title: str,
    owner: AbstractBaseUser,
    purpose: str,
    scope: str,
    channels,
    body: str,
    language: str = "en",
) -> Standard:
    """A standard with its controlled document and a first draft version."""
    with transaction.atomic():
        document = core_services.document_create(
            identifier=identifier,
            title=title,
            kind=Document.Kind.GUIDELINE,
            area=Area.STANDARDS,
            owner=owner,
            body=body,
            language=language,
        )
        standard = Standard(document=document, purpose=purpose, scope=scope)
        standard.full_clean()
        standard._history_user = owner
        standard.save()
        standard.channels.set(channels)
    return standard


def standard_update(*, standard: Standard, by: AbstractBaseUser) -> Standard:
    standard.full_clean()
    standard._history_user = by
    standard.save()
    return standard


def criteria_copy(*, source: DocumentVersion, target: DocumentVersion) -> int:
    """Copy the criteria of ``source`` to the draft ``target``; returns how many."""
    if target.status != Status.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT)
    copies = [
        Criterion(
            version=target,
            order=c.order,
            behaviour=c.behaviour,
            good_example=c.good_example,
            bad_example=c.bad_example,
            weight=c.weight,
            scoring=c.scoring,
            is_critical=c.is_critical,
            target_value=c.target_value,
            target_unit=c.target_unit,
        )
        for c in source.criteria.all()
    ]
    for copy in copies:
        copy.save()
    return len(copies)


def criteria_carry_over(*, version: DocumentVersion) -> int:
    """Give a new draft of a standard the criteria of the version before it.

    Runs for every new version of a standard's document (see ``apps.py``), so
    a draft opened on the document pages gets the criteria too."""
    if version.status != Status.DRAFT or version.criteria.exists():
        return 0
    if not Standard.objects.filter(document_id=version.document_id).exists():
        return 0
    previous = (
        DocumentVersion.objects.filter(
            document_id=version.document_id, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )
    if previous is None:
        return 0
    return criteria_copy(source=previous, target=version)


def standard_new_draft(
    *, standard: Standard, author: AbstractBaseUser, change_reason: str, body=None
) -> DocumentVersion:
    """Open a new draft version of the standard, starting from the latest
    version's text and criteria."""
    with transaction.atomic():
        previous = standard.document.versions.order_by("-number").first()
        version = core_services.version_create_draft(
            document=standard.document,
            author=author,
            body=body if body is not None else (previous.body if previous else ""),
            change_reason=change_reason,
        )
        # Usually done already by the receiver of new versions; harmless twice.
        criteria_carry_over(version=version)
    return version


def _check_draft(version: DocumentVersion) -> None:
    if not hasattr(version.document, "standard"):
        raise ValidationError(ERR_NOT_A_STANDARD)
    if version.status != Status.DRAFT:
        raise ValidationError(ERR_NOT_DRAFT)


def criterion_save(*, criterion: Criterion, by: AbstractBaseUser) -> Criterion:
    """Create or change a criterion of a draft version."""
    version = DocumentVersion.objects.select_related("document").get(
        pk=criterion.version_id
    )
    _check_draft(version)
    criterion.full_clean()
    criterion._history_user = by
    criterion.save()
    return criterion


def criterion_delete(*, criterion: Criterion, by: AbstractBaseUser) -> None:
    _check_draft(criterion.version)
    criterion._history_user = by
    criterion.delete()


def acknowledge(*, user: AbstractBaseUser, version: DocumentVersion) -> Acknowledgement:
    """Record that ``user`` has read ``version`` (once; repeating is harmless)."""
    if version.status not in (Status.APPROVED, Status.SUPERSEDED):
        raise ValidationError(ERR_NOT_RELEASED)
    acknowledgement, _created = Acknowledgement.objects.get_or_create(
        user=user, version=version
    )
    return acknowledgement


# ---------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------

ERR_SELF_EVALUATION = _("Evaluators cannot evaluate their own work.")
ERR_NO_VERSION_IN_FORCE = _(
    "No version of this standard was in force on the interaction's date."
)
ERR_MISSING_ANSWER = _("Every criterion needs an answer.")
ERR_BAD_ANSWER = _("This answer does not fit the criterion's scoring type.")
ERR_WRONG_CHANNEL = _("The standard does not cover this channel.")
ERR_NOT_YOURS = _("Only the evaluated employee can confirm or dispute.")
ERR_ALREADY_ANSWERED = _("This evaluation has already been confirmed or disputed.")
ERR_DISPUTE_NEEDS_COMMENT = _("Say what you dispute in a comment.")
ERR_FUTURE_DATE = _("The interaction date cannot be in the future.")

YES_NO_ANSWERS = ("yes", "no", "na")
SCALE_ANSWERS = ("1", "2", "3", "4", "5", "na")
# A scale answer at or below this fails the criterion (and, for a critical
# criterion, the whole evaluation): 1 and 2 mean the behaviour was missing or
# mostly missing, 3 is "partly" and counts as met.
SCALE_FAIL_AT_OR_BELOW = 2


def credit(answer: str) -> float | None:
    """Credit of an answer in [0, 1]: yes 1, no 0, scale s → (s-1)/4, n.a. None."""
    if answer == "na":
        return None
    if answer == "yes":
        return 1.0
    if answer == "no":
        return 0.0
    return (int(answer) - 1) / 4


def failed(answer: str) -> bool | None:
    """No, or a scale answer of 2 or less; None when not applicable."""
    if answer == "na":
        return None
    if answer in ("yes", "no"):
        return answer == "no"
    return int(answer) <= SCALE_FAIL_AT_OR_BELOW


@dataclass(frozen=True)
class ScoreResult:
    score: float | None  # weighted compliance % (0-100), None if all n.a.
    critical_fail: bool

    @property
    def compliant(self) -> bool:
        return (
            not self.critical_fail
            and self.score is not None
            and self.score >= PASS_SCORE
        )


def compute_score(items) -> ScoreResult:
    """Weighted compliance of ``(weight, is_critical, answer)`` items.

    score = Σ weight·credit / Σ weight over the applicable items (n.a. is in
    neither sum). A failed critical item sets ``critical_fail``; the score is
    still computed and shown, but the evaluation is not compliant and counts
    as 0 in the mean score."""
    numerator = denominator = 0.0
    critical_fail = False
    for weight, is_critical, answer in items:
        value = credit(answer)
        if value is None:
            continue
        numerator += weight * value
        denominator += weight
        if is_critical and failed(answer):
            critical_fail = True
    score = round(100 * numerator / denominator, 2) if denominator else None
    return ScoreResult(score, critical_fail)


def version_in_force(*, standard: Standard, on: datetime.date) -> DocumentVersion:
    version = (
        DocumentVersion.objects.filter(document_id=standard.document_id)
        .effective_on(on)
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        raise ValidationError(ERR_NO_VERSION_IN_FORCE)
    return version


def _check_answers(criteria: list[Criterion], answers: dict) -> None:
    errors = []
    for criterion in criteria:
        answer = (answers.get(criterion.pk) or ("", ""))[0]
        if not answer:
            errors.append(ValidationError(ERR_MISSING_ANSWER, code="missing"))
            break
        allowed = (
            SCALE_ANSWERS
            if criterion.scoring == Criterion.Scoring.SCALE
            else YES_NO_ANSWERS
        )
        if answer not in allowed:
            errors.append(ValidationError(ERR_BAD_ANSWER, code="bad_answer"))
            break
    if errors:
        raise ValidationError(errors)


def evaluation_create(
    *,
    standard: Standard,
    interaction_type: str,
    reference: str,
    interaction_date: datetime.date,
    channel: Channel,
    employee: AbstractBaseUser,
    evaluator: AbstractBaseUser,
    answers: dict[int, tuple[str, str]],
    comments: str = "",
    calibration: CalibrationSession | None = None,
    version: DocumentVersion | None = None,
    criteria: list[Criterion] | None = None,
) -> Evaluation:
    """Score one interaction against the version in force on its date.

    ``answers`` maps a criterion id to ``(answer, comment)``; every criterion
    of the version needs one. ``version`` and ``criteria`` may be passed by
    bulk callers (the import) that resolved them already."""
    if employee.pk == evaluator.pk:
        raise ValidationError({"employee": ERR_SELF_EVALUATION})
    if interaction_date > timezone.localdate():
        raise ValidationError({"interaction_date": ERR_FUTURE_DATE})
    if version is None:
        try:
            version = version_in_force(standard=standard, on=interaction_date)
        except ValidationError as error:
            raise ValidationError({"interaction_date": error.messages}) from None
    if not standard.channels.filter(pk=channel.pk).exists():
        raise ValidationError({"channel": ERR_WRONG_CHANNEL})
    if criteria is None:
        criteria = list(version.criteria.order_by("order", "pk"))
    _check_answers(criteria, answers)
    result = compute_score(
        (c.weight, c.is_critical, answers[c.pk][0]) for c in criteria
    )
    membership = Membership.objects.filter(user=employee).first()
    evaluation = Evaluation(
        standard=standard,
        version=version,
        interaction_type=interaction_type,
        reference=reference,
        interaction_date=interaction_date,
        channel=channel,
        employee=employee,
        evaluator=evaluator,
        org_unit_id=membership.unit_id if membership else None,
        calibration=calibration,
        comments=comments,
        score=None if result.score is None else Decimal(f"{result.score:.2f}"),
        critical_fail=result.critical_fail,
        compliant=result.compliant,
    )
    evaluation.full_clean(exclude=["version", "standard", "channel"])
    with transaction.atomic():
        evaluation._history_user = evaluator
        evaluation.save()
        copies = evaluation.score_copies()
        CriterionScore.objects.bulk_create(
            CriterionScore(
                evaluation=evaluation,
                **copies,
                criterion=c,
                answer=answers[c.pk][0],
                credit=credit(answers[c.pk][0]),
                failed=failed(answers[c.pk][0]),
                comment=answers[c.pk][1] or "",
            )
            for c in criteria
        )
    return evaluation


def _the_employee(evaluation: Evaluation, by) -> None:
    if by is None or evaluation.employee_id != by.pk:
        raise ValidationError(ERR_NOT_YOURS)


def _answered(evaluation: Evaluation, *, now, comment: str, **_data) -> list[str]:
    evaluation.employee_comment = comment
    evaluation.responded_at = now
    return ["employee_comment", "responded_at"]


ES = Evaluation.Status
EVALUATION_WORKFLOW = Workflow(
    log=EvaluationTransition,
    refusal=ERR_ALREADY_ANSWERED,
    actor_check=_the_employee,
    actions=[
        Action(
            "confirm",
            _("Confirm"),
            {ES.SUBMITTED},
            ES.CONFIRMED,
            effect=_answered,
            style="primary",
        ),
        Action(
            "dispute",
            _("Dispute"),
            {ES.SUBMITTED},
            ES.DISPUTED,
            needs_comment=ERR_DISPUTE_NEEDS_COMMENT,
            effect=_answered,
        ),
    ],
)


def evaluation_respond(
    *, evaluation: Evaluation, by: AbstractBaseUser, confirm: bool, comment: str = ""
) -> Evaluation:
    """The evaluated employee confirms or disputes (a dispute needs a comment)."""
    return EVALUATION_WORKFLOW.transition(
        evaluation, "confirm" if confirm else "dispute", by=by, comment=comment
    )


def timeliness_target(
    *, channel: Channel, unit: str, on: datetime.date
) -> Decimal | None:
    """The target (in ``unit``) of the timeliness criterion of the channel's
    standard in force on ``on``. When several criteria have a target in the
    unit (a letter is registered within 1 working day and answered within
    10), a response-time figure measures the final answer, so the largest
    target counts. Three queries."""
    from .selectors import effective_versions

    versions = effective_versions(on=on)
    document_ids = Standard.objects.filter(channels=channel).values_list(
        "document_id", flat=True
    )
    version_ids = [versions[d].pk for d in document_ids if d in versions]
    targets = Criterion.objects.filter(
        version_id__in=version_ids, target_unit=unit, target_value__isnull=False
    ).values_list("target_value", flat=True)
    return max(targets, default=None)
