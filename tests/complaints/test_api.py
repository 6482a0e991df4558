"""REST API: token authentication, scoped reads, registering cases, errors as
JSON and the OpenAPI schema."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from complaints import services
from complaints.models import Case, Category
from qms.models import Channel, Membership
from tests.factories import CustomerFactory, OrgUnitFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:case-list")


@pytest.fixture
def intake_unit(db):
    return OrgUnitFactory(code="service", name="Customer service")


@pytest.fixture
def other_unit(db):
    return OrgUnitFactory(code="shop", name="Shop")


def api_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user)}")
    return client


def make_case(unit, **fields) -> Case:
    fields.setdefault("description", "The product broke after a week.")
    return services.case_register(
        case=Case(channel=Channel.objects.get(code="phone"), org_unit=unit, **fields),
        by=None,
    )


def payload(**overrides) -> dict:
    data = {
        "kind": "complaint",
        "channel": "chatbot",
        "subject": "Chatbot could not help",
        "description": "I asked three times and got no useful answer.",
        "contact_name": "Jaan Tamm",
        "contact_email": "jaan@example.com",
        "language": "en",
    }
    data.update(overrides)
    return data


def test_anonymous_request_gets_401_json_not_a_login_redirect(intake_unit):
    response = APIClient().get(LIST_URL)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"] == "Token"


def test_invalid_token_gets_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")

    assert client.get(LIST_URL).status_code == 401


def test_create_with_token_registers_the_case(quality_manager, intake_unit):
    response = api_for(quality_manager).post(LIST_URL, payload(), format="json")

    assert response.status_code == 201
    case = Case.objects.get()
    assert response.json()["reference"] == case.reference
    assert case.reference.startswith("K-")
    assert case.channel.code == "chatbot"
    assert case.org_unit == intake_unit
    assert case.created_by == quality_manager
    assert case.status == Case.Status.RECEIVED
    assert case.response_due_at is not None
    assert mail.outbox == []


def test_create_resolves_codes_and_references(quality_manager, intake_unit, other_unit):
    customer = CustomerFactory()
    service = ServiceFactory(code="delivery")
    category = Category.objects.create(name="Delivery", code="delivery-late")
    received = timezone.now() - datetime.timedelta(days=1)

    response = api_for(quality_manager).post(
        LIST_URL,
        payload(
            customer=customer.reference,
            org_unit="shop",
            service="delivery",
            category="delivery-late",
            received_at=received.isoformat(),
            kind="claim",
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert (case.customer, case.org_unit, case.service, case.category) == (
        customer,
        other_unit,
        service,
        category,
    )
    assert case.kind == "claim"
    assert case.received_at == received


def test_create_can_send_the_acknowledgement(
    quality_manager, intake_unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(quality_manager).post(
            LIST_URL, payload(send_acknowledgement=True), format="json"
        )

    assert response.json()["status"] == Case.Status.ACKNOWLEDGED
    assert mail.outbox[0].to == ["jaan@example.com"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"description": ""}, "description"),
        ({"kind": "rant"}, "kind"),
        ({"contact_email": "nope"}, "contact_email"),
        ({"org_unit": "nowhere"}, "org_unit"),
        ({"customer": "C-NOPE"}, "customer"),
        ({"received_at": "2999-01-01T10:00:00+02:00"}, "received_at"),
    ],
)
def test_validation_error_names_the_field(
    quality_manager, intake_unit, overrides, field
):
    response = api_for(quality_manager).post(
        LIST_URL, payload(**overrides), format="json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert not Case.objects.exists()


def test_malformed_json_is_a_400(quality_manager, intake_unit):
    response = api_for(quality_manager).post(
        LIST_URL, data='{"kind": "complaint",', content_type="application/json"
    )

    assert response.status_code == 400
    assert "detail" in response.json()


def test_reader_without_add_permission_may_not_create(executive, intake_unit):
    response = api_for(executive).post(LIST_URL, payload(), format="json")

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_reader_sees_cases_and_details(executive, intake_unit):
    case = make_case(intake_unit, subject="Broken kettle")
    client = api_for(executive)

    listing = client.get(LIST_URL).json()
    detail = client.get(reverse("api:case-detail", args=[case.reference]))

    assert [row["reference"] for row in listing["results"]] == [case.reference]
    assert detail.status_code == 200
    assert detail.json()["subject"] == "Broken kettle"
    assert detail.json()["channel"] == "phone"


def test_list_is_scoped_to_the_users_unit(service_staff, intake_unit, other_unit):
    Membership.objects.create(user=service_staff, unit=intake_unit)
    own = make_case(intake_unit)
    foreign = make_case(other_unit)
    client = api_for(service_staff)

    references = [r["reference"] for r in client.get(LIST_URL).json()["results"]]
    foreign_detail = client.get(reverse("api:case-detail", args=[foreign.reference]))

    assert references == [own.reference]
    assert foreign_detail.status_code == 404


def test_list_filters_by_status_kind_and_updated_since(quality_manager, intake_unit):
    complaint = make_case(intake_unit)
    claim = make_case(intake_unit, kind="claim")
    services.case_transition(case=claim, action="acknowledge", by=None)
    Case.objects.filter(pk=complaint.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    client = api_for(quality_manager)

    def refs(**params):
        return [r["reference"] for r in client.get(LIST_URL, params).json()["results"]]

    assert refs(kind="claim") == [claim.reference]
    assert refs(status="received") == [complaint.reference]
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert refs(updated_since=since) == [claim.reference]


def test_bad_filter_value_is_a_400_naming_the_filter(quality_manager, intake_unit):
    response = api_for(quality_manager).get(LIST_URL, {"updated_since": "yesterday"})

    assert response.status_code == 400
    assert "updated_since" in response.json()


def test_list_runs_a_constant_number_of_queries(
    quality_manager, intake_unit, django_assert_num_queries
):
    client = api_for(quality_manager)
    for _ in range(3):
        make_case(intake_unit, customer=CustomerFactory())
    client.get(LIST_URL)  # warm-up: nothing cached between requests anyway
    for _ in range(12):
        make_case(intake_unit, customer=CustomerFactory())

    # token with its user + the user's own and group permissions (2) + count +
    # one page of cases with channel, customer, unit, category and service
    # joined in: 5 at most, however many cases there are.
    with django_assert_num_queries(4):
        response = client.get(LIST_URL)

    assert response.json()["count"] == 15


def test_paginates(quality_manager, intake_unit):
    for _ in range(3):
        make_case(intake_unit)

    body = api_for(quality_manager).get(LIST_URL, {"page_size": 2}).json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_schema_is_openapi_and_needs_authentication(quality_manager):
    url = reverse("api:schema")

    assert APIClient().get(url).status_code == 401
    response = api_for(quality_manager).get(url)

    assert response.status_code == 200
    text = response.content.decode()
    assert "openapi" in text
    assert "/api/v1/cases/" in text


def test_api_token_command_prints_the_same_token_twice(quality_manager, capsys):
    call_command("api_token", "qm")
    call_command("api_token", "qm")

    first, second = capsys.readouterr().out.split()
    assert first == second == Token.objects.get(user=quality_manager).key


def test_updated_since_with_an_offset_postgresql_does_not_know_answers(quality_manager):
    # Found on the promise events' ``since`` by the API fuzzing on PostgreSQL:
    # the same filter type serves both lists.
    client = APIClient()
    client.force_authenticate(quality_manager)
    response = client.get(LIST_URL, {"updated_since": "2026-03-01T00:00:00+19:25"})
    assert response.status_code == 200
    response = client.get(LIST_URL, {"updated_since": "0007-03-01T00:00:00+19:25"})
    assert response.status_code == 400


# Found by the API fuzzing: a code with a NUL character (PostgreSQL cannot even
# compare such text) answered 500 instead of the field's "does not exist".
@pytest.mark.parametrize("field", ["channel", "org_unit", "category", "service"])
def test_a_code_with_a_nul_character_is_a_field_error(
    quality_manager, intake_unit, field
):
    response = api_for(quality_manager).post(
        LIST_URL, payload(**{field: "pho\x00ne"}), format="json"
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()[field][0]
    assert not Case.objects.exists()


# Found by the API fuzzing: an undecided case's blank outcome was outside the
# enum the schema published.
def test_the_schema_admits_the_blank_outcome_of_an_undecided_case(
    quality_manager, intake_unit
):
    make_case(intake_unit)
    client = api_for(quality_manager)
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    components = schema["components"]["schemas"]
    outcome = components["Case"]["properties"]["outcome"]
    alternatives = outcome.get("oneOf", [outcome])
    admitted = set()
    for alternative in alternatives:
        if "$ref" in alternative:
            alternative = components[alternative["$ref"].rsplit("/", 1)[1]]
        admitted |= set(alternative.get("enum", []))
    assert client.get(LIST_URL).json()["results"][0]["outcome"] == ""
    assert "" in admitted and "upheld" in admitted
