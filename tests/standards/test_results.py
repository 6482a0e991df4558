"""Results figures: the page, the measures and the report section agree."""

import datetime

import pytest
from django.urls import reverse

from qms import measures
from qms.reporting import ReportPeriod, SectionRequest
from standards import reports, results
from standards.models import TimelinessFigure
from tests.standards.helpers import evaluate, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(standard, agent, quality_manager):
    """Five evaluations: 3 compliant, 1 critical fail, 1 below 80 %."""
    day = today()
    rows = [
        ("yes", "yes", "5"),  # 100
        ("yes", "yes", "4"),  # (2+3+0.75)/6 = 95.8
        ("yes", "yes", "3"),  # 91.7
        ("yes", "no", "5"),  # 50, critical fail
        ("no", "yes", "1"),  # 3/6 = 50, below the pass mark
    ]
    for i, values in enumerate(rows):
        evaluate(standard, agent, quality_manager, *values, day=day, reference=f"R{i}")


def _this_month():
    start = today().replace(day=1)
    return start, (start + datetime.timedelta(days=32)).replace(day=1)


def test_overall_and_criterion_figures(scored):
    start, end = _this_month()
    filters = results.Filters(start=start, end=end)
    overall = results.overall(filters)
    assert (overall.n, overall.compliant, overall.critical) == (5, 3, 1)
    # mean score with the critical fail as 0: (100 + 95.83 + 91.67 + 0 + 50) / 5
    assert overall.mean_score == pytest.approx((100 + 95.83 + 91.67 + 0 + 50) / 5)
    criteria = {r.behaviour: r for r in results.by_criterion(filters)}
    # Scale fails at 2 or less: one "1" out of five.
    assert criteria["Summarises the next step."].failed == 1
    assert criteria["Checks identity."].failed == 1
    assert criteria["Greets."].failed == 1
    needs = results.training_needs(filters, threshold=0.1, min_checks=5)
    assert {n.behaviour for n in needs} == {
        "Greets.",
        "Checks identity.",
        "Summarises the next step.",
    }
    assert results.training_needs(filters, threshold=0.2, min_checks=5) == []


def test_measures_equal_the_results_page(client_for, quality_manager, scored):
    start, end = _this_month()
    page = client_for(quality_manager).get(reverse("standards:results"))
    body = page.content.decode()
    compliance = measures.get("standards.compliance")
    [point] = compliance.points(start, end)
    assert (point.successes, point.trials) == (3, 5)
    assert 'id="overall-compliance">60.0 %' in body
    critical = measures.get("standards.critical_fail_share")
    [point] = critical.points(start, end)
    assert critical.value(point) == pytest.approx(0.2)
    assert 'id="overall-critical">20.0 %' in body
    [point] = measures.get("standards.mean_score").points(start, end, period="month")
    assert point.n == 5


def test_timeliness_measure_and_table(client_for, quality_manager, scored):
    from qms.models import Channel

    TimelinessFigure.objects.create(
        date=today(),
        channel=Channel.objects.get(code="phone"),
        metric="answer_seconds",
        count=200,
        within_target=150,
        mean_value=18.5,
        target_value=20,
    )
    start, end = _this_month()
    [point] = measures.get("standards.timeliness_on_target").points(start, end)
    assert (point.successes, point.trials) == (150, 200)
    body = client_for(quality_manager).get(reverse("standards:results")).content
    assert "75.0 %" in body.decode()


def test_report_section_has_tables_and_signals(scored):
    start, end = _this_month()
    section = reports.section(SectionRequest(ReportPeriod("month", start, end)))
    assert section.key == "standards"
    titles = [t.title for t in section.tables]
    assert titles == [
        "Compliance by channel",
        "Acknowledgement of the standards in force",
        "Weakest criteria",
    ]
    assert section.tables[0].rows[0][1] == 5
    # 60 % compliant is below the 85 % target; 20 % critical fails above 5 %.
    assert [s.level for s in section.signals] == ["breach", "breach"]
    assert section.as_dict()["indicators"][0]["measure"] == "standards.compliance"


def test_results_propose_improvement_for_weakest(client_for, quality_manager, scored):
    body = client_for(quality_manager).get(reverse("standards:results")).content
    assert "Propose an improvement" in body.decode()


def test_results_unit_filter(client_for, quality_manager, scored, unit):
    client = client_for(quality_manager)
    response = client.get(reverse("standards:results"), {"unit": unit.pk})
    assert 'id="overall-compliance">60.0 %' in response.content.decode()
    response = client.get(reverse("standards:results"), {"unit": other_unit().pk})
    assert 'id="overall-compliance">\u2013' in response.content.decode()


def other_unit():
    from tests.factories import OrgUnitFactory

    return OrgUnitFactory()
