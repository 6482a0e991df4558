"""Drafts, issue and approval, freezing, the PDF, distribution, decisions.

The cases and the quarter's draft are built once for the module (each test
works in a savepoint of them). Only the tests that read a PDF's text lay it
out with WeasyPrint; the others skip the layout (``pdf_layout_skipped``)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from reports import services
from reports.models import DistributionList, Report, ReportDecision
from reports.periods import parse_period
from tests.pdf import pdf_text

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
    pytest.mark.usefixtures("frozen"),
    pytest.mark.xdist_group("reports-issuing"),
]

TODAY = NOW.date()


@frozen_world
def data():
    """A year of cases, and the quality manager's draft of Q2 2026."""
    make_customers(20)
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


def _cases_value(content):
    (section,) = [s for s in content["sections"] if s["key"] == "complaints"]
    return {r["measure"]: r for r in section["indicators"]}["complaints.cases"]


def test_draft_starts_with_the_summary_drawn_from_signals(draft):
    assert draft.status == Report.Status.DRAFT
    assert "Cases received worsened significantly: 30 → 57." in draft.summary
    assert draft.kind == "quarter" and draft.period_label == "Q2 2026"


def test_a_period_that_has_not_begun_is_refused(data, quality_manager):
    before = Report.objects.count()  # the module's draft
    with pytest.raises(ValidationError):
        services.report_create(
            period=parse_period("2026-Q4", TODAY), by=quality_manager, today=TODAY
        )
    assert Report.objects.count() == before


def test_issued_report_is_frozen_and_does_not_change_with_the_data(
    draft, quality_manager, pdf_layout_skipped
):
    services.report_update(
        report=draft,
        summary="Volume jumped in April.",
        conclusions="Staff the peak.",
        recommendations="Hire two agents.",
    )
    report = services.report_issue(report=draft, by=quality_manager)
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED
    assert report.issued_at is not None and report.version == 1
    assert len(report.pdf_checksum) == 64 and services.verify(report)
    snapshot, checksum = report.snapshot, report.pdf_checksum
    assert _cases_value(snapshot)["value"] == 57

    make_cases({(2026, 5): 40})  # data changes after issue

    report.refresh_from_db()
    assert report.snapshot == snapshot and report.pdf_checksum == checksum
    assert services.verify(report)
    assert _cases_value(services.report_content(report))["value"] == 57
    # A draft of the same period would show the new figure.
    assert _cases_value(services.build_content_for(report.period))["value"] == 97
    with pytest.raises(ValidationError):
        services.report_update(
            report=report, summary="x", conclusions="", recommendations=""
        )
    with pytest.raises(ValidationError):
        services.report_issue(report=report, by=quality_manager)


def test_pdf_holds_the_headings_and_figures(draft, quality_manager):
    report = services.report_issue(report=draft, by=quality_manager)
    with report.pdf.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for heading in (
        "Management report",
        "Q2 2026",
        "Contents",
        "Executive summary",
        "Complaints, claims and disputes",
        "Customer needs",
        "Improvements",
        "Decisions of earlier reviews",
        "Conclusions and recommendations",
        "Methods",
        "Two-proportion z-test",
    ):
        # Compared without spaces: text extraction may split a kerned word
        # ("T wo-proportion").
        assert heading.replace(" ", "") in text.replace(" ", ""), heading
    assert "Cases received" in text
    assert "57" in text and "30 → 57" in text
    # The customer's name never reaches the report.
    assert "K-T-" not in text
    # Page numbers in the footer ("Page 3 / N").
    assert "Page 3 /" in text


def test_second_person_approval(
    settings, draft, quality_manager, second_quality_manager
):
    settings.REPORTS_REQUIRE_APPROVAL = True
    report = services.report_issue(report=draft, by=quality_manager)
    assert report.status == Report.Status.AWAITING_APPROVAL
    assert not report.pdf
    with pytest.raises(ValidationError, match="own report"):
        services.report_approve(report=report, by=quality_manager)
    report = services.report_approve(report=report, by=second_quality_manager)
    assert report.status == Report.Status.ISSUED
    assert report.approver == second_quality_manager
    assert "Approver" in pdf_text(report.pdf.open("rb").read())


def test_approver_can_return_a_report_to_draft(
    settings, draft, quality_manager, second_quality_manager
):
    settings.REPORTS_REQUIRE_APPROVAL = True
    report = services.report_issue(report=draft, by=quality_manager)
    report = services.report_return(report=report, by=second_quality_manager)
    assert report.status == Report.Status.DRAFT
    with pytest.raises(ValidationError):
        services.report_approve(report=report, by=second_quality_manager)


def test_distribution_mails_the_pdf_to_users_and_addresses(
    draft, quality_manager, executive, pdf_layout_skipped
):
    executive.email = "exec@example.org"
    executive.save()
    board = DistributionList.objects.create(name="Board", emails="cfo@example.org\n")
    board.users.add(executive)
    draft.distribution = board
    draft.save()
    report = services.report_issue(report=draft, by=quality_manager)
    assert services.report_distribute(report=report) == 2
    (message,) = mail.outbox
    assert sorted(message.bcc) == ["cfo@example.org", "exec@example.org"]
    assert message.subject == "Management report Q2 2026"
    (name, _content, mimetype) = message.attachments[0]
    assert mimetype == "application/pdf" and name.endswith(".pdf")
    assert f"/reports/{report.pk}/pdf/" in message.body
    assert report.distributed_at is not None


def test_decisions_of_the_previous_report_appear_in_the_next(
    draft, quality_manager, process_owner, pdf_layout_skipped
):
    report = services.report_issue(report=draft, by=quality_manager)
    done = ReportDecision.objects.create(
        report=report,
        text="Hire two agents",
        owner=process_owner,
        due_date=datetime.date(2026, 9, 1),
    )
    ReportDecision.objects.create(
        report=report,
        text="Review billing root causes",
        owner=process_owner,
        due_date=datetime.date(2026, 8, 1),
    )
    services.decision_close(decision=done, status="done", outcome="Hired.")
    content = services.build_content_for(parse_period("2026-Q3", TODAY))
    decisions = {d["text"]: d for d in content["decisions"]}
    assert decisions["Hire two agents"]["status"] == "done"
    assert decisions["Review billing root causes"]["status"] == "open"
    assert decisions["Review billing root causes"]["overdue"] is True
    with pytest.raises(ValidationError):
        services.decision_close(decision=done, status="done", outcome="Again")


def test_versions_count_issued_reports_of_the_same_period(
    draft, quality_manager, pdf_layout_skipped
):
    services.report_issue(report=draft, by=quality_manager)
    second = services.report_create(
        period=parse_period("2026-Q2", TODAY), by=quality_manager, today=TODAY
    )
    second = services.report_issue(report=second, by=quality_manager)
    assert second.version == 2


def test_estonian_report_names_the_period_in_estonian(data, quality_manager):
    report = services.report_create(
        period=parse_period("2026-05", TODAY),
        language="et",
        by=quality_manager,
        today=TODAY,
    )
    report = services.report_issue(report=report, by=quality_manager)
    assert report.snapshot["language"] == "et"
    assert report.snapshot["period"]["label"] == "mai 2026"
    text = pdf_text(report.pdf.open("rb").read())
    assert "mai 2026" in text


def test_issuing_by_post_mails_when_asked(
    client_for, draft, quality_manager, pdf_layout_skipped
):
    from django.urls import reverse

    board = DistributionList.objects.create(name="Board", emails="b@example.org")
    draft.distribution = board
    draft.save()
    client = client_for(quality_manager)
    client.post(reverse("reports:report-issue", args=[draft.pk]), {"send": "1"})
    assert len(mail.outbox) == 1
    # Posting again neither re-issues nor re-sends.
    client.post(reverse("reports:report-issue", args=[draft.pk]), {"send": "1"})
    assert len(mail.outbox) == 1
