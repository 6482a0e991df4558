"""Personal data: find a customer's records across the apps, export them,
erase them on request (logged, statistics kept) and apply retention."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from complaints import services as complaint_services
from complaints.models import Case, Message
from qms import personal_data
from qms.models import Customer, ErasureLog, Membership
from tests.factories import CustomerFactory, OrgUnitFactory, register_case

EMAIL = "mari.maasikas@example.org"


@pytest.fixture
def customer(db):
    return CustomerFactory(
        name="Mari Maasikas",
        email=EMAIL,
        phone="+372 5555 1234",
        registry_code="48001010000",
        address="Tamme 1, Tartu",
        notes="Prefers calls after 17:00.",
    )


@pytest.fixture
def cases(customer):
    unit = OrgUnitFactory(code="u")
    linked = register_case(
        org_unit=unit,
        customer=customer,
        contact_name="Mari Maasikas",
        contact_phone="+372 5555 1234",
        subject="Wrong bill",
        description="Mari Maasikas here, call me on +372 5555 1234 or "
        "mari.maasikas@example.org. The bill is 40 € too high.",
    )
    # Sent from the public form with the same address, not linked yet.
    unlinked = register_case(
        org_unit=unit, contact_email=EMAIL, description="Second complaint, by e-mail."
    )
    Message.objects.create(
        case=linked,
        direction=Message.Direction.INCOMING,
        from_address=EMAIL,
        subject="Re: your bill",
        body="Regards, Mari Maasikas, tel. 5555 1234",
    )
    other = register_case(org_unit=unit, contact_email="someone@example.org")
    return linked, unlinked, other


def test_records_are_found_across_linked_and_unlinked_cases(customer, cases):
    linked, unlinked, other = cases
    found = personal_data.find_records(customer)
    labels = [r.label for records in found.values() for r in records]
    assert linked.reference in labels
    assert unlinked.reference in labels
    assert other.reference not in labels
    assert any(label.startswith(f"{linked.reference}: Re:") for label in labels)


def test_the_page_lists_the_records_and_the_customer_page_links_to_it(
    client_for, customer, cases, quality_manager
):
    url = reverse("qms:customer-personal-data", args=[customer.pk])
    html = client_for(quality_manager).get(url).content.decode()
    assert cases[0].reference in html and cases[1].reference in html
    assert "Subject access export (JSON)" in html
    detail = client_for(quality_manager).get(customer.get_absolute_url())
    assert "Find all records" in detail.content.decode()


def test_subject_access_export_as_json_and_csv(
    client_for, customer, cases, quality_manager
):
    client = client_for(quality_manager)
    url = reverse("qms:customer-personal-data-export", args=[customer.pk, "json"])
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["customer"]["email"] == EMAIL
    assert data["customer"]["registry_code"] == "48001010000"
    rows = data["records"]["complaints.case"]
    assert {r.get("reference") for r in rows} >= {
        cases[0].reference,
        cases[1].reference,
    }
    assert any("Regards, Mari" in r.get("body", "") for r in rows)

    url = reverse("qms:customer-personal-data-export", args=[customer.pk, "csv"])
    table = list(csv.reader(io.StringIO(client.get(url).content.decode())))
    assert table[0] == ["source", "record", "date", "field", "value"]
    assert ["customer", customer.reference, "", "email", EMAIL] in table
    assert any(row[3] == "description" and "40 €" in row[4] for row in table)


def test_erasure_anonymises_keeps_statistics_and_is_logged(
    client_for, customer, cases, quality_manager
):
    linked, unlinked, other = cases
    complaint_services.case_transition(case=linked, action="accept", by=quality_manager)
    client = client_for(quality_manager)
    url = reverse("qms:customer-erase", args=[customer.pk])
    response = client.post(
        url, {"reason": "Written request of 3 March", "confirm": "on"}
    )
    assert response.status_code == 302

    customer.refresh_from_db()
    assert customer.erased_at is not None
    assert customer.email == customer.phone == customer.registry_code == ""
    assert customer.address == customer.notes == ""
    assert "Mari" not in customer.name
    assert not customer.history.exists()

    linked.refresh_from_db()
    assert linked.contact_name == linked.contact_phone == ""
    assert "Mari" not in linked.description
    assert "5555" not in linked.description
    assert "example.org" not in linked.description
    assert "The bill is 40 € too high." in linked.description
    # Statistics keep their inputs.
    assert linked.kind == Case.Kind.COMPLAINT
    assert linked.status == Case.Status.ACKNOWLEDGED or linked.acknowledged_at
    assert linked.received_at is not None
    for old in Case.history.filter(id=linked.pk):
        assert "Mari" not in old.description and old.contact_name == ""
    unlinked.refresh_from_db()
    assert unlinked.contact_email == ""
    message = linked.messages.get(direction=Message.Direction.INCOMING)
    assert message.from_address == ""
    assert "Mari" not in message.body and "5555" not in message.body
    other.refresh_from_db()
    assert other.contact_email == "someone@example.org"

    entry = ErasureLog.objects.get()
    assert entry.by == quality_manager
    assert entry.reason == "Written request of 3 March"
    assert entry.counts["complaints.case"] == 2
    assert entry.customer_reference == customer.reference
    assert Case.objects.count() == 3


def test_erasure_needs_a_reason_and_happens_once(client_for, customer, quality_manager):
    client = client_for(quality_manager)
    url = reverse("qms:customer-erase", args=[customer.pk])
    response = client.post(url, {"reason": "", "confirm": "on"})
    assert response.status_code == 200
    assert not ErasureLog.objects.exists()
    client.post(url, {"reason": "Request", "confirm": "on"})
    response = client.post(url, {"reason": "Again", "confirm": "on"}, follow=True)
    assert "already been erased" in response.content.decode()
    assert ErasureLog.objects.count() == 1


def test_only_quality_managers_erase(client_for, customer, service_staff):
    Membership.objects.create(user=service_staff, unit=OrgUnitFactory(code="x"))
    url = reverse("qms:customer-erase", args=[customer.pk])
    response = client_for(service_staff).post(url, {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.erased_at is None


def test_retention_anonymises_cases_closed_long_ago_once(customer, cases, settings):
    linked, _unlinked, other = cases
    settings.PERSONAL_DATA_RETENTION_DAYS = {"complaints.case": 365}
    Case.objects.filter(pk=linked.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now() - timedelta(days=400)
    )
    Case.objects.filter(pk=other.pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now() - timedelta(days=100)
    )
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "complaints.case: 1 anonymised" in out.getvalue()
    linked.refresh_from_db()
    assert linked.contact_name == "" and linked.anonymised_at is not None
    assert "5555" not in linked.description
    other.refresh_from_db()
    assert other.contact_email == "someone@example.org"
    out = io.StringIO()
    call_command("apply_retention", stdout=out)
    assert "complaints.case: 0 anonymised" in out.getvalue()
    # The customer record itself is untouched by retention of cases.
    assert Customer.objects.get(pk=customer.pk).email == EMAIL


def test_scrub_removes_contact_data_from_free_text():
    text = "Call Jaan Tamm on (+372) 512-3456 or jaan@example.ee about order 42."
    assert personal_data.scrub(text, "Jaan Tamm") == (
        "Call [erased] on [erased] or [erased] about order 42."
    )
