"""REST API of fulfilment events: post, list, permissions, duplicates and the
OpenAPI schema."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from promises.models import FulfilmentEvent, PromiseIndicator
from qms.bounds import ERR_BEFORE_1900, ERR_IN_FUTURE

from .helpers import make_indicator, make_promise

URL = "/api/v1/promise-events/"


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}"
    )
    return client


@pytest.fixture
def indicator(quality_manager):
    promise = make_promise(quality_manager)
    return make_indicator(
        promise, name="Call-back", time_limit=2, time_unit="working_hours"
    )


def test_url_is_in_the_api_namespace():
    assert reverse("api:promise-event-list") == URL


def test_staff_posts_a_time_event_and_gets_the_result(service_staff, indicator):
    response = api(service_staff).post(
        URL,
        {
            "indicator": indicator.pk,
            "started_at": "2026-03-06T16:30:00+02:00",
            "ended_at": "2026-03-09T11:00:00+02:00",
            "reference": "CB-1",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kept"] is False
    assert data["elapsed"] == pytest.approx(2.5)
    assert data["promise"] == indicator.promise_id
    event = FulfilmentEvent.objects.get()
    assert event.source == FulfilmentEvent.Source.API
    assert event.recorded_by == service_staff
    # Resending the same reference is refused with a readable error.
    again = api(service_staff).post(
        URL,
        {
            "indicator": indicator.pk,
            "started_at": "2026-03-06T16:30:00+02:00",
            "ended_at": "2026-03-09T11:00:00+02:00",
            "reference": "CB-1",
        },
        format="json",
    )
    assert again.status_code == 400
    assert "reference" in again.json()
    assert FulfilmentEvent.objects.count() == 1


def test_bad_event_is_400_and_nothing_saved(service_staff, indicator):
    response = api(service_staff).post(
        URL, {"indicator": indicator.pk, "started_at": "2026-03-06T16:30:00+02:00"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert not FulfilmentEvent.objects.exists()


def test_derived_indicator_is_not_accepted(service_staff, quality_manager):
    promise = make_promise(quality_manager)
    derived = make_indicator(
        promise,
        kind=PromiseIndicator.Kind.MEASURE,
        source_measure="complaints.acknowledged_on_time_share",
    )
    response = api(service_staff).post(
        URL, {"indicator": derived.pk, "kept": True}, format="json"
    )
    assert response.status_code == 400


def test_roles_without_the_right_are_refused(executive, process_owner, indicator):
    body = {"indicator": indicator.pk, "started_at": "2026-03-06T10:00:00+02:00",
            "ended_at": "2026-03-06T11:00:00+02:00"}  # fmt: skip
    assert api(executive).post(URL, body, format="json").status_code == 403
    # A process owner records events of the promises they own only.
    assert api(process_owner).post(URL, body, format="json").status_code == 403
    assert not FulfilmentEvent.objects.exists()


def test_list_filters_by_promise(executive, quality_manager, indicator):
    other = make_indicator(make_promise(quality_manager, title="Other"), kind="kept")
    FulfilmentEvent.objects.create(
        indicator=indicator, occurred_at="2026-03-02T10:00+02:00", kept=True
    )
    FulfilmentEvent.objects.create(
        indicator=other, occurred_at="2026-03-02T10:00+02:00", kept=False
    )
    response = api(executive).get(URL, {"promise": indicator.promise_id})
    assert response.status_code == 200
    assert [row["indicator"] for row in response.json()["results"]] == [indicator.pk]


def test_schema_includes_promise_events(quality_manager):
    response = api(quality_manager).get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert "/api/v1/promise-events/" in response.json()["paths"]


# Found by the API fuzzing on PostgreSQL: a timestamp in year 7 with a +19:25
# offset. Kept here as ordinary, repeatable tests.
ANCIENT = "0007-03-01T00:00:00+19:25"


@pytest.mark.parametrize("field", ["occurred_at", "started_at", "ended_at"])
def test_an_event_in_year_7_is_refused_with_a_field_error(
    service_staff, indicator, field
):
    data = {
        "indicator": indicator.pk,
        "started_at": "2026-03-06T16:30:00+02:00",
        "ended_at": "2026-03-09T11:00:00+02:00",
        field: ANCIENT,
    }
    response = api(service_staff).post(URL, data, format="json")
    assert response.status_code == 400, response.content
    assert response.json()[field] == [str(ERR_BEFORE_1900)]
    assert not FulfilmentEvent.objects.exists()


def test_an_event_in_the_future_is_refused(service_staff, indicator):
    response = api(service_staff).post(
        URL,
        {"indicator": indicator.pk, "occurred_at": "2999-01-01T00:00:00+02:00"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["occurred_at"] == [str(ERR_IN_FUTURE)]
    assert not FulfilmentEvent.objects.exists()


def test_listing_since_year_7_is_a_field_error(executive, indicator):
    response = api(executive).get(URL, {"since": ANCIENT})
    assert response.status_code == 400
    assert response.json()["since"] == [str(ERR_BEFORE_1900)]


def test_listing_since_a_moment_with_a_large_offset_answers(executive, indicator):
    # +19:25 is valid ISO 8601 but beyond what PostgreSQL accepts as an offset.
    response = api(executive).get(URL, {"since": "2026-03-01T00:00:00+19:25"})
    assert response.status_code == 200
