"""Series and a wave's plan (target groups, sample sizes), and the wave's
workflow: every status change of a wave goes through :func:`wave_transition`
(:data:`WORKFLOW`)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from qms import statistics
from qms.models import Customer, Segment
from qms.workflow import Action, Workflow

from .. import aggregates
from ..models import Series, TargetGroup, Wave, WaveTransition

S = Wave.Status

ERR_TRANSITION = _("A wave cannot go from “%(from)s” to “%(to)s”.")
ERR_MAY_NOT_APPROVE = _("Only someone allowed to approve survey plans may do this.")
ERR_NO_GROUPS = _("The plan needs at least one target group.")
ERR_NO_QUESTIONS = _("The questionnaire has no questions yet.")
ERR_PLAN_READ_ONLY = _("The plan is approved and can no longer be changed.")
ERR_SERIES_QUESTIONNAIRE = _("The questionnaire belongs to another series.")
ERR_CLOSES_BEFORE_OPENS = _("Fieldwork cannot end before it starts.")
ERR_REMINDER_DAYS = _("Reminder days are whole numbers of days after the invitation.")
ERR_POPULATION = _("The population of a group must be at least 1.")

# Statuses in which the plan (groups, sampling, dates…) may be edited.
EDITABLE = frozenset({S.DRAFT})


def series_save(*, series: Series) -> Series:
    series.full_clean()
    series.save()
    return series


def segment_population(segment: Segment) -> int:
    """The default population of a group: the segment's customers (one query)."""
    return Customer.objects.filter(segments=segment).count()


def _check_editable(wave: Wave) -> None:
    if wave.pk and wave.status not in EDITABLE:
        raise ValidationError(ERR_PLAN_READ_ONLY)


def wave_save(*, wave: Wave, by=None) -> Wave:
    """Create or edit a wave's plan (drafts only); recomputes the sample."""
    if wave.pk:
        stored = Wave.objects.get(pk=wave.pk)
        _check_editable(stored)
        wave.status = stored.status
    else:
        wave.created_by = by
        if not wave.sample_seed:
            wave.sample_seed = random.SystemRandom().randrange(1, 2**31)
    if wave.questionnaire_id and wave.questionnaire.series_id != wave.series_id:
        raise ValidationError({"questionnaire": ERR_SERIES_QUESTIONNAIRE})
    if wave.opens_on and wave.closes_on and wave.closes_on < wave.opens_on:
        raise ValidationError({"closes_on": ERR_CLOSES_BEFORE_OPENS})
    try:
        wave.reminder_days = sorted({int(d) for d in wave.reminder_days or []})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"reminder_days": ERR_REMINDER_DAYS}) from exc
    if any(d < 1 for d in wave.reminder_days):
        raise ValidationError({"reminder_days": ERR_REMINDER_DAYS})
    wave.full_clean()
    with transaction.atomic():
        wave.save()
        plan_compute(wave=wave)
    return wave


def group_save(
    *, wave: Wave, name: str, segment: Segment | None = None,
    population: int | None = None, group: TargetGroup | None = None,
) -> TargetGroup:  # fmt: skip
    """Add (or edit) a target group; the population defaults to the number of
    the segment's customers."""
    _check_editable(wave)
    if population is None and segment is not None:
        population = segment_population(segment)
    if not population or population < 1:
        raise ValidationError({"population": ERR_POPULATION})
    group = group or TargetGroup(wave=wave)
    group.segment = segment
    group.name = name
    group.population = population
    group.full_clean()
    with transaction.atomic():
        group.save()
        plan_compute(wave=wave)
    group.refresh_from_db(fields=["required_sample", "invitations"])
    return group


def group_delete(*, group: TargetGroup) -> None:
    wave = group.wave
    _check_editable(wave)
    with transaction.atomic():
        group.delete()
        plan_compute(wave=wave)


@dataclass(frozen=True)
class GroupPlan:
    name: str
    population: int
    required_sample: int
    invitations: int


def plan_figures(
    *, sampling: str, populations: Mapping[str, int], margin: float,
    confidence: float, response_rate: float,
) -> list[GroupPlan]:  # fmt: skip
    """Required responses and invitations per group (pure, for tests and the
    plan page).

    - census: everyone is invited; the required responses are Cochran's n for
      the group (the precision a census will at least reach);
    - simple random: Cochran's n with finite-population correction for the
      whole population, split over the groups in proportion to their size
      (the expected composition of a simple random sample);
    - stratified: Cochran's n with finite-population correction for *each*
      group, so every group can be reported with the planned margin.

    Invitations are ``required / expected response rate`` rounded up, never
    more than the group's population.
    """
    names = list(populations)
    sizes = [populations[n] for n in names]
    if sampling == Wave.Sampling.SIMPLE_RANDOM and sizes:
        total = statistics.cochran_sample_size(
            sum(sizes), margin=margin, confidence=confidence
        )
        required = statistics.proportional_allocation(total, sizes)
    else:
        required = [
            statistics.cochran_sample_size(size, margin=margin, confidence=confidence)
            for size in sizes
        ]
    plans = []
    for name, size, need in zip(names, sizes, required, strict=True):
        if sampling == Wave.Sampling.CENSUS:
            invitations = size
        else:
            invitations = min(size, statistics.invitations_needed(need, response_rate))
        plans.append(GroupPlan(name, size, need, invitations))
    return plans


def plan_compute(*, wave: Wave) -> list[TargetGroup]:
    """Store each group's required sample and invitations (drafts only)."""
    groups = list(wave.groups.order_by("name"))
    if not groups:
        return groups
    plans = plan_figures(
        sampling=wave.sampling,
        populations={g.name: g.population for g in groups},
        margin=float(wave.margin_of_error),
        confidence=float(wave.confidence),
        response_rate=float(wave.expected_response_rate),
    )
    for group, plan in zip(groups, plans, strict=True):
        group.required_sample = plan.required_sample
        group.invitations = plan.invitations
    TargetGroup.objects.bulk_update(groups, ["required_sample", "invitations"])
    return groups


def wave_transition(*, wave: Wave, to: str, by, comment: str = "") -> Wave:
    """The one way a wave changes status (see :data:`WORKFLOW`)."""
    return WORKFLOW.transition_to(wave, to, by=by, comment=comment)


def _ready_for_fieldwork(wave: Wave, **_data) -> None:
    if not wave.groups.exists() and not wave.public_link:
        raise ValidationError(ERR_NO_GROUPS)
    if not wave.questionnaire.questions.exists():
        raise ValidationError(ERR_NO_QUESTIONS)


def _approved(wave: Wave, *, by, now, **_data) -> list[str]:
    wave.approved_by = by
    wave.approved_at = now
    return ["approved_by", "approved_at"]


def _approval_withdrawn(wave: Wave, **_data) -> list[str]:
    wave.approved_by = None
    wave.approved_at = None
    return ["approved_by", "approved_at"]


def _closed(wave: Wave, **_data) -> None:
    # Figures stored before the close (a response submitted just before it)
    # are never to be trusted once it is closed.
    aggregates.invalidate([wave.pk])


WORKFLOW = Workflow(
    log=WaveTransition,
    refusal=ERR_TRANSITION,
    actions=[
        Action(
            "approve",
            _("Approve the plan"),
            {S.DRAFT},
            S.APPROVED,
            permission="surveys.approve_wave",
            guard=_ready_for_fieldwork,
            effect=_approved,
            style="primary",
        ),
        Action(
            "withdraw_approval",
            _("Withdraw the approval"),
            {S.APPROVED},
            S.DRAFT,
            permission="surveys.approve_wave",
            effect=_approval_withdrawn,
        ),
        Action(
            "start_fieldwork",
            _("Start fieldwork"),
            {S.APPROVED},
            S.FIELDWORK,
            style="primary",
        ),
        Action("close", _("Close"), {S.FIELDWORK}, S.CLOSED, effect=_closed),
        Action(
            "cancel",
            _("Cancel"),
            {S.DRAFT, S.APPROVED, S.FIELDWORK},
            S.CANCELLED,
            style="outline-danger",
        ),
    ],
)
