"""factory_boy factories for the improvement system (conventions in
``tests/factories.py``).

Service-backed:

- :class:`ProposalFactory` submits through ``services.proposal_submit``; an
  ``origin`` record may be given.
- :class:`PlanFactory` creates through ``services.plan_create`` (validation,
  the first status logged); ``created_by`` is the service's ``by``, ``type``
  its ``plan_type``, and ``team`` and ``origins`` lists are passed on. A plan
  starts as planned: its criterion, approval and status changes go through
  ``plan_set_criterion``, ``plan_approve`` and ``plan_transition`` (see
  ``tests.improvements.helpers.implemented_plan``).
- :class:`ActionFactory` creates through ``services.action_create``.

Written as stored: :class:`EffectivenessCheckFactory`, a check with every
number behind its verdict given; ``services.run_effectiveness_check``
computes them from a measure.
"""

import datetime

import factory
from django.utils import timezone

from improvements import effectiveness, services
from improvements.models import Action, EffectivenessCheck, Plan, Proposal
from qms import measures, statistics
from tests.factories import UserFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    title = "Clearer bills"
    description = "Show the tariff on the first page."
    proposer = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.proposal_submit(**kwargs)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = "Fewer discoloured-water complaints"
    problem = "Brown water after mains flushing."
    owner = factory.SubFactory(UserFactory)
    created_by = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if "type" in kwargs:
            kwargs["plan_type"] = kwargs.pop("type")
        return services.plan_create(by=kwargs.pop("created_by"), **kwargs)


class ActionFactory(factory.django.DjangoModelFactory):
    """An action of the plan's owner, due in thirty days."""

    class Meta:
        model = Action

    plan = factory.SubFactory(PlanFactory)
    description = "Check the tariff table."
    owner = factory.SelfAttribute("plan.owner")
    due_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=30)
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if "type" in kwargs:
            kwargs["action_type"] = kwargs.pop("type")
        return services.action_create(**kwargs)


def _share(successes: int, trials: int) -> dict:
    """A period's statistics as stored (``effectiveness.point_stats``)."""
    point = measures.Point(start=None, end=None, successes=successes, trials=trials)
    return effectiveness.point_stats(point)


class EffectivenessCheckFactory(factory.django.DjangoModelFactory):
    """On-time answers to complaints up from 80 % to 90 % (target 85 %): a
    significant improvement."""

    class Meta:
        model = EffectivenessCheck

    plan = factory.SubFactory(PlanFactory)
    measure_key = "complaints.on_time_share"
    measure_filters = factory.Dict({"kind": "complaint"})
    kind = measures.SHARE
    higher_is_better = True
    baseline_start = datetime.date(2024, 3, 1)
    baseline_end = datetime.date(2024, 6, 1)
    follow_up_start = datetime.date(2024, 7, 1)
    follow_up_end = datetime.date(2024, 9, 29)
    baseline_stats = factory.Dict(_share(160, 200))
    follow_up_stats = factory.Dict(_share(180, 200))
    baseline_value = 0.8
    follow_up_value = 0.9
    effect_name = effectiveness.EFFECT_DIFFERENCE
    effect = 0.1
    effect_low = 0.03
    effect_high = 0.17
    p_value = 0.005
    method = statistics.METHOD_TWO_PROPORTION_Z
    target = 0.85
    target_met = True
    verdict = EffectivenessCheck.Verdict.IMPROVEMENT
    checked_by = factory.SubFactory(UserFactory)
