"""Object scope: reaching another user's records by id or reference answers
404 (outside your scope) or 403 (visible, but not yours to change)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.attachments import attachment_add
from qms import roles
from qms.models import Membership
from tests.factories import OrgUnitFactory, UserFactory, register_case
from tests.improvements.helpers import make_plan


@pytest.fixture
def agent(service_staff):
    Membership.objects.create(user=service_staff, unit=OrgUnitFactory(code="mine"))
    return service_staff


@pytest.fixture
def other_units_case(db):
    return register_case(org_unit=OrgUnitFactory(code="theirs"), subject="Theirs")


@pytest.fixture
def confidential_case(agent):
    return register_case(
        org_unit=agent.membership.unit, subject="Secret", confidential=True
    )


CASE_URLS = [
    "complaints:case-detail",
    "complaints:case-update",
]


@pytest.mark.parametrize("name", CASE_URLS)
def test_an_agent_cannot_open_another_units_case(
    client_for, agent, other_units_case, name
):
    client = client_for(agent)
    response = client.get(reverse(name, args=[other_units_case.reference]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", CASE_URLS)
def test_an_agent_cannot_open_a_confidential_case(
    client_for, agent, confidential_case, name
):
    response = client_for(agent).get(reverse(name, args=[confidential_case.reference]))
    assert response.status_code == 404


def test_the_handler_and_quality_managers_do_see_a_confidential_case(
    client_for, agent, confidential_case, quality_manager
):
    url = confidential_case.get_absolute_url()
    assert client_for(quality_manager).get(url).status_code == 200
    confidential_case.handler = agent
    confidential_case.save()
    assert client_for(agent).get(url).status_code == 200


def test_an_agent_cannot_act_on_or_download_from_another_units_case(
    client_for, agent, other_units_case
):
    attachment = attachment_add(
        case=other_units_case, upload=SimpleUploadedFile("a.txt", b"Plain text.")
    )
    client = client_for(agent)
    ref = other_units_case.reference
    download = reverse("complaints:attachment", args=[ref, attachment.pk])
    assert client.get(download).status_code == 404
    action = reverse("complaints:case-step", args=[ref])
    assert (
        client.post(action, {"step": "accept", "comment": "mine now"}).status_code
        == 404
    )
    other_units_case.refresh_from_db()
    assert other_units_case.status == other_units_case.Status.RECEIVED


def test_the_api_hides_other_units_cases(client_for, agent, other_units_case):
    client = client_for(agent)
    url = reverse("api:case-detail", args=[other_units_case.reference])
    assert client.get(url).status_code == 404
    listing = client.get(reverse("api:case-list")).json()
    references = [row["reference"] for row in listing["results"]]
    assert other_units_case.reference not in references


def test_a_process_owner_changes_only_their_own_plans(
    client_for, process_owner, quality_manager
):
    other_owner = UserFactory(username="owner-b", roles=[roles.PROCESS_OWNER])
    mine = make_plan(process_owner, quality_manager, title="Mine")
    theirs = make_plan(other_owner, quality_manager, title="Theirs")
    client = client_for(process_owner)
    assert (
        client.get(reverse("improvements:plan-edit", args=[mine.pk])).status_code == 200
    )
    edit_theirs = reverse("improvements:plan-edit", args=[theirs.pk])
    assert client.get(edit_theirs).status_code == 403
    assert client.post(edit_theirs, {"title": "Taken over"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_a_process_owner_does_not_reach_cases_their_plans_do_not_touch(
    client_for, process_owner, other_units_case
):
    url = other_units_case.get_absolute_url()
    assert client_for(process_owner).get(url).status_code == 404


def test_a_missing_record_is_404_not_an_error(client_for, quality_manager):
    client = client_for(quality_manager)
    assert (
        client.get(
            reverse("complaints:case-detail", args=["K-1999-999999"])
        ).status_code
        == 404
    )
    assert client.get(reverse("qms:customer-detail", args=[999999])).status_code == 404
    assert (
        client.get(reverse("improvements:plan-detail", args=[999999])).status_code
        == 404
    )
