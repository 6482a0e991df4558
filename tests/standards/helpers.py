"""Standards built through the real services (the factories in
``tests.standards.factories`` call them)."""

import datetime

from django.utils import timezone

from qms.models import Channel
from standards import services
from tests.standards.factories import (
    CriterionFactory,
    EvaluationFactory,
    StandardFactory,
    approve,
)

# ``approve`` lives with the factories (standard_in_force uses it).
__all__ = [
    "add_criterion",
    "answers",
    "approve",
    "days",
    "evaluate",
    "make_standard",
    "today",
]


def make_standard(owner, identifier="STD-T", title="Phone standard", channel="phone"):
    return StandardFactory(
        owner=owner,
        identifier=identifier,
        title=title,
        channels=[Channel.objects.get(code=channel)],
    )


def add_criterion(version, behaviour="Answers within three rings.", **fields):
    return CriterionFactory(version=version, behaviour=behaviour, **fields)


def today():
    return timezone.localdate()


def days(n):
    return datetime.timedelta(days=n)


def answers(version, *values):
    criteria = list(version.criteria.order_by("order"))
    return {c.pk: (v, "") for c, v in zip(criteria, values, strict=True)}


def evaluate(standard, employee, evaluator, *values, day=None, **fields):
    day = day or today() - days(3)
    version = services.version_in_force(standard=standard, on=day)
    return EvaluationFactory(
        standard=standard,
        reference=fields.pop("reference", "CALL-1"),
        interaction_date=day,
        employee=employee,
        evaluator=evaluator,
        answers=answers(version, *values),
        **fields,
    )
