"""Data for the report tests: cases spread over quarters, needs, customers.

Everything happens in 2026 in Tallinn; time is frozen at 15 August 2026 so
Q2 2026 (April-June) is the last full quarter.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from complaints.models import Case, Category
from needs.models import Need
from qms import roles
from qms.models import Channel, Customer
from tests.factories import CustomerFactory, OrgUnitFactory, UserFactory
from tests.worlds import module_world

TALLINN = ZoneInfo("Europe/Tallinn")
NOW = datetime.datetime(2026, 8, 15, 12, 0, tzinfo=TALLINN)
Q1 = datetime.date(2026, 1, 1)
Q2 = datetime.date(2026, 4, 1)
Q3 = datetime.date(2026, 7, 1)

_numbers = iter(range(1, 1_000_000))


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TALLINN)


def make_customers(n: int) -> None:
    for _ in range(n):
        customer = CustomerFactory()
        Customer.objects.filter(pk=customer.pk).update(created_at=at(2024, 6, 1))


def make_cases(per_month: dict[tuple[int, int], int], unit=None, scale: int = 1):
    """``per_month[(year, month)]`` complaints, received on the 3rd; every
    third answered late, every second upheld with a remedy."""
    unit = unit or OrgUnitFactory(name="Network")
    phone = Channel.objects.get(code="phone")
    billing, _ = Category.objects.get_or_create(name="Billing", code="billing")
    cases = []
    for (year, month), n in per_month.items():
        for i in range(n * scale):
            received = at(year, month, 3 + i % 20)
            due = received + datetime.timedelta(days=15)
            answered = due + datetime.timedelta(days=2 if i % 3 == 0 else -1)
            cases.append(
                Case(
                    reference=f"K-T-{next(_numbers):07d}",
                    kind=Case.Kind.COMPLAINT,
                    channel=phone,
                    org_unit=unit,
                    category=billing,
                    description="x",
                    received_at=received,
                    acknowledge_due_at=received + datetime.timedelta(days=1),
                    acknowledged_at=received + datetime.timedelta(hours=3),
                    response_due_at=due,
                    communicated_at=answered,
                    decided_at=answered,
                    outcome=Case.Outcome.UPHELD if i % 2 else Case.Outcome.NOT_UPHELD,
                    remedy_cost=Decimal("20.00") + i if i % 2 else None,
                    decision_reasons="Checked against the meter readings.",
                )
            )
    Case.objects.bulk_create(cases)
    return unit


def make_needs(n: int, day: datetime.date) -> None:
    Need.objects.bulk_create(
        [
            Need(
                statement=f"Need {i}",
                source=Need.Source.SURVEY,
                identified_on=day + datetime.timedelta(days=i % 20),
            )
            for i in range(n)
        ]
    )


# A year of complaints: a quiet 2025 Q2, a busier 2026 Q1, a jump in Q2.
VOLUME = {
    (2025, 4): 6,
    (2025, 5): 6,
    (2025, 6): 6,
    (2026, 1): 10,
    (2026, 2): 10,
    (2026, 3): 10,
    (2026, 4): 30,
    (2026, 5): 25,
    (2026, 6): 2,
    (2026, 7): 8,
}


def frozen_world(build):
    """``tests.worlds.module_world`` with the builder run at ``NOW``, like the
    tests (the ``frozen`` fixture): what is stale or complete depends on the
    day."""

    def frozen_build():
        with time_machine.travel(NOW, tick=False):
            return build()

    frozen_build.__name__ = build.__name__
    frozen_build.__doc__ = build.__doc__
    return module_world(frozen_build)


def make_quality_manager():
    """The ``quality_manager`` persona of tests/conftest.py, for a module's
    world whose draft it writes; the module's ``quality_manager`` fixture
    then reads it back (see :func:`world_user`)."""
    return UserFactory(username="qm", roles=[roles.QUALITY_MANAGER])


def world_user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def publish_promises(owner, count: int) -> None:
    from promises.models import PromiseIndicator
    from tests.promises.helpers import (
        add_events,
        at,
        make_indicator,
        make_promise,
        publish,
    )

    for i in range(count):
        promise = make_promise(owner, title=f"Promise {i}")
        indicator = make_indicator(promise, kind=PromiseIndicator.Kind.KEPT)
        publish(promise, owner)
        add_events(indicator, at(2026, 5, 10), 8 + i, 2)
        add_events(indicator, at(2026, 4, 10), 7, 3)
