"""The working-day calendar page: holidays and closure days of a year."""

import datetime

import pytest
from django.urls import reverse

from qms.models import ClosureDay
from qms.selectors import working_day_count


@pytest.mark.django_db
def test_estonia_2026_has_252_working_days_and_closure_days_reduce_it():
    # 261 weekdays minus 9 public holidays on weekdays (official 2026 calendar).
    assert working_day_count(2026) == 252
    ClosureDay.objects.create(date=datetime.date(2026, 12, 31), reason="Year end")
    assert working_day_count(2026) == 251


def test_calendar_lists_holidays_and_closure_days(client_for, service_staff):
    ClosureDay.objects.create(date=datetime.date(2026, 12, 31), reason="Year end")
    html = (
        client_for(service_staff)
        .get(reverse("qms:calendar"), {"year": 2026})
        .content.decode()
    )
    assert "Midsummer Day" in html
    assert "2026-06-24" in html
    assert "Year end" in html
    assert "251 working days in 2026" in html


def test_calendar_names_holidays_in_estonian(client_for, service_staff):
    client = client_for(service_staff)
    client.cookies["django_language"] = "et"
    html = client.get(reverse("qms:calendar"), {"year": 2026}).content.decode()
    assert "jaanipäev" in html


def test_calendar_ignores_a_bad_year(client_for, executive):
    response = client_for(executive).get(reverse("qms:calendar"), {"year": "abc"})
    assert response.status_code == 200
