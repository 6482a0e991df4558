"""The benchmark's data generator and scenario table must not rot.

The benchmark itself (``python -m bench``) is too long for CI and measures
times, which tests never assert. This runs the generator at a tiny scale on
the test database and sends every available scenario's request once through
the test client: a renamed URL parameter, a form field a scenario no longer
fills or a generator out of step with a model fails here.

The generator runs once for the module (``tests.worlds.module_world``); each
test works in a savepoint of it. Adding areas on top of earlier data needs an
empty database: tests/bench/test_bench_areas.py.
"""

import io
import json
import random

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
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
from promises.models import FulfilmentEvent, PromiseIndicator
from qms import demo
from qms.models import Customer
from reports.models import Report
from standards import services as standards_services
from standards.models import Evaluation
from surveys.models import Answer, Participant, Response, Wave
from tests.surveys.factories_analysis import skip_chart_drawing
from tests.worlds import module_world

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("bench-data")]

SCALE = 0.0005  # 500 cases, 25 customers


@module_world
def bench_data():
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


def test_later_areas_are_generated_consistently(bench_data):
    # Promise events: a time indicator's event is kept when within its limit.
    events = FulfilmentEvent.objects.select_related("indicator")
    assert events.count() >= 100
    for event in events.filter(indicator__kind=PromiseIndicator.Kind.TIME)[:300]:
        assert event.kept == (event.elapsed <= event.indicator.time_limit)
        assert event.started_at <= event.ended_at
    assert not events.filter(excluded=True, exclusion_reason="").exists()
    # Evaluations: the stored score is the one the criterion scores give.
    assert Evaluation.objects.count() == 50
    for evaluation in Evaluation.objects.prefetch_related("scores__criterion")[:30]:
        items = [
            (s.criterion.weight, s.criterion.is_critical, s.answer)
            for s in evaluation.scores.all()
        ]
        result = standards_services.compute_score(items)
        assert evaluation.critical_fail == result.critical_fail
        assert float(evaluation.score) == pytest.approx(result.score)
        assert evaluation.employee_id != evaluation.evaluator_id
        assert evaluation.version.effective_from <= evaluation.interaction_date
    # Surveys: 20 closed waves with responses, about 20 answers each, in the
    # response's wave; a wave in fieldwork with fresh personal links.
    closed = Wave.objects.filter(status=Wave.Status.CLOSED)
    assert closed.count() == 20
    assert Response.objects.count() == 250
    answers = Answer.objects.count()
    assert 18 * 250 <= answers <= 21 * 250
    assert not Answer.objects.exclude(wave_id=F("response__wave_id")).exists()
    fieldwork = Wave.objects.get(status=Wave.Status.FIELDWORK)
    assert Participant.objects.filter(wave=fieldwork, disposition="invited").count()
    # The report scenario's draft.
    assert Report.objects.filter(kind="quarter", status="draft").exists()


def test_generator_refuses_a_database_with_cases(bench_data):
    with pytest.raises(CommandError, match="--reset"):
        call_command("bench_data", scale=SCALE)


def test_generator_refuses_large_scales_on_sqlite(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the refusal is SQLite's; PostgreSQL would generate the data")
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
    # Every area is merged now: no scenario may be skipped.
    assert ran == len(SCENARIOS)


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
        # Measured with a cold content-type cache and an empty cache (the
        # cached option lists, qms.options) every time: generating data may
        # leave them warm or cold, which is not the page's doing.
        ContentType.objects.clear_cache()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, scenario.params(fx, 1))
        assert response.status_code in scenario.ok, scenario.key
        counts[scenario.key] = len(queries)
    return counts


def _no_drawing(monkeypatch) -> None:
    """Leave out the work that runs no query: WeasyPrint's layout of the
    report PDF (the PDF scenario above lays it out for real) and matplotlib's
    drawing of the survey charts the generator stores. What the pages read
    and write, and so their query counts, stays the same."""
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7\n")
    skip_chart_drawing(monkeypatch)


def test_no_scenario_query_count_grows_with_the_data(bench_data, client, monkeypatch):
    """The benchmark's regression guard without times: the same pages with
    three times the cases must run the same number of queries."""
    _no_drawing(monkeypatch)
    before = _query_counts(client)
    ctx = BenchContext(scale=0.001, now=timezone.now(), demo=demo.seed())
    for number, area in enumerate(REGISTRY):
        if not area.missing():
            area.generate(connection, 0.001, random.Random(99 + number), ctx)
    assert Case.objects.count() == 1500

    assert _query_counts(client) == before
