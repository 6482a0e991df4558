"""Writes of the standards area. The text and approval workflow are those of
``qms.services`` (document control); this adds criteria and acknowledgements."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qms import services as core_services
from qms.areas import Area
from qms.models import Document, DocumentVersion

from .models import Acknowledgement, Criterion, Standard

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
