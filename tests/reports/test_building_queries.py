"""The report build's query count does not grow with the data. Apart from
test_building.py, whose module shares one set of cases: each test here
builds its data at two sizes from an empty database."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import building
from reports.periods import parse_period

from .helpers import (
    NOW,
    VOLUME,
    make_cases,
    make_customers,
    make_needs,
    publish_promises,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = NOW.date()


def _build_queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        building.build(parse_period("2026-Q2", TODAY), today=TODAY)
    return len(captured.captured_queries)


# One grouped call per indicator, each section's tables and the decisions of
# earlier reports: the number depends on the sections installed, never on
# the amount of data. The budget is a ceiling for all seven areas.
QUERY_BUDGET = 90
# The first build after cases were written around Case.save (bulk_create here)
# also brings the stale complaints summaries up to date: a fixed number of
# queries per range read, whatever the number of cases or stale months.
STALE_BUDGET = 140


def test_query_count_does_not_grow_with_the_data():
    make_customers(5)
    make_cases(VOLUME)
    make_needs(3, datetime.date(2026, 4, 2))
    small_stale, small = _build_queries(), _build_queries()
    make_customers(50)
    make_cases(VOLUME, scale=8)
    make_needs(60, datetime.date(2026, 4, 2))
    large_stale, large = _build_queries(), _build_queries()
    assert large <= small
    assert large <= QUERY_BUDGET
    assert large_stale <= small_stale
    assert large_stale <= STALE_BUDGET


def test_query_count_does_not_grow_with_the_number_of_promises(quality_manager):
    make_customers(5)
    make_cases(VOLUME)
    publish_promises(quality_manager, 1)
    # The first build also brings the complaints summaries of the bulk-created
    # cases up to date; compare builds in the same (fresh) state.
    _build_queries()
    one = _build_queries()
    publish_promises(quality_manager, 6)
    seven = _build_queries()
    assert seven == one
