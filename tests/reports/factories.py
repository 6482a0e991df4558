"""factory_boy factories for management reports (conventions in
``tests/factories.py``).

:class:`ReportFactory` writes a draft as stored, for a fixed quarter (Q1
2026), with an empty summary: ``services.report_create`` would compute the
summary's draft from every area's figures, which a test about something
else does not need. Submitting, approving and issuing (the frozen snapshot,
the PDF and their checksums) only ever go through ``services.report_issue``
and ``report_approve``; no factory sets ``status``.

:class:`DistributionListFactory` takes ``users=[...]``; decisions are
written as ``services.decision_save`` would (it only validates).
"""

import datetime

import factory
from django.utils import timezone

from reports.models import DistributionList, Report, ReportDecision
from tests.factories import UserFactory


class DistributionListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistributionList
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Board {n}")
    emails = "board@example.org"

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        if create and extracted:
            self.users.set(extracted)


class ReportFactory(factory.django.DjangoModelFactory):
    """A draft of the whole organisation's Q1 2026 report, in English."""

    class Meta:
        model = Report

    kind = Report.Kind.QUARTER
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 4, 1)
    author = factory.SubFactory(UserFactory)


class ReportDecisionFactory(factory.django.DjangoModelFactory):
    """An open decision due in sixty days."""

    class Meta:
        model = ReportDecision

    report = factory.SubFactory(ReportFactory)
    text = "Hire two agents."
    owner = factory.SubFactory(UserFactory)
    due_date = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=60)
    )
