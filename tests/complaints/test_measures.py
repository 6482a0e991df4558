"""The measure registry and the complaints measures' sufficient statistics."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints import measures as complaint_measures
from complaints.models import Case, Category
from complaints.monitoring import summaries
from qms import measures, statistics
from qms.measures import Measure, Point
from qms.models import Channel, Customer
from tests.factories import CustomerFactory, OrgUnitFactory

TALLINN = ZoneInfo("Europe/Tallinn")
JAN, APR, JUL = (datetime.date(2026, m, 1) for m in (1, 4, 7))


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, tzinfo=TALLINN)


@pytest.fixture
def registered():
    complaint_measures.register_all()
    complaint_measures.register_all()  # idempotent
    return measures.all_measures("complaints.")


def test_register_all_registers_every_complaints_measure_once(registered):
    keys = [m.key for m in registered]
    assert keys == sorted(m.key for m in complaint_measures.MEASURES)
    assert len(keys) == len(set(keys)) == 10
    answered = measures.get("complaints.on_time_share")
    assert answered is complaint_measures.ANSWERED_ON_TIME
    assert answered.kind == measures.SHARE
    assert answered.higher_is_better and answered.target == 0.90
    assert str(answered.label) == "Answered on time"
    with pytest.raises(KeyError):
        measures.get("complaints.nonexistent")


def test_a_measure_needs_a_known_kind_and_an_app_key():
    def compute(start, end, *, period, filters):
        return []

    with pytest.raises(ValueError, match="kind"):
        Measure(key="x.y", label="Y", kind="ratio", compute=compute)
    with pytest.raises(ValueError, match="key"):
        Measure(key="nodot", label="Y", kind=measures.COUNT, compute=compute)


def test_values_intervals_and_charts_follow_the_kind():
    share = complaint_measures.ANSWERED_ON_TIME
    point = Point(JAN, APR, successes=45, trials=50)
    assert share.value(point) == 0.9
    assert share.base(point) == 50
    assert share.interval(point) == statistics.wilson_interval(45, 50)
    assert share.meets_target(0.9) is True
    assert share.meets_target(0.89) is False

    rate = complaint_measures.CASES_PER_1000
    point = Point(JAN, APR, count=30, exposure=12_000)
    assert rate.value(point) == pytest.approx(2.5)
    assert rate.interval(point) == statistics.poisson_rate_interval(
        30, 12_000, per=1000
    )
    chart = rate.control_chart([point, Point(APR, JUL, count=90, exposure=12_000)])
    # 2.5 and 7.5 per 1,000; the centre is 120 / 24,000 = 5 per 1,000.
    assert chart.values == pytest.approx((2.5, 7.5))
    assert chart.centre == pytest.approx(5)

    mean = complaint_measures.DAYS_TO_CLOSE
    point = Point(JAN, APR, n=4, sum_x=20, sum_x2=120)
    assert mean.value(point) == 5
    assert mean.control_chart([point]) is None
    assert mean.meets_target(3) is None  # no target


def test_period_buckets_clip_to_the_range():
    assert list(
        measures.period_buckets(datetime.date(2026, 2, 15), JUL, "quarter")
    ) == [
        (JAN, datetime.date(2026, 2, 15), APR),
        (APR, APR, JUL),
    ]
    assert list(measures.period_buckets(JAN, JUL, None)) == [(JAN, JAN, JUL)]
    assert [k for k, *_ in measures.period_buckets(JAN, JUL, "year")] == [JAN]
    assert list(measures.period_buckets(JUL, JAN, "month")) == []


@pytest.fixture
def cases(db):
    unit = OrgUnitFactory()
    phone = Channel.objects.get(code="phone")
    billing = Category.objects.create(name="Billing", code="b")
    for created in (at(1, 1), at(1, 2), at(5, 1)):
        customer = CustomerFactory()
        Customer.objects.filter(pk=customer.pk).update(created_at=created)
    specs = [
        # received, answered on time?, category
        (at(2, 3), True, billing),
        (at(2, 10), False, None),
        (at(5, 4), True, billing),
        (at(5, 6), True, None),
    ]
    for number, (received, in_time, category) in enumerate(specs, start=1):
        due = received + datetime.timedelta(days=15)
        Case.objects.create(
            reference=f"K-2026-{number:06d}",
            channel=phone,
            org_unit=unit,
            category=category,
            description="x",
            received_at=received,
            response_due_at=due,
            communicated_at=due + datetime.timedelta(days=-1 if in_time else 2),
        )
    with time_machine.travel(at(8, 1), tick=False):
        yield


def test_measures_return_sufficient_statistics_per_period(registered, cases):
    answered = measures.get("complaints.on_time_share")
    points = answered.points(JAN, JUL, period="quarter")
    assert [(p.start, p.successes, p.trials) for p in points] == [
        (JAN, 1, 2),
        (APR, 2, 2),
    ]
    (whole,) = answered.points(JAN, JUL)
    assert (whole.successes, whole.trials) == (3, 4)

    per_customer = measures.get("complaints.cases_per_1000_customers")
    points = per_customer.points(JAN, JUL, period="quarter")
    # Customer-months: 2 customers in each of Jan-Mar; 2 in April, 3 in May
    # and June.
    assert [(p.count, p.exposure) for p in points] == [(2, 6.0), (2, 8.0)]

    count = measures.get("complaints.cases")
    assert [p.count for p in count.points(JAN, JUL, period="month")] == [
        0,
        2,
        0,
        0,
        2,
        0,
    ]


def test_measures_apply_filters(registered, cases):
    billing = Category.objects.get(code="b")
    count = measures.get("complaints.cases")
    (point,) = count.points(JAN, JUL, filters={"category": billing.pk})
    assert point.count == 2
    (point,) = count.points(JAN, JUL, filters={"kind": Case.Kind.CLAIM})
    assert point.count == 0


def test_a_measure_runs_a_fixed_number_of_queries(
    registered, cases, django_assert_num_queries
):
    # Complete months come from the monthly summaries
    # (complaints.monitoring.summaries); computing them first is a fixed
    # number of queries too (test_summaries).
    summaries.ensure_fresh(summaries.summarised_months(JAN, JUL))
    with django_assert_num_queries(2):  # months up to date + monthly sums
        measures.get("complaints.cases").points(JAN, JUL, period="month")
    with django_assert_num_queries(3):  # + customers at each month's end
        measures.get("complaints.cases_per_1000_customers").points(
            JAN, JUL, period="month"
        )
    with django_assert_num_queries(3):  # months, sums, day counts
        measures.get("complaints.days_to_close").points(JAN, JUL, period="year")
