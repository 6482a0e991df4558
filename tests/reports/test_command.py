"""The scheduled run: command and Celery task generate, issue and mail.

The cases and the default list are built once for the module (each test works
in a savepoint of them); PDFs are issued without WeasyPrint's layout
(``pdf_layout_skipped``: test_issuing.py reads real ones)."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from reports import tasks
from reports.models import DistributionList, Report

from .helpers import VOLUME, frozen_world, make_cases, make_customers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("frozen", "pdf_layout_skipped"),
    pytest.mark.xdist_group("reports-command"),
]


@frozen_world
def board():
    """A year of cases and the default distribution list."""
    make_customers(10)
    make_cases(VOLUME)
    return DistributionList.objects.create(
        name="Board", emails="board@example.org", is_default=True
    ).pk


def test_command_generates_issues_and_mails_the_report(board, capsys):
    call_command("generate_reports", "--period", "last-quarter")
    report = Report.objects.get()
    assert report.status == Report.Status.ISSUED
    assert (report.kind, str(report.period_start)) == ("quarter", "2026-04-01")
    assert report.author is None and report.pdf_checksum
    (message,) = mail.outbox
    assert message.bcc == ["board@example.org"]
    assert message.attachments[0][2] == "application/pdf"
    assert "created" in capsys.readouterr().out
    # Safe to run twice: nothing new, nothing sent again.
    call_command("generate_reports", "--period", "last-quarter")
    assert Report.objects.count() == 1 and len(mail.outbox) == 1


def test_command_leaves_the_report_for_approval_when_required(board, settings):
    settings.REPORTS_REQUIRE_APPROVAL = True
    call_command("generate_reports", "--period", "2026-06")
    report = Report.objects.get()
    assert report.status == Report.Status.AWAITING_APPROVAL
    assert mail.outbox == []


def test_command_refuses_a_bad_period_or_unit(board):
    with pytest.raises(CommandError, match="YYYY-Qn"):
        call_command("generate_reports", "--period", "next-week")
    with pytest.raises(CommandError, match="unit"):
        call_command("generate_reports", "--period", "2026-05", "--unit", "nope")
    assert not Report.objects.exists()


def test_celery_task_runs_the_same(board):
    pk = tasks.generate_scheduled_report.delay(period="2026-07").get()
    report = Report.objects.get(pk=pk)
    assert report.kind == "month" and report.status == Report.Status.ISSUED
    assert len(mail.outbox) == 1


def test_beat_schedule_has_the_monthly_and_quarterly_runs(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reports-monthly"]["kwargs"] == {"period": "last-month"}
    assert schedule["reports-quarterly"]["kwargs"] == {"period": "last-quarter"}
