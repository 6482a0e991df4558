"""The benchmark's data generator and scenario table must not rot.

The benchmark itself (``python -m bench``) is too long for CI and measures
times, which tests never assert. This runs the generator at a tiny scale on
the test database and sends every available scenario's request once through
the test client: a renamed URL parameter, a form field a scenario no longer
fills or a generator out of step with a model fails here.
"""

import io
import json
import random

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.generators import REGISTRY
from bench.generators.base import BenchContext
from bench.runner import fixtures
from bench.scenarios import SCENARIOS
from complaints.models import Case, CaseSequence, Message, Transition
from improvements.models import Plan
from needs.models import Need
from qms import demo
from qms.models import Customer

SCALE = 0.0005  # 500 cases, 25 customers


@pytest.fixture
def bench_data(db):
    call_command("bench_data", scale=SCALE, stdout=io.StringIO())


def test_generator_fills_every_available_area_consistently(bench_data):
    assert Case.objects.count() == 500
    assert Customer.objects.filter(reference__startswith="B-").count() == 25
    assert Plan.objects.exists() and Need.objects.exists()
    # Every case has its registration, and its status is the last transition's.
    for case in Case.objects.prefetch_related("transitions")[:200]:
        steps = list(case.transitions.all())
        assert steps[0].action == "register"
        assert steps[-1].to_status == case.status
        assert (case.closed_at is not None) == (case.status == Case.Status.CLOSED)
    assert Message.objects.exists()
    # References continue from the generated numbers.
    latest = Case.objects.order_by("-received_at").first()
    year = int(latest.reference.split("-")[1])
    assert CaseSequence.objects.get(year=year).last >= int(latest.reference[-6:])
    assert Transition.objects.filter(case__isnull=True).count() == 0


def test_generator_refuses_a_database_with_cases(bench_data):
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_data", scale=SCALE)


def test_generator_refuses_large_scales_on_sqlite(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_data", scale=0.1)


def test_registry_reports_missing_areas_instead_of_failing():
    for area in REGISTRY:
        assert isinstance(area.missing(), list)


def test_every_available_scenario_answers_as_the_benchmark_expects(bench_data, client):
    fx = fixtures()
    users = get_user_model().objects
    ran = 0
    for scenario in SCENARIOS:
        try:
            url = reverse(scenario.url_name, args=scenario.args(fx))
        except (NoReverseMatch, KeyError):
            continue
        client.logout()
        if scenario.user:
            client.force_login(users.get(username=scenario.user))
        if scenario.method == "GET":
            response = client.get(url, scenario.params(fx, 1))
        elif scenario.json:
            body = json.dumps(scenario.data(fx, 1))
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.post(url, scenario.data(fx, 1))
        assert response.status_code in scenario.ok, (scenario.key, response)
        ran += 1
    assert ran >= 12


def _get_scenarios(fx):
    for scenario in SCENARIOS:
        if scenario.method != "GET":
            continue
        try:
            url = reverse(scenario.url_name, args=scenario.args(fx))
        except (NoReverseMatch, KeyError):
            continue
        yield scenario, url


def _query_counts(client) -> dict[str, int]:
    fx = fixtures()
    users = get_user_model().objects
    counts = {}
    for scenario, url in _get_scenarios(fx):
        client.force_login(users.get(username=scenario.user))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, scenario.params(fx, 1))
        assert response.status_code in scenario.ok, scenario.key
        counts[scenario.key] = len(queries)
    return counts


def test_no_scenario_query_count_grows_with_the_data(bench_data, client):
    """The benchmark's regression guard without times: the same pages with
    three times the cases must run the same number of queries."""
    before = _query_counts(client)
    ctx = BenchContext(scale=0.001, now=timezone.now(), demo=demo.seed())
    for number, area in enumerate(REGISTRY):
        if not area.missing():
            area.generate(connection, 0.001, random.Random(99 + number), ctx)
    assert Case.objects.count() == 1500

    assert _query_counts(client) == before
