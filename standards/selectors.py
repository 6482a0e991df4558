"""Reads of the standards area, each in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from qms.access import get_for_user, visible_to
from qms.models import DocumentVersion, Membership
from qms.periods import month_start

from .access import EVALUATIONS
from .models import (
    Acknowledgement,
    Criterion,
    CriterionScore,
    Evaluation,
    Standard,
)


def effective_versions(
    *, on: datetime.date | None = None
) -> dict[int, DocumentVersion]:
    """Per standard document id, the version in force on ``on`` (one query)."""
    on = on or timezone.localdate()
    result: dict[int, DocumentVersion] = {}
    versions = (
        DocumentVersion.objects.filter(document__standard__isnull=False)
        .effective_on(on)
        .order_by("document_id", "-effective_from", "-number")
    )
    for version in versions:
        result.setdefault(version.document_id, version)
    return result


def standard_list(*, on: datetime.date | None = None) -> list[Standard]:
    """All standards with ``effective`` (the version in force or None) and
    ``open_version`` attached; three queries."""
    effective = effective_versions(on=on)
    open_versions = {
        v.document_id: v
        for v in DocumentVersion.objects.filter(
            document__standard__isnull=False,
            status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.IN_REVIEW],
        )
    }
    standards = list(
        Standard.objects.select_related("document", "document__owner")
        .prefetch_related("channels")
        .order_by("document__identifier")
    )
    for standard in standards:
        standard.effective = effective.get(standard.document_id)
        standard.open_version = open_versions.get(standard.document_id)
    return standards


@dataclass
class ChannelGroup:
    channel: object
    standards: list = field(default_factory=list)


def my_standards(user, *, on: datetime.date | None = None) -> list[ChannelGroup]:
    """The standards in force, grouped by channel, each with ``acknowledged``
    for ``user``. A standard for several channels appears under each."""
    standards = [s for s in standard_list(on=on) if s.effective is not None]
    read = set(
        Acknowledgement.objects.filter(
            user=user, version__in=[s.effective for s in standards]
        ).values_list("version_id", flat=True)
    )
    groups: dict[int, ChannelGroup] = {}
    for standard in standards:
        standard.acknowledged = standard.effective.pk in read
        for channel in standard.channels.all():
            groups.setdefault(channel.pk, ChannelGroup(channel)).standards.append(
                standard
            )
    return sorted(groups.values(), key=lambda g: (g.channel.sort_order, g.channel.name))


def criteria(version: DocumentVersion):
    return Criterion.objects.filter(version=version).order_by("order", "pk")


@dataclass
class UnitCoverage:
    unit: object
    staff: int = 0
    read: int = 0
    missing: list = field(default_factory=list)

    @property
    def percent(self) -> float:
        return round(100 * self.read / self.staff, 1) if self.staff else 0.0


@dataclass
class VersionCoverage:
    standard: Standard
    version: DocumentVersion
    units: list[UnitCoverage]

    @property
    def staff(self) -> int:
        return sum(u.staff for u in self.units)

    @property
    def read(self) -> int:
        return sum(u.read for u in self.units)

    @property
    def percent(self) -> float:
        return round(100 * self.read / self.staff, 1) if self.staff else 0.0


def acknowledgement_coverage(
    *, on: datetime.date | None = None
) -> list[VersionCoverage]:
    """For each version in force: per org unit, how many of its active members
    have acknowledged it and who is missing. Five queries for any size."""
    standards = [s for s in standard_list(on=on) if s.effective is not None]
    memberships = list(
        Membership.objects.filter(user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__name", "user__last_name", "user__first_name", "user__pk")
    )
    read = set(
        Acknowledgement.objects.filter(
            version__in=[s.effective for s in standards]
        ).values_list("version_id", "user_id")
    )
    result = []
    for standard in standards:
        units: dict[int, UnitCoverage] = {}
        for membership in memberships:
            row = units.setdefault(membership.unit_id, UnitCoverage(membership.unit))
            row.staff += 1
            if (standard.effective.pk, membership.user_id) in read:
                row.read += 1
            else:
                row.missing.append(membership.user)
        result.append(
            VersionCoverage(standard, standard.effective, list(units.values()))
        )
    return result


# ---------------------------------------------------------------------------
# Evaluations
# ---------------------------------------------------------------------------


def evaluations_visible_to(user) -> QuerySet[Evaluation]:
    """Quality managers see every evaluation; evaluators (team leads) those
    they made and those of their unit and the units below it; everybody else
    only their own (:data:`standards.access.EVALUATIONS`). Runs one query for
    an evaluator's unit tree."""
    return visible_to(Evaluation, user, rule=EVALUATIONS)


@dataclass
class EvaluationFilters:
    channel: int | None = None
    unit: int | None = None
    employee: int | None = None
    month: datetime.date | None = None
    status: str = ""
    standard: int | None = None


def evaluation_list(user, filters: EvaluationFilters) -> QuerySet[Evaluation]:
    evaluations = (
        evaluations_visible_to(user)
        .regular()
        .select_related(
            "standard__document", "version", "channel", "employee", "evaluator"
        )
        .select_related("org_unit")
        .order_by("-interaction_date", "-pk")
    )
    if filters.channel:
        evaluations = evaluations.filter(channel_id=filters.channel)
    if filters.unit:
        evaluations = evaluations.filter(org_unit_id=filters.unit)
    if filters.employee:
        evaluations = evaluations.filter(employee_id=filters.employee)
    if filters.standard:
        evaluations = evaluations.filter(standard_id=filters.standard)
    if filters.month:
        evaluations = evaluations.filter(
            interaction_date__gte=filters.month,
            interaction_date__lt=month_start(filters.month, 1),
        )
    if filters.status:
        evaluations = evaluations.filter(status=filters.status)
    return evaluations


def evaluation_detail(user, pk: int) -> Evaluation:
    """One evaluation in ``user``'s scope (404 outside it) with its scores."""
    return get_for_user(
        Evaluation.objects.select_related(
            "standard__document",
            "version",
            "channel",
            "employee",
            "evaluator",
            "org_unit",
            "calibration",
        ).prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion__pk"
                ),
            )
        ),
        user,
        pk,
        rule=EVALUATIONS,
    )
