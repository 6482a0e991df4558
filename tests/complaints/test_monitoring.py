"""Monitoring figures against a hand-computed fixture, and the monitoring page.

The fixture spans April-May 2026 in Tallinn. Good Friday (3 April 2026) is an
Estonian public holiday, so a case received on Thursday 2 April and
acknowledged on Monday 6 April took ONE working day, not two.
"""

import csv
import datetime
import io
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Case, Category
from complaints.monitoring.dashboard import dashboard
from complaints.monitoring.periods import PeriodRow, percentile_from_counts, period_rows
from complaints.monitoring.scope import Filters, apply_filters
from complaints.monitoring.selectors import dispute_outcomes, recurring_problems
from complaints.monitoring.views import signal_texts
from qms import statistics
from qms.calendar import get_calendar
from qms.models import Channel, Customer
from tests.factories import CustomerFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TALLINN = ZoneInfo("Europe/Tallinn")
APRIL, MAY, JUNE = (datetime.date(2026, m, 1) for m in (4, 5, 6))
NOW = datetime.datetime(2026, 5, 20, 12, 0, tzinfo=TALLINN)
URL = reverse("complaints:monitoring")


def at(month, day, hour=10, minute=0, second=0):
    return datetime.datetime(2026, month, day, hour, minute, second, tzinfo=TALLINN)


_numbers = iter(range(1, 10_000))


def make_case(**fields):
    fields.setdefault("kind", Case.Kind.COMPLAINT)
    fields.setdefault("channel", Channel.objects.get(code="phone"))
    fields.setdefault("description", "x")
    fields["reference"] = f"K-2026-{next(_numbers):06d}"
    return Case.objects.create(**fields)


@pytest.fixture
def fixture_cases():
    unit = OrgUnitFactory(name="Network")
    water = Category.objects.create(name="Water", code="w")
    discoloured = Category.objects.create(name="Discoloured", code="w-d", parent=water)
    billing = Category.objects.create(name="Billing", code="b")
    # Three customers before April, a fourth joins mid-April.
    for created in (at(1, 10), at(1, 11), at(2, 1), at(4, 15)):
        customer = CustomerFactory()
        Customer.objects.filter(pk=customer.pk).update(created_at=created)
    common = {"org_unit": unit}
    cases = {}
    # A: acknowledged after Good Friday (1 working day, on time), answered on
    # time, upheld with a remedy, closed on 20 April (11 working days).
    cases["A"] = make_case(
        **common,
        category=discoloured,
        received_at=at(4, 2),
        acknowledge_due_at=at(4, 6, 17),
        acknowledged_at=at(4, 6, 9),
        response_due_at=at(4, 17, 23, 59, 59),
        decided_at=at(4, 14),
        outcome=Case.Outcome.UPHELD,
        remedy_cost=Decimal("50.00"),
        communicated_at=at(4, 15),
        closed_at=at(4, 20),
        status=Case.Status.CLOSED,
    )
    # B: a claim acknowledged late (2 working days) and answered late, not
    # upheld, reopened once, closed on 28 April (15 working days).
    cases["B"] = make_case(
        **common,
        kind=Case.Kind.CLAIM,
        category=discoloured,
        received_at=at(4, 7, 11),
        acknowledge_due_at=at(4, 8, 17),
        acknowledged_at=at(4, 9),
        response_due_at=at(4, 22, 23, 59, 59),
        decided_at=at(4, 23),
        outcome=Case.Outcome.NOT_UPHELD,
        decision_reasons="No fault found.",
        communicated_at=at(4, 24),
        closed_at=at(4, 28),
        reopen_count=1,
        status=Case.Status.CLOSED,
    )
    # C: acknowledged the same day, never answered: late since 25 April.
    cases["C"] = make_case(
        **common,
        category=discoloured,
        received_at=at(4, 10, 9, 30),
        acknowledge_due_at=at(4, 13, 17),
        acknowledged_at=at(4, 10, 12),
        response_due_at=at(4, 25, 23, 59, 59),
        status=Case.Status.INVESTIGATING,
    )
    # H: closed as not a complaint: counted as received, owes no answer.
    cases["H"] = make_case(
        **common,
        category=water,
        received_at=at(4, 15),
        acknowledge_due_at=at(4, 16, 17),
        response_due_at=at(4, 30, 23, 59, 59),
        closed_at=at(4, 15, 14),
        closure_reason=Case.ClosureReason.NOT_A_COMPLAINT,
        status=Case.Status.CLOSED,
    )
    # E: a compliment: received, but no on-time figure.
    cases["E"] = make_case(
        **common,
        kind=Case.Kind.COMPLIMENT,
        category=billing,
        received_at=at(4, 20),
        acknowledge_due_at=at(4, 22, 17),
        response_due_at=at(5, 4, 17),
    )
    # D: acknowledged on time in May; its answer is not due until 27 May.
    cases["D"] = make_case(
        **common,
        category=billing,
        received_at=at(5, 12),
        acknowledge_due_at=at(5, 13, 17),
        acknowledged_at=at(5, 12, 15),
        response_due_at=at(5, 27, 23, 59, 59),
        status=Case.Status.ACKNOWLEDGED,
    )
    # G: B grew into a dispute, acknowledged in 1 working day, answer overdue.
    cases["G"] = make_case(
        **common,
        kind=Case.Kind.DISPUTE,
        origin=cases["B"],
        category=discoloured,
        received_at=at(5, 5),
        acknowledge_due_at=at(5, 6, 17),
        acknowledged_at=at(5, 6, 10),
        response_due_at=at(5, 19, 23, 59, 59),
        dispute_outcome="",
        status=Case.Status.INVESTIGATING,
    )
    return cases


def rows(cases=None, start=APRIL, end=JUNE, period="month"):
    return period_rows(
        cases if cases is not None else Case.objects.all(),
        start,
        end,
        period,
        calendar=get_calendar(),
        now=NOW,
    )


def test_cases_per_month_by_kind_and_per_1000_customers(fixture_cases):
    april, may = rows()
    assert april.cases == 5
    assert (april.received["complaint"], april.received["claim"]) == (2 + 1, 1)
    assert april.feedback == 1
    assert may.cases == 2
    assert (may.received["complaint"], may.received["dispute"]) == (1, 1)
    # Four customers at the end of April and of May.
    assert april.customer_months == may.customer_months == 4
    assert april.rate == pytest.approx(1250)
    assert may.rate == pytest.approx(500)


def test_on_time_shares_count_each_case_once_when_its_outcome_is_known(
    fixture_cases,
):
    april, may = rows()
    # Acknowledged: A on time, B late, C on time (H owes nothing, E is feedback).
    assert (april.ack_on_time, april.ack_total) == (2, 3)
    # May: D and G on time.
    assert (may.ack_on_time, may.ack_total) == (2, 2)
    # Answered: A on time; B late; C late since 25 April.
    assert (april.answer_on_time, april.answer_total) == (1, 3)
    # May: G is late since 19 May; D is not due yet, so not counted.
    assert (may.answer_on_time, may.answer_total) == (0, 1)


def test_working_days_skip_the_good_friday_holiday(fixture_cases):
    april, may = rows()
    assert april.ack_days == Counter({1: 1, 2: 1, 0: 1})  # A, B, C
    assert may.ack_days == Counter({0: 1, 1: 1})  # D, G
    assert april.ack_median == 1
    assert april.ack_p90 == pytest.approx(1.8)
    assert april.close_days == Counter({11: 1, 15: 1})  # A, B
    assert april.close_median == 13
    total = PeriodRow.combine([april, may], APRIL, JUNE)
    assert total.ack_median == 1
    assert total.ack_p90 == pytest.approx(1.6)


def test_decisions_reopenings_and_disputes(fixture_cases):
    april, may = rows()
    assert (april.upheld, april.decided) == (1, 2)
    assert (april.cost_n, april.cost_sum) == (1, 50.0)
    assert (april.reopened, april.closed) == (1, 2)
    # Of April's complaints and claims (A, B, C, H), B went to an external body.
    assert (april.received["disputed"], april.received["disputable"]) == (1, 4)
    assert april.dispute_share == pytest.approx(0.25)
    assert may.dispute_share == 0
    outcomes = dispute_outcomes(Case.objects.all(), APRIL, JUNE)
    assert outcomes == [{"dispute_outcome": "", "n": 1}]


def test_whole_range_equals_the_sum_of_its_months(fixture_cases):
    (whole,) = rows(period=None)
    april, may = rows()
    total = PeriodRow.combine([april, may], APRIL, JUNE)
    assert whole.cases == total.cases == 7
    assert (whole.ack_on_time, whole.ack_total) == (4, 5)
    assert (whole.answer_on_time, whole.answer_total) == (1, 4)
    assert whole.ack_days == total.ack_days
    assert whole.customer_months == total.customer_months == 8


def test_filters_include_subcategories_and_subunits(fixture_cases):
    water = Category.objects.get(code="w")
    filtered = apply_filters(Case.objects.all(), Filters(category=water.pk))
    april, may = rows(filtered)
    assert (april.cases, may.cases) == (4, 1)  # A, B, C, H; G
    unit = fixture_cases["A"].org_unit
    child = OrgUnitFactory(parent=unit)
    make_case(org_unit=child, received_at=at(4, 21))
    by_unit = apply_filters(Case.objects.all(), Filters.from_dict({"org_unit": unit}))
    assert rows(by_unit)[0].cases == 6
    claims = apply_filters(Case.objects.all(), Filters(kind=Case.Kind.CLAIM))
    assert [r.cases for r in rows(claims)] == [1, 0]


def test_recurring_problem_needs_enough_cases_within_the_window(fixture_cases):
    def found(days):
        return recurring_problems(
            Case.objects.all(), APRIL, JUNE, min_cases=3, window_days=days
        )

    # A (2 April), B (7 April), C (10 April), then G (5 May): 9 days from 2 to
    # 10 April inclusive hold three cases, 8 days only two.
    assert found(8) == []
    (problem,) = found(9)
    assert problem.label == "Water / Discoloured"
    assert problem.cases == 3
    assert (problem.first_day, problem.last_day) == (
        datetime.date(2026, 4, 2),
        datetime.date(2026, 4, 10),
    )
    assert problem.total == 4


def test_percentile_from_counts_matches_the_expanded_list():
    counts = {0: 3, 1: 5, 2: 1, 7: 2, 20: 1}
    expanded = [v for v, n in counts.items() for _ in range(n)]
    for q in (0, 10, 25, 50, 75, 90, 100):
        assert percentile_from_counts(counts, q) == pytest.approx(
            statistics.percentile(expanded, q)
        )
    assert percentile_from_counts({}, 50) is None


def test_u_chart_and_p_chart_use_the_monthly_figures(fixture_cases):
    board = dashboard(
        Case.objects.all(), APRIL, JUNE, recurring_min=3, recurring_days=9, now=NOW
    )
    # Per 1,000 customers: 5 cases on 4 customers, 2 on 4; centre 7 on 8.
    assert board.rate_chart.values == pytest.approx((1250, 500))
    assert board.rate_chart.centre == pytest.approx(875)
    assert board.answer_chart.values == pytest.approx((1 / 3, 0.0))
    assert [r.label for r in board.by_category] == ["Water", "Billing"]
    assert board.by_category[0].counts == (4, 1)


def test_signals_are_listed_in_words():
    # Centre 2, upper limit 2 + 3·√2 ≈ 6.2: months 2-11 are above the centre
    # (a run of 10) and month 11 is above the upper limit too.
    chart = statistics.u_chart([1] + [3] * 9 + [9], [1] * 11, centre=2)
    labels = [f"M{i}" for i in range(1, 12)]
    assert signal_texts(chart, labels) == [
        "M2 to M11: 10 points in a row above the centre line",
        "M11: above the upper control limit",
    ]


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


PAGE = {"start": "2026-04", "end": "2026-05"}


@pytest.mark.parametrize("persona", ["quality_manager", "executive", "service_staff"])
def test_page_shows_the_figures_to_readers(
    request, client_for, persona, fixture_cases, frozen
):
    user = request.getfixturevalue(persona)
    if persona == "service_staff":
        # Staff see the figures of the cases they handle.
        Case.objects.update(handler=user)
    response = client_for(user).get(URL, PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Complaints monitoring" in html
    # The default threshold (10 cases in 30 days) is not reached.
    assert "No category reached the threshold." in html
    assert "<svg" in html
    assert "66.7" in html  # April: 2 of 3 acknowledged on time


def test_staff_without_cases_see_no_figures_of_others(
    client_for, service_staff, fixture_cases, frozen
):
    html = client_for(service_staff).get(URL, PAGE).content.decode()
    assert "No cases in this period" in html


def test_recurring_problems_follow_the_parameters(
    client_for, quality_manager, fixture_cases, frozen
):
    params = {**PAGE, "recurring_min": 3, "recurring_days": 9}
    html = client_for(quality_manager).get(URL, params).content.decode()
    recurring = html.split('id="recurring"')[1]
    assert '<th scope="row">Water / Discoloured</th>' in recurring


def test_a_bad_period_falls_back_to_the_default_with_an_error(
    client_for, quality_manager, frozen
):
    response = client_for(quality_manager).get(
        URL, {"start": "2026-05", "end": "2026-01"}
    )
    assert response.status_code == 200
    assert response.context["start"] == datetime.date(2025, 5, 1)
    assert response.context["end"] == datetime.date(2026, 5, 1)
    assert response.context["form"].errors


def test_csv_download_has_one_row_per_month(
    client_for, quality_manager, fixture_cases, frozen
):
    response = client_for(quality_manager).get(URL, {**PAGE, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["Month"] for row in table] == ["2026-04", "2026-05"]
    april = table[0]
    assert april["Cases"] == "5"
    assert april["Acknowledged on time"] == "2"
    assert april["Acknowledgement due"] == "3"
    assert april["Median working days to acknowledge"] == "1"
    assert april["Remedy cost (€)"] == "50.00"


def test_number_of_queries_does_not_grow_with_cases(
    client_for, quality_manager, fixture_cases, frozen, django_assert_num_queries
):
    client = client_for(quality_manager)
    client.get(URL, PAGE)  # warm caches (content types, permissions)
    handler = UserFactory(username="h")
    unit = fixture_cases["A"].org_unit
    categories = list(Category.objects.all())
    for number in range(300):
        make_case(
            org_unit=unit,
            handler=handler,
            category=categories[number % len(categories)],
            received_at=at(4 + number % 2, 1 + number % 28, 9),
            acknowledge_due_at=at(4 + number % 2, 1 + number % 28, 17),
            acknowledged_at=at(4 + number % 2, 1 + number % 28, 9 + number % 9),
        )
    params = {**PAGE, "category": categories[0].pk, "org_unit": unit.pk}
    # The new April cases made April's summary stale: this request
    # recomputes it (a fixed number of queries, see test_summaries).
    client.get(URL, params)
    # session + user (2), permissions (2), form validation: the category and
    # the unit chosen (2), the unit tree below the unit (2: the cases, the
    # summaries), the page data: April from the monthly summaries (months up
    # to date, sums, day counts: 3), the running month May live (8 period
    # parts and the calendar: 9), the exposure (1), three cross-tables from
    # both (6), dispute outcomes from both (2), recurring problems (1); the
    # form's choices: channels, categories, units (3), and the post-complaint
    # survey satisfaction (up to 3: the waves answered in the period, the
    # questions of the right type, then their answers).
    with django_assert_num_queries(34):
        response = client.get(URL, params)
    assert response.status_code == 200
