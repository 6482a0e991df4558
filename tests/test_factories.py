"""Every factory builds a record that is saved and valid, twice over (so the
sequences keep unique fields unique), and no factory module holds a factory
this list forgets: factories used by few tests cannot rot unnoticed."""

import factory
import pytest

from tests import factories as core
from tests.complaints import factories as complaints
from tests.improvements import factories as improvements
from tests.needs import factories as needs
from tests.promises import factories as promises
from tests.reports import factories as reports
from tests.standards import factories as standards
from tests.surveys import factories as surveys

pytestmark = pytest.mark.django_db

MODULES = [core, complaints, promises, needs, standards, surveys, improvements]
MODULES += [reports]

FACTORIES = [
    core.UserFactory,
    core.OrgUnitFactory,
    core.SegmentFactory,
    core.ServiceFactory,
    core.CustomerFactory,
    core.MembershipFactory,
    core.ClosureDayFactory,
    core.DocumentFactory,
    complaints.CategoryFactory,
    complaints.RootCauseCategoryFactory,
    complaints.CaseFactory,
    complaints.MessageFactory,
    complaints.RootCauseAnalysisFactory,
    complaints.WhyStepFactory,
    complaints.IshikawaCauseFactory,
    promises.PromiseFactory,
    promises.PromiseIndicatorFactory,
    promises.FulfilmentEventFactory,
    promises.PrincipleScoreFactory,
    promises.PromiseReviewFactory,
    promises.BrokenPromiseTagFactory,
    needs.NeedFactory,
    needs.NeedReviewFactory,
    needs.NeedLinkFactory,
    standards.StandardFactory,
    standards.CriterionFactory,
    standards.EvaluationFactory,
    standards.AcknowledgementFactory,
    standards.CalibrationSessionFactory,
    standards.SamplingPlanFactory,
    standards.InteractionFactory,
    standards.TimelinessFigureFactory,
    surveys.SeriesFactory,
    surveys.QuestionnaireFactory,
    surveys.SectionFactory,
    surveys.QuestionFactory,
    surveys.OptionFactory,
    surveys.WaveFactory,
    surveys.TargetGroupFactory,
    surveys.ParticipantFactory,
    surveys.ResponseFactory,
    surveys.AnswerFactory,
    surveys.FollowUpFactory,
    improvements.ProposalFactory,
    improvements.PlanFactory,
    improvements.ActionFactory,
    improvements.EffectivenessCheckFactory,
    reports.DistributionListFactory,
    reports.ReportFactory,
    reports.ReportDecisionFactory,
]


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_factory_saves_valid_records(factory_class):
    model = factory_class._meta.model
    records = factory_class.create_batch(2)
    assert records[0].pk != records[1].pk
    for record in records:
        stored = model._default_manager.get(pk=record.pk)
        stored.full_clean()


def test_every_factory_is_checked():
    defined = {
        value
        for module in MODULES
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value.__module__ == module.__name__
    }
    assert defined == set(FACTORIES)
