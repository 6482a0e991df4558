"""Text typed by customers and staff is shown as text, never as markup."""

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Message
from qms.models import Membership
from tests.factories import CustomerFactory, OrgUnitFactory, register_case

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def staff(service_staff):
    Membership.objects.create(user=service_staff, unit=OrgUnitFactory(code="u"))
    return service_staff


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_case_fields_and_messages_are_escaped_on_every_staff_page(client_for, staff):
    customer = CustomerFactory(name=PAYLOAD)
    case = register_case(
        org_unit=staff.membership.unit,
        subject=PAYLOAD,
        description=PAYLOAD,
        remedy_sought=PAYLOAD,
        contact_name=PAYLOAD,
        customer=customer,
    )
    Message.objects.create(case=case, direction="in", body=PAYLOAD, subject=PAYLOAD)
    services.case_transition(case=case, action="accept", by=staff, comment=PAYLOAD)
    client = client_for(staff)
    _assert_escaped(client.get(case.get_absolute_url()).content.decode())
    _assert_escaped(client.get(reverse("complaints:case-list")).content.decode())
    _assert_escaped(client.get(customer.get_absolute_url()).content.decode())


def test_public_status_page_escapes_the_decision(client, staff):
    case = register_case(org_unit=staff.membership.unit, contact_name=PAYLOAD)
    case = services.case_transition(case=case, action="accept", by=staff)
    case = services.case_transition(
        case=case,
        action="decide",
        by=staff,
        outcome="not_upheld",
        decision_reasons=PAYLOAD,
    )
    Message.objects.create(
        case=case, direction="out", body=PAYLOAD, template="decision"
    )
    services.case_transition(case=case, action="communicate", by=staff)
    url = reverse(
        "complaints_public:case-status", args=[case.reference, case.public_token]
    )
    html = client.get(url).content.decode()
    assert "<script>alert" not in html
