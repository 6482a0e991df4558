"""Pareto breakdowns of the case register and the Pareto page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Case, RootCauseCategory
from complaints.rca import selectors as rca_selectors
from tests.complaints.factories import CaseFactory, CategoryFactory
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

URL = reverse("complaints:pareto")


def _cases(category, n, unit, **fields):
    CaseFactory.create_batch(n, category=category, org_unit=unit, **fields)


@pytest.fixture
def unit():
    return OrgUnitFactory()


@pytest.fixture
def fifty_thirty(unit):
    """Hand-worked example: 50/30/10/6/4 cases; 80 % is reached at the second."""
    main = CategoryFactory(name="Water")
    sizes = {"A": 50, "B": 30, "C": 10, "D": 6, "E": 4}
    for name, n in sizes.items():
        child = CategoryFactory(name=name, parent=main)
        Case.objects.bulk_create(
            CaseFactory.build_batch(n, category=child, org_unit=unit)
        )
    return sizes


def test_pareto_by_subcategory_orders_and_cuts_at_80_percent(fifty_thirty):
    result = rca_selectors.pareto_breakdown(
        Case.objects.all(), rca_selectors.BY_CATEGORY, level="sub"
    )
    assert [r.label for r in result.rows] == [
        "Water / A", "Water / B", "Water / C", "Water / D", "Water / E"
    ]  # fmt: skip
    assert [r.value for r in result.rows] == [50, 30, 10, 6, 4]
    assert [r.cumulative_share for r in result.rows] == pytest.approx(
        [0.5, 0.8, 0.9, 0.96, 1.0]
    )
    assert [r.vital_few for r in result.rows] == [True, True, False, False, False]
    assert result.cases == 100


def test_pareto_cut_is_configurable(fifty_thirty):
    result = rca_selectors.pareto_breakdown(
        Case.objects.all(), rca_selectors.BY_CATEGORY, level="sub", cut=0.9
    )
    assert [r.vital_few for r in result.rows] == [True, True, True, False, False]


def test_pareto_by_main_category_puts_uncategorised_other_last(unit):
    big = CategoryFactory(name="Billing")
    small = CategoryFactory(name="Meters")
    sub = CategoryFactory(name="Wrong", parent=big)
    _cases(big, 2, unit)
    _cases(sub, 2, unit)
    _cases(small, 1, unit)
    _cases(None, 6, unit)
    result = rca_selectors.pareto_breakdown(
        Case.objects.all(), rca_selectors.BY_CATEGORY
    )
    assert [(r.label, r.value) for r in result.rows] == [
        ("Billing", 4), ("Meters", 1), ("Other", 6)
    ]  # fmt: skip
    assert result.rows[-1].vital_few is False


def test_pareto_by_root_cause_counts_cases_per_root_cause(unit):
    training = RootCauseCategory.objects.get(code="people-training")
    weather = RootCauseCategory.objects.get(code="environment-weather")
    _cases(None, 3, unit, root_cause_category=weather)
    _cases(None, 1, unit, root_cause_category=training)
    result = rca_selectors.pareto_breakdown(
        Case.objects.all(), rca_selectors.BY_ROOT_CAUSE, level="sub"
    )
    assert [(r.label, r.value) for r in result.rows] == [
        ("Environment / Weather", 3), ("People / Training", 1)
    ]  # fmt: skip
    main = rca_selectors.pareto_breakdown(
        Case.objects.all(), rca_selectors.BY_ROOT_CAUSE
    )
    assert [r.label for r in main.rows] == ["Environment", "People"]


def test_pareto_by_cost_sums_remedy_cost_per_category(unit):
    cheap = CategoryFactory(name="Cheap")
    costly = CategoryFactory(name="Costly")
    _cases(cheap, 3, unit, remedy_cost=Decimal("10.00"))
    _cases(costly, 1, unit, remedy_cost=Decimal("100.50"))
    _cases(costly, 2, unit)  # no remedy: not counted
    result = rca_selectors.pareto_breakdown(Case.objects.all(), rca_selectors.BY_COST)
    assert [(r.label, r.value) for r in result.rows] == [
        ("Costly", 100.5), ("Cheap", 30.0)
    ]  # fmt: skip
    assert result.cases == 4


def test_pareto_period_leaves_out_older_cases(unit):
    old = timezone.now() - datetime.timedelta(days=800)
    _cases(None, 2, unit, received_at=old)
    _cases(None, 1, unit)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    cases = rca_selectors.in_period(
        Case.objects.all(), start, today + datetime.timedelta(1)
    )
    assert cases.count() == 1


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


def test_pareto_page_shows_tables_and_charts(client_for, quality_manager, unit):
    category = CategoryFactory(name="Billing")
    last_month = timezone.now() - datetime.timedelta(days=35)
    _cases(category, 3, unit, received_at=last_month)
    response = client_for(quality_manager).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Billing" in body
    assert "vital few" in body
    assert "<svg" in body


def test_pareto_page_is_scoped_to_visible_cases(client_for, service_staff, unit):
    category = CategoryFactory(name="Secret unit topic")
    last_month = timezone.now() - datetime.timedelta(days=35)
    _cases(category, 2, unit, received_at=last_month)  # staff has no unit
    response = client_for(service_staff).get(URL)
    assert response.status_code == 200
    assert [s["breakdown"].cases for s in response.context["sections"]] == [0, 0, 0]


def test_pareto_page_query_budget(
    client_for, quality_manager, unit, django_assert_num_queries
):
    category = CategoryFactory(name="Billing")
    last_month = timezone.now() - datetime.timedelta(days=35)
    _cases(category, 5, unit, received_at=last_month)
    client = client_for(quality_manager)
    # session + user + permissions (3), three grouped Pareto queries (3),
    # the filter form's channel / category / unit choices (3), layout and
    # context processors (a few); constant whatever the number of cases.
    with django_assert_num_queries(9):
        response = client.get(URL, {"level": "sub", "cut": 70})
    assert response.status_code == 200


def test_pareto_page_states_the_cut_as_a_percentage(client_for, quality_manager):
    client = client_for(quality_manager)
    assert "cut-off at 80 %" in client.get(URL).content.decode()
    assert "cut-off at 90 %" in client.get(URL, {"cut": 90}).content.decode()
