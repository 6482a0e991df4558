"""The status buttons of the promises, needs and documents workflows, pressed
in a real browser: each step lands, is logged with its name and shows in the
page's status history in the reader's words. (Cases, plans and analyses are
clicked through in their own flows.)"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from needs.models import Need
from promises.models import Promise
from qms import roles
from qms import services as qms_services
from qms.areas import Area
from qms.models import Document, DocumentVersion
from tests.e2e.conftest import assert_no_csp_violations
from tests.factories import UserFactory
from tests.needs.helpers import make_need
from tests.promises.helpers import make_indicator, make_promise

pytestmark = [
    pytest.mark.e2e,
    # What a person sees in the browser: run once, on SQLite.
    pytest.mark.single_db,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def manager():
    return UserFactory(
        username="kadri",
        first_name="Kadri",
        last_name="Tamm",
        roles=[roles.QUALITY_MANAGER],
    )


def _press(page, step: str, comment: str = "") -> None:
    """Press a workflow step's button (partials/_workflow_actions.html)."""
    form = page.locator("main form").filter(
        has=page.get_by_role("button", name=step, exact=True)
    )
    if comment:
        form.locator("input[name=comment]").fill(comment)
    form.get_by_role("button", name=step, exact=True).click()
    page.wait_for_load_state()


def test_a_promise_and_a_need_move_through_their_status_buttons(
    page, live_server, login, shot, manager
):
    promise = make_promise(manager)
    make_indicator(promise)
    need = make_need(by=manager, owner=manager)
    login(manager)

    page.goto(live_server.url + reverse("promises:promise-detail", args=[promise.pk]))
    _press(page, "Approve")
    _press(page, "Publish")
    promise.refresh_from_db()
    assert promise.status == Promise.Status.PUBLISHED
    assert list(promise.transitions.values_list("action", flat=True)) == [
        "create",
        "approve",
        "publish",
    ]
    history = page.locator("#log-heading + table").inner_text()
    assert "Publish" in history and "Approved → Published" in history
    shot("promise-published")

    page.goto(live_server.url + reverse("needs:need-detail", args=[need.pk]))
    _press(page, "Defer", comment="Not this year: budget.")
    need.refresh_from_db()
    assert (need.status, need.decision_reason) == (
        Need.Status.DEFERRED,
        "Not this year: budget.",
    )
    history = page.locator("#transitions-heading + table").inner_text()
    assert "Identified → Deferred" in history and "Not this year" in history
    shot("need-deferred")
    assert_no_csp_violations(page)


def test_a_document_version_is_sent_returned_resent_and_approved(
    page, live_server, login, shot, manager
):
    author = UserFactory(
        username="jaan",
        first_name="Jaan",
        last_name="Mets",
        roles=[roles.QUALITY_MANAGER],
    )
    document = qms_services.document_create(
        identifier="PD-7",
        title="Handling complaints",
        kind=Document.Kind.PROCESS,
        area=Area.COMPLAINTS,
        owner=author,
        body="Acknowledge within one working day.",
    )
    version = document.versions.get()
    url = live_server.url + reverse(
        "qms:document-version", args=[document.pk, version.number]
    )

    def press(user, step: str, comment: str = "") -> None:
        login(user)
        page.goto(url)
        form = page.locator(f"form[action$='/{step}/']")
        if comment:
            form.locator("textarea").fill(comment)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    press(author, "submit")
    press(manager, "return", comment="Name the deadline.")
    version.refresh_from_db()
    assert version.status == DocumentVersion.Status.DRAFT
    press(author, "submit")
    press(manager, "approve")
    version.refresh_from_db()
    assert version.status == DocumentVersion.Status.APPROVED
    assert list(version.transitions.values_list("action", flat=True)) == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
    ]
    history = page.locator("#workflow-heading + table").inner_text()
    assert "Return to author" in history and "Name the deadline." in history
    shot("document-approved")
    assert_no_csp_violations(page)


def test_a_survey_wave_is_approved_fielded_and_closed(
    page, live_server, login, shot, manager
):
    from surveys.models import Wave
    from tests.surveys.conftest import add_group, build_wave

    wave = build_wave(status=Wave.Status.DRAFT)
    add_group(wave, customers=2)
    login(manager)
    page.goto(live_server.url + reverse("surveys:wave-detail", args=[wave.pk]))
    _press(page, "Approve the plan")
    _press(page, "Start fieldwork")
    _press(page, "Close", comment="Enough answers.")
    wave.refresh_from_db()
    assert wave.status == Wave.Status.CLOSED
    assert wave.approved_by == manager
    assert list(wave.transitions.values_list("action", flat=True)) == [
        "approve",
        "start_fieldwork",
        "close",
    ]
    history = page.locator("#log-heading + table").inner_text()
    assert "In fieldwork → Closed" in history and "Enough answers." in history
    shot("wave-closed")
    assert_no_csp_violations(page)


def test_a_proposal_an_action_and_a_follow_up_through_their_buttons(
    page, live_server, login, shot, manager
):
    from improvements import services as improvement_services
    from improvements.models import Action, Proposal
    from surveys.models import FollowUp
    from tests.improvements.helpers import make_plan
    from tests.surveys.factories import FollowUpFactory

    staff = UserFactory(
        username="mart",
        first_name="Mart",
        last_name="Kask",
        roles=[roles.SERVICE_STAFF],
    )
    proposal = improvement_services.proposal_submit(
        title="Print the due date in bold",
        description="Customers miss the due date on the bill.",
        proposer=staff,
    )
    action = improvement_services.action_create(
        plan=make_plan(manager, manager),
        description="Rewrite the reminder letter",
        owner=manager,
        due_date=datetime.date(2026, 12, 31),
    )
    follow_up = FollowUpFactory(assigned_to=manager)
    login(manager)

    # A proposal: review, accept, turn into a plan.
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_role("button", name="Start review").click()
    page.wait_for_load_state()
    page.goto(
        live_server.url + reverse("improvements:proposal-decide", args=[proposal.pk])
    )
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Record and tell the proposer").click()
    page.wait_for_load_state()
    page.goto(live_server.url + proposal.get_absolute_url())
    page.select_option("form[action$='/plan/'] select[name=owner]", index=1)
    page.get_by_role("button", name="Create the plan").click()
    page.wait_for_load_state()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.PLANNED and proposal.plan is not None
    assert list(proposal.transitions.values_list("action", flat=True)) == [
        "create",
        "review",
        "accept",
        "plan",
    ]

    # An action: its owner marks it done with the evidence.
    page.goto(live_server.url + action.get_absolute_url())
    page.select_option("select[name=status]", label="Done")
    page.fill("textarea[name=evidence]", "New letter sent from 1 December.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (
        Action.Status.DONE,
        timezone.localdate(),
    )
    assert action.transitions.get().action == "complete"

    # A survey follow-up: done, with what came of the call.
    page.goto(live_server.url + reverse("surveys:follow-up-list"))
    row = page.locator(f"form[action$='/{follow_up.pk}/done/']")
    row.locator("input[name=outcome]").fill("Called back; the bill is corrected.")
    row.get_by_role("button", name="Done").click()
    page.wait_for_load_state()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE
    assert follow_up.transitions.get().by == manager
    shot("follow-up-done")
    assert_no_csp_violations(page)


def test_a_report_is_issued_its_decision_closed_and_an_evaluation_confirmed(
    page, live_server, login, shot, manager
):
    from reports import services as report_services
    from reports.models import Report, ReportDecision
    from reports.periods import parse_period
    from standards.models import Evaluation
    from tests.factories import MembershipFactory, OrgUnitFactory
    from tests.standards.helpers import (
        add_criterion,
        approve,
        days,
        evaluate,
        make_standard,
        today,
    )

    report = report_services.report_create(
        period=parse_period("last-quarter", timezone.localdate()), by=manager
    )
    decision = ReportDecision.objects.create(
        report=report, text="Shorten the answer time", owner=manager, due_date=today()
    )
    login(manager)

    # The report: issued from its page (frozen with its PDF).
    page.goto(live_server.url + reverse("reports:report-detail", args=[report.pk]))
    page.locator("form[action$='/issue/']").get_by_role("button", name="Issue").click()
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == Report.Status.ISSUED and report.pdf
    assert report.transitions.get().action == "issue"

    # Its decision: closed as done, with the outcome.
    page.goto(live_server.url + reverse("reports:decision-close", args=[decision.pk]))
    page.select_option("select[name=status]", label="Done")
    page.fill("[name=outcome]", "Answer time is 2 days now.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    decision.refresh_from_db()
    assert decision.status == ReportDecision.Status.DONE
    assert decision.transitions.get().by == manager
    shot("report-issued")

    # An evaluation: the evaluated employee confirms it.
    owner = UserFactory(username="jaan", roles=[roles.PROCESS_OWNER])
    agent = UserFactory(username="mart", roles=[roles.SERVICE_STAFF])
    MembershipFactory(user=agent, unit=OrgUnitFactory(code="cc"))
    standard = make_standard(owner)
    version = standard.document.versions.get()
    add_criterion(version, "Greets.", order=1)
    approve(version, owner, manager, effective_from=today() - days(30))
    evaluation = evaluate(standard, agent, manager, "yes")
    login(agent)
    page.goto(
        live_server.url + reverse("standards:evaluation-detail", args=[evaluation.pk])
    )
    page.get_by_role("button", name="Confirm", exact=True).click()
    page.wait_for_load_state()
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.CONFIRMED
    assert evaluation.transitions.get().action == "confirm"
    shot("evaluation-confirmed")
    assert_no_csp_violations(page)
