"""factory_boy factories for the complaints area (conventions in
``tests/factories.py``).

Two ways to a case, on purpose:

- :func:`tests.factories.register_case` goes through the intake service
  (``case_register``): a ``K-<year>-<n>`` reference, the deadlines computed
  from the rules and the calendar, the first status logged. Use it whenever
  the test is about handling a case.
- :class:`CaseFactory` writes a case as stored, with the dates the test gives
  (received, acknowledged, answered...) and no workflow log: for monitoring
  figures, reminders and breakdowns computed from hand-worked fixtures. Its
  deadlines default to a day and fifteen days after receipt.
  ``CaseFactory.build_batch`` plus ``Case.objects.bulk_create`` writes many
  at once (pass ``org_unit``: ``build`` does not save a sub-factory's unit).

Service-backed: :class:`RootCauseAnalysisFactory` (``rca_services.analysis_create``:
history user, cases and team), :class:`WhyStepFactory` (``rca_services.why_step_add``:
numbered in the chain, at most one root cause, marks the analysis as using
5 Whys) and :class:`IshikawaCauseFactory` (``rca_services.cause_add``: a sub-cause sits
on its parent's bone). Ishikawa categories are seeded by a data migration;
the cause factory uses the seeded "people" bone.
"""

import datetime

import factory
from django.utils import timezone

from complaints.models import (
    Case,
    Category,
    IshikawaCategory,
    IshikawaCause,
    Message,
    RootCauseAnalysis,
    RootCauseCategory,
    WhyStep,
)
from complaints.rca import services as rca_services
from tests.factories import OrgUnitFactory, UserFactory, seeded_channel


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    code = factory.Sequence(lambda n: f"category-{n}")


class RootCauseCategoryFactory(factory.django.DjangoModelFactory):
    """A root cause of one's own; the seeded taxonomy (people, methods,
    systems...) is there too."""

    class Meta:
        model = RootCauseCategory

    name = factory.Sequence(lambda n: f"Root cause {n}")
    code = factory.Sequence(lambda n: f"root-cause-{n}")


class CaseFactory(factory.django.DjangoModelFactory):
    """A complaint stored as given (no intake service, no workflow log)."""

    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"K-F-{n:06d}")
    kind = Case.Kind.COMPLAINT
    channel = seeded_channel("phone")
    org_unit = factory.SubFactory(OrgUnitFactory)
    description = "The bill is wrong."
    received_at = factory.LazyFunction(timezone.now)
    acknowledge_due_at = factory.LazyAttribute(
        lambda case: case.received_at + datetime.timedelta(days=1)
    )
    response_due_at = factory.LazyAttribute(
        lambda case: case.received_at + datetime.timedelta(days=15)
    )


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    case = factory.SubFactory(CaseFactory)
    direction = Message.Direction.INCOMING
    subject = "My bill"
    body = "The bill is wrong again."


class RootCauseAnalysisFactory(factory.django.DjangoModelFactory):
    """An open analysis, created by ``rca_services.analysis_create``; ``cases`` and
    ``team`` may be given as lists."""

    class Meta:
        model = RootCauseAnalysis

    title = "Brown water"
    problem_what = "Brown water after mains flushing."
    lead = factory.SubFactory(UserFactory)
    created_by = factory.SelfAttribute("lead")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return rca_services.analysis_create(by=kwargs.pop("created_by"), **kwargs)


class WhyStepFactory(factory.django.DjangoModelFactory):
    """The next step of an analysis's 5 Whys chain (``rca_services.why_step_add``)."""

    class Meta:
        model = WhyStep

    analysis = factory.SubFactory(RootCauseAnalysisFactory)
    question = "Why was the water brown?"
    answer = "Rust came loose in the old pipes."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return rca_services.why_step_add(**kwargs)


class IshikawaCauseFactory(factory.django.DjangoModelFactory):
    """A cause on the seeded "people" bone (``rca_services.cause_add``)."""

    class Meta:
        model = IshikawaCause

    analysis = factory.SubFactory(RootCauseAnalysisFactory)
    category = factory.LazyFunction(lambda: IshikawaCategory.objects.get(code="people"))
    text = "The crew was not trained for flushing."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return rca_services.cause_add(**kwargs)
