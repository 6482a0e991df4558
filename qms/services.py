"""Writes of the core app: customers and document control (ISO 9001 7.5)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.models import Customer, Document, DocumentTransition, DocumentVersion
from qms.workflow import Action, Workflow

Status = DocumentVersion.Status

ERR_TRANSITION = _("A version cannot go from “%(from)s” to “%(to)s”.")
ERR_SELF_APPROVAL = _(
    "The author of a version may not approve it; another person must review it."
)
ERR_OPEN_VERSION_EXISTS = _(
    "This document already has a version being drafted or reviewed; "
    "finish or withdraw it first."
)
ERR_NOT_EDITABLE = _("Only a draft can be edited.")
ERR_EFFECTIVE_BEFORE_APPROVAL = _("A version cannot take effect before it is approved.")
ERR_RETURN_NEEDS_COMMENT = _("Say what must change when returning a version.")
ERR_NO_APPROVE_PERMISSION = _("You are not allowed to approve documents.")


def _next_reference() -> str:
    """The number after the highest customer number in use (C-000001, …)."""
    last = (
        Customer.objects.filter(reference__startswith="C-")
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last[2:]) if last and last[2:].isdigit() else 0
    return f"C-{number + 1:06d}"


def customer_save(*, customer: Customer, segments=None) -> Customer:
    """Create or update a customer: validates, numbers new customers, keeps the
    consent timestamp honest."""
    if customer.pk:
        before = Customer.objects.filter(pk=customer.pk).values(
            "consent_surveys", "consent_email", "consent_phone"
        )[0]
        consent_changed = any(getattr(customer, k) != v for k, v in before.items())
    else:
        consent_changed = True
    if consent_changed:
        customer.consent_updated_at = timezone.now()
    with transaction.atomic():
        if not customer.pk:
            customer.reference = _next_reference()
        customer.full_clean()
        for attempt in range(3):
            try:
                with transaction.atomic():
                    customer.save()
                break
            except IntegrityError:
                # Two creators raced for the same number: take the next one.
                if customer.pk or attempt == 2:
                    raise
                customer.reference = _next_reference()
        if segments is not None:
            customer.segments.set(segments)
    return customer


def document_create(
    *,
    identifier: str,
    title: str,
    kind: str,
    area: str,
    owner: AbstractBaseUser,
    body: str,
    language: str = "en",
    review_interval_months: int = 12,
    change_reason: str = "",
) -> Document:
    """Create a controlled document with its first version as a draft."""
    with transaction.atomic():
        document = Document(
            identifier=identifier,
            title=title,
            kind=kind,
            area=area,
            owner=owner,
            language=language,
            review_interval_months=review_interval_months,
        )
        document.full_clean()
        # Named for the history record even when no request is around (commands).
        document._history_user = owner
        document.save()
        version_create_draft(
            document=document,
            author=owner,
            body=body,
            change_reason=change_reason or str(_("First version")),
        )
    return document


def version_create_draft(
    *, document: Document, author: AbstractBaseUser, body: str, change_reason: str
) -> DocumentVersion:
    """Start a new version of a document as a draft (one open version at a time)."""
    with transaction.atomic():
        # Lock the document row so two editors cannot both open a version.
        Document.objects.select_for_update().get(pk=document.pk)
        if document.versions.filter(status__in=[Status.DRAFT, Status.IN_REVIEW]):
            raise ValidationError(ERR_OPEN_VERSION_EXISTS)
        number = (document.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = DocumentVersion(
            document=document,
            number=number,
            body=body,
            change_reason=change_reason,
            author=author,
        )
        version.full_clean()
        version._history_user = author
        version.save()
        VERSION_WORKFLOW.log_created(version, by=author)
    return version


def version_update_draft(
    *, version: DocumentVersion, body: str, change_reason: str
) -> DocumentVersion:
    with transaction.atomic():
        # Under the row's lock: submitted meanwhile, it is no longer editable.
        status = (
            DocumentVersion.objects.select_for_update()
            .values_list("status", flat=True)
            .get(pk=version.pk)
        )
        if status != Status.DRAFT:
            raise ValidationError(ERR_NOT_EDITABLE)
        version.body = body
        version.change_reason = change_reason
        version.full_clean()
        version.save(update_fields=["body", "change_reason"])
    return version


def _submitted(version: DocumentVersion, *, now, **_data) -> list[str]:
    version.submitted_at = now
    return ["submitted_at"]


def _returned(version: DocumentVersion, **_data) -> list[str]:
    version.submitted_at = None
    return ["submitted_at"]


def _not_by_the_author(version: DocumentVersion, *, by, **_data) -> None:
    if version.author_id == by.pk and not settings.QMS_ALLOW_SELF_APPROVAL:
        raise ValidationError(ERR_SELF_APPROVAL)


def _approved(
    version: DocumentVersion, *, by, now, effective_from: datetime.date, **_data
) -> list[str]:
    version.approver = by
    version.approved_at = now
    version.effective_from = effective_from
    version.full_clean()
    return ["approver", "approved_at", "effective_from"]


def _superseded(version: DocumentVersion, *, now, **_data) -> list[str]:
    version.superseded_at = now
    return ["superseded_at"]


# A document version's review cycle; "supersede" is taken by the system when
# a later version comes into force.
VERSION_WORKFLOW = Workflow(
    log=DocumentTransition,
    refusal=ERR_TRANSITION,
    actions=[
        Action(
            "submit",
            _("Send for review"),
            {Status.DRAFT},
            Status.IN_REVIEW,
            effect=_submitted,
            style="primary",
        ),
        Action(
            "return",
            _("Return to author"),
            {Status.IN_REVIEW},
            Status.DRAFT,
            needs_comment=ERR_RETURN_NEEDS_COMMENT,
            effect=_returned,
        ),
        Action(
            "approve",
            _("Approve"),
            {Status.IN_REVIEW},
            Status.APPROVED,
            permission="qms.approve_documentversion",
            denied=ERR_NO_APPROVE_PERMISSION,
            guard=_not_by_the_author,
            effect=_approved,
            style="primary",
        ),
        Action(
            "supersede",
            _("Supersede"),
            {Status.APPROVED},
            Status.SUPERSEDED,
            effect=_superseded,
        ),
    ],
)


def version_submit(
    *, version: DocumentVersion, by: AbstractBaseUser, comment: str = ""
) -> DocumentVersion:
    """Send a draft for review."""
    return VERSION_WORKFLOW.transition(version, "submit", by=by, comment=comment)


def version_return(
    *, version: DocumentVersion, by: AbstractBaseUser, comment: str
) -> DocumentVersion:
    """Send a version in review back to its author as a draft."""
    return VERSION_WORKFLOW.transition(version, "return", by=by, comment=comment)


def version_approve(
    *,
    version: DocumentVersion,
    by: AbstractBaseUser,
    effective_from: datetime.date | None = None,
    comment: str = "",
) -> DocumentVersion:
    """Approve a version in review. It is in force from ``effective_from``
    (default today); older released versions are superseded once it is."""
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today and by.has_perm("qms.approve_documentversion"):
        raise ValidationError({"effective_from": ERR_EFFECTIVE_BEFORE_APPROVAL})
    with transaction.atomic():
        version = VERSION_WORKFLOW.transition(
            version, "approve", by=by, comment=comment, effective_from=effective_from
        )
        _supersede_older(version.document_id, today)
    return version


def _supersede_older(document_id: int, today: datetime.date) -> int:
    """Mark approved versions superseded when a later released version is in force
    on ``today``. Returns how many were superseded."""
    in_force = (
        DocumentVersion.objects.filter(document_id=document_id)
        .effective_on(today)
        .order_by("-effective_from", "-number")
        .first()
    )
    if in_force is None:
        return 0
    count = 0
    for old in DocumentVersion.objects.filter(
        document_id=document_id,
        status=Status.APPROVED,
        number__lt=in_force.number,
    ):
        VERSION_WORKFLOW.transition(
            old,
            "supersede",
            by=None,
            comment=str(_("Superseded by version %(number)s"))
            % {"number": in_force.number},
        )
        count += 1
    return count


def documents_apply_effective_dates(*, today: datetime.date) -> int:
    """Supersede versions whose successors came into force (run daily).

    Which version is in force never depends on this having run: selectors pick by
    effective date. This keeps the stored status truthful for lists and audits.
    """
    document_ids = (
        DocumentVersion.objects.filter(status=Status.APPROVED)
        .values_list("document_id", flat=True)
        .distinct()
    )
    total = 0
    for document_id in document_ids:
        with transaction.atomic():
            total += _supersede_older(document_id, today)
    return total
