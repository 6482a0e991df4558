"""The reports demo: an issued quarterly report with decisions and a draft
for the current month, seeded after the complaints demo; safe to run twice;
its PDF renders. How long the PDF takes is the benchmark's to measure
(README, Performance), not a test's: a time limit fails by the machine's
load, not by the code."""

import pytest
from django.utils import timezone

from complaints import demo as complaints_demo
from qms import demo
from reports import demo as reports_demo
from reports import pdf, services
from reports.models import DistributionList, Report, ReportDecision
from reports.periods import last_full, period_of

# The demo data is engine-independent (written through the services every
# other test covers on both databases): checked once, in the SQLite run,
# beside the quick start, which seeds it the README's way.
pytestmark = [pytest.mark.django_db, pytest.mark.single_db]


def test_demo_reports():
    ctx = demo.seed()
    complaints_demo.seed(ctx)
    reports_demo.seed(ctx)
    reports_demo.seed(ctx)  # twice: nothing new
    today = timezone.localdate()
    issued = Report.objects.get(status=Report.Status.ISSUED)
    assert issued.period == last_full("quarter", today)
    assert services.verify(issued)
    assert ReportDecision.objects.filter(report=issued).count() == 2
    draft = Report.objects.get(status=Report.Status.DRAFT)
    assert draft.period == period_of("month", today)
    assert DistributionList.objects.get(is_default=True).users.count() == 2

    content = services.report_content(issued)
    data = pdf.render_pdf(issued, content)
    assert data.startswith(b"%PDF")
