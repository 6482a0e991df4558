"""factory_boy factories for communication standards (conventions in
``tests/factories.py``).

Service-backed:

- :class:`StandardFactory` creates through ``services.standard_create``: the
  controlled document with its first version as a draft. Its arguments are
  the service's (``identifier``, ``title``, ``owner``, ``channels``,
  ``body``...), so it supports ``create`` only. Criteria are added to the
  draft with :class:`CriterionFactory`; the version is released with
  :func:`approve` (document control's submit and approve).
- :func:`standard_in_force` is a standard with one criterion, approved and in
  force for a month: what evaluations, acknowledgements and calibration need.
- :class:`EvaluationFactory` scores through ``services.evaluation_create``
  (the version in force, the unit, the score and the per-criterion copies are
  computed there). ``answers`` is the service's ``{criterion id: (answer,
  comment)}``; by default every criterion is met.

Written as stored: :class:`CriterionFactory` (also on versions that are no
longer drafts, as the old fixtures did; ``services.criterion_save`` is for
drafts only), :class:`AcknowledgementFactory`,
:class:`CalibrationSessionFactory`, :class:`SamplingPlanFactory`,
:class:`InteractionFactory` and :class:`TimelinessFigureFactory`.
"""

import datetime

import factory
from django.utils import timezone

from qms import roles
from qms import services as core_services
from qms.models import Channel, DocumentVersion
from standards import services
from standards.models import (
    Acknowledgement,
    CalibrationSession,
    Criterion,
    Evaluation,
    Interaction,
    SamplingPlan,
    Standard,
    TimelinessFigure,
)
from tests.factories import UserFactory, seeded_channel


def _today() -> datetime.date:
    return timezone.localdate()


class StandardFactory(factory.django.DjangoModelFactory):
    """A phone standard whose first version is a draft."""

    class Meta:
        model = Standard

    identifier = factory.Sequence(lambda n: f"STD-F{n}")
    title = "Phone standard"
    owner = factory.SubFactory(UserFactory)
    purpose = "Callers are served well."
    scope = "All calls."
    channels = factory.LazyFunction(lambda: [Channel.objects.get(code="phone")])
    body = "Answer quickly."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.standard_create(**kwargs)


class CriterionFactory(factory.django.DjangoModelFactory):
    """A yes/no criterion of the first version of a new standard."""

    class Meta:
        model = Criterion

    version = factory.LazyFunction(lambda: StandardFactory().document.versions.get())
    behaviour = "Answers within three rings."


def approve(version, author, approver, effective_from=None) -> DocumentVersion:
    """Submit ``version`` and have ``approver`` approve it, in force from
    ``effective_from`` (default today). Approval cannot be back-dated: an
    earlier date is written afterwards, as history is set up by hand."""
    core_services.version_submit(version=version, by=author)
    if effective_from is not None and effective_from < _today():
        version = core_services.version_approve(version=version, by=approver)
        DocumentVersion.objects.filter(pk=version.pk).update(
            effective_from=effective_from
        )
        version.refresh_from_db()
        return version
    return core_services.version_approve(
        version=version, by=approver, effective_from=effective_from
    )


def standard_in_force(approver=None, days=30, **fields) -> Standard:
    """A standard with one criterion whose first version has been in force
    for ``days`` days (approved by ``approver``, default a new quality
    manager)."""
    standard = StandardFactory(**fields)
    version = standard.document.versions.get()
    CriterionFactory(version=version)
    approve(
        version,
        standard.owner,
        approver or UserFactory(roles=[roles.QUALITY_MANAGER]),
        effective_from=_today() - datetime.timedelta(days=days),
    )
    return standard


def _all_met(evaluation) -> dict:
    version = services.version_in_force(
        standard=evaluation.standard, on=evaluation.interaction_date
    )
    return {
        c.pk: ("yes" if c.scoring == Criterion.Scoring.YES_NO else "5", "")
        for c in version.criteria.all()
    }


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A call three days ago in which every criterion was met."""

    class Meta:
        model = Evaluation

    standard = factory.LazyFunction(standard_in_force)
    interaction_type = "call"
    reference = factory.Sequence(lambda n: f"CALL-F{n}")
    interaction_date = factory.LazyFunction(
        lambda: _today() - datetime.timedelta(days=3)
    )
    channel = seeded_channel("phone")
    employee = factory.SubFactory(UserFactory)
    evaluator = factory.SubFactory(UserFactory)
    answers = factory.LazyAttribute(_all_met)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.evaluation_create(**kwargs)


class AcknowledgementFactory(factory.django.DjangoModelFactory):
    """Someone read the version in force of a new standard."""

    class Meta:
        model = Acknowledgement

    user = factory.SubFactory(UserFactory)
    version = factory.LazyFunction(lambda: standard_in_force().document.versions.get())


class CalibrationSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalibrationSession

    standard = factory.LazyFunction(standard_in_force)
    title = "Calibration"
    reference = factory.Sequence(lambda n: f"CALL-CAL{n}")
    interaction_date = factory.LazyFunction(
        lambda: _today() - datetime.timedelta(days=5)
    )
    created_by = factory.SubFactory(UserFactory)


class SamplingPlanFactory(factory.django.DjangoModelFactory):
    """Two phone calls per employee and month, in every unit."""

    class Meta:
        model = SamplingPlan

    name = "Phone"
    channel = seeded_channel("phone")
    per_employee_month = 2


class InteractionFactory(factory.django.DjangoModelFactory):
    """An imported interaction of a plan's channel, not picked."""

    class Meta:
        model = Interaction

    plan = factory.SubFactory(SamplingPlanFactory)
    reference = factory.Sequence(lambda n: f"C-F{n}")
    date = factory.LazyFunction(_today)
    month = factory.LazyAttribute(lambda o: o.date.replace(day=1))
    channel = factory.SelfAttribute("plan.channel")
    employee = factory.SubFactory(UserFactory)


class TimelinessFigureFactory(factory.django.DjangoModelFactory):
    """A day's phone answer times: 9 of 10 within the target."""

    class Meta:
        model = TimelinessFigure

    # One figure per day, channel and metric: each on its own day.
    date = factory.Sequence(
        lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
    )
    channel = seeded_channel("phone")
    metric = TimelinessFigure.Metric.ANSWER_SECONDS
    count = 10
    within_target = 9
