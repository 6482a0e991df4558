"""Management report flow in a real browser: an executive opens the
dashboard, drills down into one indicator and downloads the quarterly
report's PDF."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from qms import roles
from reports import services as report_services
from reports.periods import parse_period
from tests.e2e.conftest import assert_no_csp_violations
from tests.factories import OrgUnitFactory, UserFactory, register_case

pytestmark = [
    pytest.mark.e2e,
    # What a person sees in the browser: run once, on SQLite.
    pytest.mark.single_db,
    # The live server runs in another thread: data must be committed.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def quarterly_report():
    """Last quarter's report, issued (frozen with its PDF) by the quality
    manager, over a few complaints."""
    author = UserFactory(username="laura", roles=[roles.QUALITY_MANAGER])
    unit = OrgUnitFactory(code="service")
    for subject in ("Wrong bill", "Late answer", "Brown water"):
        register_case(org_unit=unit, subject=subject)
    today = timezone.localdate()
    report = report_services.report_create(
        period=parse_period("last-quarter", today), by=author
    )
    return report_services.report_issue(report=report, by=author)


def test_executive_opens_the_dashboard_drills_down_and_downloads_the_pdf(
    page, live_server, login, shot, quarterly_report
):
    assert quarterly_report.is_issued and quarterly_report.pdf
    executive = UserFactory(username="eeva", roles=[roles.EXECUTIVE])
    login(executive)

    dashboard = f"{live_server.url}{reverse('reports:dashboard')}"
    page.goto(dashboard)
    assert "Executive dashboard" in page.inner_text("main h1")
    shot("dashboard")
    drill = page.locator("main .dash-card .card-title a").first
    label = drill.inner_text().strip()
    target = drill.get_attribute("href")
    assert target and label
    drill.click()
    page.wait_for_url(lambda url: url.split("?")[0] != dashboard)
    assert page.url.startswith(live_server.url)
    assert "/accounts/login/" not in page.url
    assert page.locator("main h1").count() == 1
    shot("drill-down")

    page.goto(f"{live_server.url}{reverse('reports:home')}")
    row = page.locator("main tr", has_text=quarterly_report.period_label)
    shot("reports-list")
    with page.expect_download() as info:
        row.get_by_role("link", name=re.compile("Download")).click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert_no_csp_violations(page)
