"""Fixtures for evaluations: a unit, an agent in it, a phone standard in force
for 200 days with three criteria (one critical, one on a 1-5 scale)."""

import pytest

from qms.models import Channel
from tests.factories import MembershipFactory, OrgUnitFactory
from tests.standards.helpers import add_criterion, approve, days, make_standard, today


@pytest.fixture
def unit():
    return OrgUnitFactory(name="Contact Centre")


@pytest.fixture
def agent(service_staff, unit):
    MembershipFactory(user=service_staff, unit=unit)
    return service_staff


@pytest.fixture
def phone():
    return Channel.objects.get(code="phone")


@pytest.fixture
def standard(process_owner, quality_manager):
    standard = make_standard(process_owner)
    v1 = standard.document.versions.get()
    add_criterion(v1, "Greets.", weight=2, order=1)
    add_criterion(v1, "Checks identity.", weight=3, order=2, is_critical=True)
    add_criterion(v1, "Summarises the next step.", order=3, scoring="scale")
    approve(v1, process_owner, quality_manager, effective_from=today() - days(200))
    return standard
