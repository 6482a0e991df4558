"""Pages: what writers and readers may do beyond the role-by-view matrix
(tests/qms/access_matrix.py), the origin card, and query budgets on the
overview pages."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from improvements import services
from improvements.models import Action, Plan, Proposal
from tests.factories import UserFactory, register_case

from .helpers import make_plan

pytestmark = pytest.mark.usefixtures("fake_measures")


@pytest.fixture
def plan(quality_manager, process_owner):
    return make_plan(process_owner, quality_manager)


@pytest.fixture
def action(plan, process_owner):
    return services.action_create(
        plan=plan,
        description="Notify customers before flushing",
        owner=process_owner,
        due_date=datetime.date(2020, 1, 1),
    )


@pytest.mark.parametrize("persona", ["quality_manager", "executive", "process_owner"])
def test_overview_readers_see_it(client_for, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("improvements:home")
    )
    assert response.status_code == 200
    assert "Process description" in response.content.decode()


def test_overview_flags_overdue_and_costs_constant_queries(
    client_for, quality_manager, action, django_assert_num_queries
):
    for n in range(5):
        services.action_create(
            plan=action.plan,
            description=f"Extra {n}",
            owner=action.owner,
            due_date=datetime.date(2020, 1, 2),
        )
        services.proposal_submit(title=f"P{n}", description="x", proposer=action.owner)
    client = client_for(quality_manager)
    # Session + user + permissions (3), awaiting list + count, plan counts,
    # overdue, due for check, verdicts (6), process description (≤3).
    with django_assert_num_queries(10):
        response = client.get(reverse("improvements:home"))
    body = response.content.decode()
    assert "Overdue" in body
    assert "Extra 4" in body


def test_plan_list_and_detail_query_budget(
    client_for, quality_manager, process_owner, django_assert_num_queries
):
    for n in range(8):
        plan = make_plan(process_owner, quality_manager, title=f"Plan {n}")
        services.action_create(
            plan=plan,
            description="A",
            owner=process_owner,
            due_date=datetime.date(2030, 1, 1),
        )
    client = client_for(quality_manager)
    # Session, user, permissions, count, page with owners and open actions,
    # owner choices of the filter form.
    with django_assert_num_queries(6):
        response = client.get(reverse("improvements:plan-list"))
    assert response.status_code == 200
    with django_assert_num_queries(12):
        assert client.get(plan.get_absolute_url()).status_code == 200


def test_action_owner_edits_own_action(client_for, process_owner, action):
    response = client_for(process_owner).post(
        action.get_absolute_url(),
        {
            "status": Action.Status.DONE,
            "evidence": "Letters sent",
            "evidence_file": SimpleUploadedFile("note.txt", b"sent to 400 homes"),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.evidence_file


def test_evidence_file_of_wrong_type_is_refused(client_for, process_owner, action):
    response = client_for(process_owner).post(
        action.get_absolute_url(),
        {
            "status": Action.Status.DONE,
            "evidence_file": SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03\x00\x00"),
        },
    )
    assert response.status_code == 200
    assert "cannot be attached" in response.content.decode()


def test_other_staff_cannot_edit_the_action(client_for, service_staff, action):
    response = client_for(service_staff).post(
        action.get_absolute_url(), {"status": Action.Status.DONE}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_staff_edits_an_action_they_own(client_for, plan):
    staff = UserFactory(roles=["Service staff"])
    action = services.action_create(
        plan=plan, description="x", owner=staff, due_date=datetime.date(2030, 1, 1)
    )
    response = client_for(staff).post(
        action.get_absolute_url(), {"status": Action.Status.IN_PROGRESS}
    )
    assert response.status_code == 302


def test_executive_sees_but_cannot_update_an_action(client_for, executive, action):
    # The form is shown to readers (the matrix: GET 200); saving it is refused.
    client = client_for(executive)
    assert client.post(action.get_absolute_url(), {"status": "done"}).status_code == 403


def test_my_actions_lists_own_and_flags_overdue(client_for, process_owner, action):
    response = client_for(process_owner).get(reverse("improvements:action-mine"))
    body = response.content.decode()
    assert action.description in body
    assert "Overdue" in body


def test_case_page_offers_a_prefilled_proposal(
    client_for, quality_manager, service_staff
):
    case = register_case()
    response = client_for(quality_manager).get(case.get_absolute_url())
    ref = f"complaints.case:{case.pk}"
    assert f"origin={ref.replace(':', '%3A')}" in response.content.decode()
    client = client_for(service_staff)
    form_page = client.get(reverse("improvements:proposal-create"), {"origin": ref})
    assert str(case) in form_page.content.decode()
    response = client.post(
        reverse("improvements:proposal-create"),
        {
            "title": "Check the meter first",
            "description": "Many bills are wrong",
            "area": "complaints",
            "origin": ref,
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.origin == case
    assert proposal.proposer == service_staff
    mine = client.get(reverse("improvements:proposal-mine")).content.decode()
    assert "Check the meter first" in mine


@pytest.mark.parametrize(
    "ref", ["nope.nothing:1", "complaints.case:999999", "garbage", "auth.user:x"]
)
def test_bad_origin_is_404(client_for, service_staff, ref):
    response = client_for(service_staff).get(
        reverse("improvements:proposal-create"), {"origin": ref}
    )
    assert response.status_code == 404


def test_quality_manager_rejects_with_reason_and_proposer_is_told(
    client_for, quality_manager, service_staff
):
    proposal = services.proposal_submit(
        title="T", description="D", proposer=service_staff
    )
    client = client_for(quality_manager)
    url = reverse("improvements:proposal-decide", args=[proposal.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    response = client.post(url, {"decision": "reject", "reason": "Out of scope"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert mail.outbox[0].to == [service_staff.email]


def test_owner_starts_plan_only_with_criterion(
    client_for, quality_manager, process_owner, plan
):
    services.plan_approve(plan=plan, by=quality_manager)
    client = client_for(process_owner)
    url = reverse("improvements:plan-transition", args=[plan.pk])
    response = client.post(url, {"to": "in_progress"}, follow=True)
    assert "criterion" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.PLANNED
    response = client.post(
        reverse("improvements:plan-criterion", args=[plan.pk]),
        {
            "measure_key": "tests.fake_rate",
            "filters": "{}",
            "baseline_start": "2024-03-01",
            "baseline_end": "2024-06-01",
            "follow_up_days": "90",
        },
    )
    assert response.status_code == 302
    client.post(url, {"to": "in_progress"})
    plan.refresh_from_db()
    assert plan.status == Plan.Status.IN_PROGRESS
    # The owner may not close the plan on their own.
    assert client.post(url, {"to": "closed_effective"}).status_code == 403


def test_plan_detail_shows_chart_and_verdict(
    client_for, quality_manager, process_owner
):
    from .helpers import AFTER_WINDOW, implemented_plan

    plan = implemented_plan(
        process_owner,
        quality_manager,
        before={"count": 120, "exposure": 30000.0},
        after={"count": 40, "exposure": 30000.0},
    )
    services.run_effectiveness_check(plan=plan, by=quality_manager, today=AFTER_WINDOW)
    body = client_for(quality_manager).get(plan.get_absolute_url()).content.decode()
    assert "<svg" in body
    assert "Significant improvement" in body
    response = client_for(quality_manager).post(
        reverse("improvements:plan-verdict", args=[plan.pk])
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED_EFFECTIVE
