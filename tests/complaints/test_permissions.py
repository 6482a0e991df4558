"""Who sees and changes which case: unit scope, read-only roles, the subject
employee, process owners (confidential cases, other units' cases and the
role-by-view answers: tests/qms/test_object_scope.py and access_matrix.py)."""

import pytest
from django.urls import reverse

from complaints.models import Case
from qms.models import Membership
from tests.factories import OrgUnitFactory, register_case


@pytest.fixture
def units(db):
    parent = OrgUnitFactory(code="bureau")
    return {
        "bureau": parent,
        "team": OrgUnitFactory(code="team", parent=parent),
        "other": OrgUnitFactory(code="other"),
    }


@pytest.fixture
def staff(service_staff, units):
    Membership.objects.create(user=service_staff, unit=units["bureau"])
    return service_staff


def _queue(client):
    return {
        c.reference for c in client.get(reverse("complaints:case-list")).context["page"]
    }


def test_staff_see_their_units_cases_and_those_below(client_for, staff, units):
    own = register_case(org_unit=units["bureau"])
    below = register_case(org_unit=units["team"])
    other = register_case(org_unit=units["other"])
    client = client_for(staff)
    assert _queue(client) == {own.reference, below.reference}
    assert client.get(other.get_absolute_url()).status_code == 404


def test_executive_reads_every_unit_but_cannot_act(client_for, executive, units):
    case = register_case(org_unit=units["other"])
    client = client_for(executive)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Next steps" not in html
    response = client.post(
        reverse("complaints:case-step", args=[case.reference]), {"step": "accept"}
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED


def test_quality_manager_sees_and_handles_everything(
    client_for, quality_manager, units
):
    case = register_case(org_unit=units["other"])
    client = client_for(quality_manager)
    client.post(
        reverse("complaints:case-step", args=[case.reference]), {"step": "accept"}
    )
    case.refresh_from_db()
    assert case.status == Case.Status.INVESTIGATING


def test_subject_employee_cannot_act_on_the_case(client_for, staff, units):
    case = register_case(org_unit=units["bureau"], subject_employee=staff)
    response = client_for(staff).post(
        reverse("complaints:case-step", args=[case.reference]), {"step": "accept"}
    )
    assert response.status_code == 403


def test_process_owner_reads_only_cases_their_improvements_act_on(
    client_for, process_owner, quality_manager, units
):
    from improvements import services as improvements
    from improvements.models import Plan

    linked = register_case(org_unit=units["other"], subject="Linked")
    via_analysis = register_case(org_unit=units["other"], subject="Analysed")
    other = register_case(org_unit=units["other"], subject="Other")
    from complaints.models import RootCauseAnalysis

    analysis = RootCauseAnalysis.objects.create(title="Spike", lead=quality_manager)
    analysis.cases.add(via_analysis)
    improvements.plan_create(
        title="Fix",
        problem="Brown water",
        owner=process_owner,
        by=quality_manager,
        plan_type=Plan.Type.CORRECTIVE,
        origins=[linked, analysis],
    )
    client = client_for(process_owner)
    queue = client.get(reverse("complaints:case-list"))
    assert {c.subject for c in queue.context["page"]} == {"Linked", "Analysed"}
    assert client.get(linked.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    html = client.get(linked.get_absolute_url()).content.decode()
    assert "Next steps" not in html  # reads, does not handle
    assert "Improvement plans raised from here" in html
