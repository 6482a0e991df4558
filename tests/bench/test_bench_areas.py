"""``bench_data --areas``: areas generated on top of earlier data. Apart from
tests/bench/test_bench_data.py, whose module shares one generated database:
this test starts from an empty one."""

import io

import pytest
from django.core.management import CommandError, call_command

from qms.models import Customer
from surveys.models import Participant, Response
from tests.surveys.factories_analysis import skip_chart_drawing

SCALE = 0.0005  # 500 cases, 25 customers


def test_areas_are_added_on_top_of_earlier_data(db, monkeypatch):
    # The survey charts the generator stores are not looked at here (the
    # other module's scenarios show them): not drawn, to save the time.
    skip_chart_drawing(monkeypatch)
    call_command("bench_data", scale=SCALE, areas=["core"], stdout=io.StringIO())
    assert not Response.objects.exists()
    out = io.StringIO()
    call_command("bench_data", scale=SCALE, areas=["surveys"], stdout=out)
    assert Response.objects.count() == 250
    # The fieldwork wave's participants are the customers made earlier.
    customers = set(Customer.objects.values_list("pk", flat=True))
    linked = set(
        Participant.objects.exclude(customer=None).values_list("customer", flat=True)
    )
    assert linked and linked <= customers
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_data", scale=SCALE, areas=["surveys"])
