"""Customer pages: search, filter, paginate, create, edit, history."""

import pytest
from django.urls import reverse

from qms.models import Customer
from qms.services import customer_save
from tests.factories import CustomerFactory, SegmentFactory


def test_list_searches_by_name_and_email(client_for, service_staff):
    CustomerFactory(name="Mari Tamm", email="mari@example.org")
    CustomerFactory(name="Jüri Saar", email="juri@example.org")
    client = client_for(service_staff)
    html = client.get(reverse("qms:customer-list"), {"q": "tamm"}).content.decode()
    assert "Mari Tamm" in html and "Jüri Saar" not in html
    html = client.get(reverse("qms:customer-list"), {"q": "juri@"}).content.decode()
    assert "Jüri Saar" in html and "Mari Tamm" not in html


def test_list_filters_by_segment(client_for, executive):
    business = SegmentFactory(name="Business")
    CustomerFactory(name="Firm OÜ").segments.add(business)
    CustomerFactory(name="Private Person")
    html = (
        client_for(executive)
        .get(reverse("qms:customer-list"), {"segment": business.pk})
        .content.decode()
    )
    assert "Firm OÜ" in html and "Private Person" not in html


def test_list_paginates_and_keeps_filters_in_page_links(
    client_for, service_staff, django_assert_num_queries
):
    CustomerFactory.create_batch(60, name="Kask")
    client = client_for(service_staff)
    # session, user, permissions (2), count, page rows, segments prefetch.
    with django_assert_num_queries(7):
        response = client.get(reverse("qms:customer-list"), {"q": "Kask", "page": 2})
    html = response.content.decode()
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 25
    assert "q=Kask&amp;page=3" in html
    assert "60 records" in html


def test_create_customer_numbers_it_and_shows_detail(client_for, service_staff):
    segment = SegmentFactory()
    response = client_for(service_staff).post(
        reverse("qms:customer-create"),
        {
            "kind": "person",
            "name": "Anna Kuusk",
            "email": "anna@example.org",
            "preferred_language": "et",
            "segments": [segment.pk],
            "consent_surveys": "on",
        },
    )
    customer = Customer.objects.get(name="Anna Kuusk")
    assert response.status_code == 302
    assert response.url == customer.get_absolute_url()
    assert customer.reference.startswith("C-")
    assert list(customer.segments.all()) == [segment]
    assert customer.consent_updated_at is not None


def test_create_without_any_contact_is_refused(client_for, service_staff):
    response = client_for(service_staff).post(
        reverse("qms:customer-create"),
        {"kind": "person", "name": "Nobody", "preferred_language": "et"},
    )
    assert response.status_code == 200
    assert "Give at least one way to reach the customer" in response.content.decode()
    assert not Customer.objects.filter(name="Nobody").exists()


def test_create_with_bad_email_shows_field_error(client_for, service_staff):
    response = client_for(service_staff).post(
        reverse("qms:customer-create"),
        {
            "kind": "person",
            "name": "X",
            "email": "not-an-email",
            "preferred_language": "et",
        },
    )
    assert "Enter a valid email address." in response.content.decode()
    assert Customer.objects.count() == 0


def test_edit_is_recorded_in_history_on_detail_page(client_for, service_staff):
    client = client_for(service_staff)
    customer = customer_save(
        customer=Customer(name="Old Name", email="o@example.org"), segments=[]
    )
    client.post(
        reverse("qms:customer-update", args=[customer.pk]),
        {
            "kind": "person",
            "name": "New Name",
            "email": "o@example.org",
            "preferred_language": "en",
        },
    )
    html = client.get(customer.get_absolute_url()).content.decode()
    assert "New Name" in html
    assert "<del>Old Name</del>" in html
    assert service_staff.get_full_name() in html  # who changed it


def test_missing_customer_gives_404(client_for, service_staff):
    response = client_for(service_staff).get(
        reverse("qms:customer-detail", args=[999999])
    )
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_customer_numbers_are_unique_and_sequential():
    first = customer_save(customer=Customer(name="A", phone="1"))
    second = customer_save(customer=Customer(name="B", phone="2"))
    assert first.reference != second.reference
    assert int(second.reference[2:]) == int(first.reference[2:]) + 1
