"""Pages: who may read, create, issue and approve; the flows through them.

The cases and the quarter's draft are built once for the module (each test
works in a savepoint of them); PDFs are issued, stored and served without
WeasyPrint's layout (``pdf_layout_skipped``: test_issuing.py reads real ones)."""

import datetime

import pytest
from django.urls import reverse

from reports import services
from reports.models import DistributionList, Report, ReportDecision
from reports.periods import parse_period

from .helpers import (
    NOW,
    VOLUME,
    frozen_world,
    make_cases,
    make_customers,
    make_quality_manager,
    world_user,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("frozen", "pdf_layout_skipped"),
    pytest.mark.xdist_group("reports-views"),
]

TODAY = NOW.date()


@frozen_world
def data():
    """A year of cases, and the quality manager's draft of Q2 2026."""
    make_customers(10)
    make_cases(VOLUME)
    draft = services.report_create(
        period=parse_period("2026-Q2", TODAY),
        by=make_quality_manager(),
        today=TODAY,
    )
    return {"draft": draft.pk}


@pytest.fixture
def quality_manager(data):
    """The module's quality manager, the draft's author."""
    return world_user("qm")


@pytest.fixture
def draft(data):
    return Report.objects.get(pk=data["draft"])


@pytest.fixture
def issued(draft, quality_manager):
    return services.report_issue(report=draft, by=quality_manager)


def test_executive_reads_and_downloads_but_cannot_issue(
    client_for, executive, issued, draft
):
    client = client_for(executive)
    page = client.get(reverse("reports:home"))
    assert "Q2 2026" in page.content.decode()
    detail = client.get(issued.get_absolute_url())
    assert detail.status_code == 200
    assert "Complaints, claims and disputes" in detail.content.decode()
    response = client.get(reverse("reports:report-pdf", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = services.report_create(
        period=parse_period("2026-05", TODAY), by=None, today=TODAY
    )
    assert (
        client.post(reverse("reports:report-issue", args=[other.pk])).status_code == 403
    )
    # Drafts are the quality manager's work in progress.
    assert client.get(other.get_absolute_url()).status_code == 404
    other.refresh_from_db()
    assert other.status == Report.Status.DRAFT


def test_missing_report_is_404(client_for, quality_manager):
    client = client_for(quality_manager)
    assert client.get(reverse("reports:report-detail", args=[999])).status_code == 404
    assert client.get(reverse("reports:report-pdf", args=[999])).status_code == 404


def test_quality_manager_creates_edits_and_issues(client_for, quality_manager, data):
    DistributionList.objects.create(name="Board", emails="board@example.org")
    client = client_for(quality_manager)
    response = client.post(
        reverse("reports:report-create"), {"period": "2026-Q2", "language": "en"}
    )
    report = Report.objects.exclude(pk=data["draft"]).get()
    assert response.url == reverse("reports:report-edit", args=[report.pk])
    assert "Targets missed" in report.summary
    response = client.post(
        reverse("reports:report-edit", args=[report.pk]),
        {
            "summary": "April was busy.",
            "conclusions": "Capacity is short.",
            "recommendations": "Add staff.",
            "distribution": "",
        },
    )
    assert response.status_code == 302
    detail = client.get(report.get_absolute_url()).content.decode()
    assert "April was busy." in detail and "Draft:" in detail
    response = client.post(reverse("reports:report-issue", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED
    assert report.summary == "April was busy."
    detail = client.get(report.get_absolute_url()).content.decode()
    assert report.pdf_checksum in detail and "(verified)" in detail


def test_bad_period_shows_an_error_and_saves_nothing(client_for, quality_manager):
    before = Report.objects.count()  # the module's draft
    client = client_for(quality_manager)
    response = client.post(
        reverse("reports:report-create"), {"period": "2026-Q9", "language": "en"}
    )
    assert response.status_code == 200
    assert "YYYY-Qn" in response.content.decode()
    response = client.post(
        reverse("reports:report-create"), {"period": "2099-01", "language": "en"}
    )
    assert "has not begun" in response.content.decode()
    assert Report.objects.count() == before


def test_approval_by_a_second_quality_manager(
    settings, client_for, draft, quality_manager, second_quality_manager
):
    settings.REPORTS_REQUIRE_APPROVAL = True
    client = client_for(quality_manager)
    client.post(reverse("reports:report-issue", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Report.Status.AWAITING_APPROVAL
    client.post(reverse("reports:report-approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Report.Status.AWAITING_APPROVAL  # not by the author
    client_for(second_quality_manager).post(
        reverse("reports:report-approve", args=[draft.pk])
    )
    draft.refresh_from_db()
    assert draft.status == Report.Status.ISSUED
    assert draft.approver == second_quality_manager


def test_issue_must_be_posted(client_for, quality_manager, draft):
    response = client_for(quality_manager).get(
        reverse("reports:report-issue", args=[draft.pk])
    )
    assert response.status_code == 405


def test_decisions_are_recorded_and_closed_by_their_owner(
    client_for, quality_manager, process_owner, executive, issued
):
    client = client_for(quality_manager)
    response = client.post(
        reverse("reports:decision-create", args=[issued.pk]),
        {
            "text": "Hire two agents",
            "owner": process_owner.pk,
            "due_date": "2026-09-30",
        },
    )
    assert response.status_code == 302
    decision = ReportDecision.objects.get()
    assert decision.status == ReportDecision.Status.OPEN
    # Bad input: no due date, nothing saved.
    response = client.post(
        reverse("reports:decision-create", args=[issued.pk]),
        {"text": "x", "owner": process_owner.pk, "due_date": ""},
    )
    assert response.status_code == 400 and ReportDecision.objects.count() == 1
    owner_client = client_for(process_owner)
    response = owner_client.post(
        reverse("reports:decision-close", args=[decision.pk]),
        {"status": "done", "outcome": "Two agents started in September."},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done" and decision.completed_on == TODAY
    listing = client_for(executive).get(
        reverse("reports:decision-list") + "?status=done"
    )
    assert "Hire two agents" in listing.content.decode()


def test_quality_manager_edits_and_deletes_a_decision(
    client_for, quality_manager, process_owner, issued
):
    decision = ReportDecision.objects.create(
        report=issued,
        text="Old",
        owner=process_owner,
        due_date=datetime.date(2026, 9, 1),
    )
    client = client_for(quality_manager)
    client.post(
        reverse("reports:decision-edit", args=[decision.pk]),
        {"text": "New", "owner": process_owner.pk, "due_date": "2026-10-01"},
    )
    decision.refresh_from_db()
    assert decision.text == "New"
    client.post(reverse("reports:decision-delete", args=[decision.pk]))
    assert not ReportDecision.objects.exists()


def test_distribution_lists_are_managed_by_quality_managers(
    client_for, quality_manager
):
    client = client_for(quality_manager)
    response = client.post(
        reverse("reports:distribution-create"),
        {"name": "Board", "emails": "a@example.org\nnot-an-address", "users": []},
    )
    assert response.status_code == 200 and not DistributionList.objects.exists()
    client.post(
        reverse("reports:distribution-create"),
        {"name": "Board", "emails": "a@example.org\n\nb@example.org ", "users": []},
    )
    assert DistributionList.objects.get().email_lines() == [
        "a@example.org",
        "b@example.org",
    ]


def test_dashboard_drills_down_to_the_area_pages(client_for, executive, data):
    page = client_for(executive).get(reverse("reports:dashboard") + "?kind=quarter")
    html = page.content.decode()
    assert "Q2 2026" in html
    assert reverse("complaints:monitoring") + "?start=2026-04&amp;end=2026-06" in html
    assert reverse("needs:monitoring") in html
    assert "No significant change" in html or "Significant" in html


def test_report_list_filters_and_query_count(
    client_for, quality_manager, django_assert_num_queries
):
    for month in range(1, 8):
        Report.objects.create(
            kind="month",
            period_start=datetime.date(2026, month, 1),
            period_end=datetime.date(2026, month + 1, 1),
            author=quality_manager,
        )
    client = client_for(quality_manager)
    # Session, user, permissions (2), count, page of reports with joins,
    # process description (2).
    with django_assert_num_queries(6):
        response = client.get(reverse("reports:home") + "?kind=month&year=2026")
    assert response.status_code == 200
    assert "July 2026" in response.content.decode()
    response = client.get(reverse("reports:home") + "?kind=year")
    assert "July 2026" not in response.content.decode()


def test_busy_report_pages_have_unique_ids(client_for, quality_manager, issued):
    import re
    from collections import Counter

    ids = re.compile(r'\sid="([^"]+)"')
    client = client_for(quality_manager)
    for url in [
        issued.get_absolute_url(),
        reverse("reports:dashboard"),
        reverse("reports:home"),
        reverse("reports:report-create"),
    ]:
        html = client.get(url).content.decode()
        duplicates = [i for i, n in Counter(ids.findall(html)).items() if n > 1]
        assert duplicates == [], url
