"""The per-criterion figures read the evaluation fields copied onto each
criterion score; they must equal the figures of the join with the evaluations
(the query shape before the copies) on the same data, also after an
evaluation is edited and after an import, and the results page's query count
must not grow with the evaluations."""

import itertools

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms.models import Channel, Membership
from standards import importing, results
from standards.models import CalibrationSession, CriterionScore, Evaluation
from tests.factories import OrgUnitFactory, UserFactory
from tests.standards.helpers import days, evaluate, today

pytestmark = pytest.mark.django_db

ANSWERS = [
    ("yes", "yes", "5"),
    ("no", "yes", "2"),
    ("yes", "no", "4"),
    ("no", "no", "1"),
    ("na", "yes", "3"),
]


def _old_scores(filters):
    return CriterionScore.objects.filter(
        evaluation__in=results.evaluations(filters), failed__isnull=False
    )


def old_by_criterion(filters) -> list[results.CriterionRow]:
    """``results.by_criterion`` as it was: scores joined with evaluations."""
    rows = (
        _old_scores(filters)
        .values("criterion__version__document__title", "criterion__behaviour")
        .annotate(
            applicable=Count("pk"),
            failed_n=Count("pk", filter=Q(failed=True)),
            critical_n=Count("pk", filter=Q(criterion__is_critical=True)),
            any_id=Max("criterion_id"),
        )
        .order_by("criterion__version__document__title", "criterion__behaviour")
    )
    result = [
        results.CriterionRow(
            standard=row["criterion__version__document__title"],
            behaviour=row["criterion__behaviour"],
            is_critical=bool(row["critical_n"]),
            applicable=row["applicable"],
            failed=row["failed_n"],
            criterion_id=row["any_id"],
        )
        for row in rows
    ]
    result.sort(key=lambda r: (-(r.fail_share or 0), r.standard, r.behaviour))
    return result


def old_training_needs(filters, threshold, min_checks=5):
    """``results.training_needs`` as it was, as comparable tuples."""
    rows = (
        _old_scores(filters)
        .values("evaluation__employee_id", "criterion__behaviour")
        .annotate(applicable=Count("pk"), failed_n=Count("pk", filter=Q(failed=True)))
        .filter(applicable__gte=min_checks)
        .filter(failed_n__gt=threshold * F("applicable"))
    )
    return sorted(
        (
            r["evaluation__employee_id"],
            r["criterion__behaviour"],
            r["applicable"],
            r["failed_n"],
        )
        for r in rows
    )


def new_training_needs(filters, threshold, min_checks=5):
    return sorted(
        (n.employee_id, n.behaviour, n.applicable, n.failed)
        for n in results.training_needs(
            filters, threshold=threshold, min_checks=min_checks
        )
    )


@pytest.fixture
def second_agent():
    user = UserFactory(first_name="Mari", last_name="Maasikas")
    Membership.objects.create(user=user, unit=OrgUnitFactory(name="Branch"))
    return user


@pytest.fixture
def many(standard, agent, second_agent, quality_manager):
    """Evaluations of two agents in two units over four months, and one
    calibration exercise that must stay out of every figure."""
    made = []
    for i, (values, who, age) in enumerate(
        zip(
            itertools.cycle(ANSWERS),
            [agent, second_agent] * 12,
            [3, 10, 25, 40, 70, 100] * 4,
            strict=False,
        )
    ):
        made.append(
            evaluate(
                standard,
                who,
                quality_manager,
                *values,
                day=today() - days(age),
                reference=f"M{i}",
            )
        )
    session = CalibrationSession.objects.create(
        standard=standard,
        title="Calibration",
        reference="CAL",
        interaction_date=today() - days(5),
        created_by=quality_manager,
    )
    evaluate(
        standard,
        agent,
        quality_manager,
        "no",
        "no",
        "1",
        day=today() - days(5),
        reference="CAL-1",
        calibration=session,
    )
    return made


def _filter_sets(agent, second_agent):
    start, end = today() - days(120), today() + days(1)
    unit = Membership.objects.get(user=agent).unit_id
    other = Membership.objects.get(user=second_agent).unit_id
    phone = Channel.objects.get(code="phone").pk
    return [
        results.Filters(start=start, end=end),
        results.Filters(start=today() - days(30), end=end),
        results.Filters(start=today() - days(80), end=today() - days(20)),
        results.Filters(start=start, end=end, channel=phone),
        results.Filters(start=start, end=end, unit=unit),
        results.Filters(start=start, end=end, units={unit, other}),
        results.Filters(start=start, end=end, units={other}),
    ]


def _assert_equal_to_join(agent, second_agent):
    for filters in _filter_sets(agent, second_agent):
        assert results.by_criterion(filters) == old_by_criterion(filters)
        for threshold in (0.0, 0.2, 0.4):
            assert new_training_needs(filters, threshold) == old_training_needs(
                filters, threshold
            )


def _assert_copies_in_step():
    mismatched = CriterionScore.objects.exclude(
        interaction_date=F("evaluation__interaction_date"),
        channel_id=F("evaluation__channel_id"),
        employee_id=F("evaluation__employee_id"),
    )
    assert not mismatched.exists()
    for score in CriterionScore.objects.select_related("evaluation"):
        assert score.org_unit_id == score.evaluation.org_unit_id
        assert score.calibration_id == score.evaluation.calibration_id


def test_figures_equal_the_join_with_evaluations(many, agent, second_agent):
    _assert_copies_in_step()
    figures = results.by_criterion(
        results.Filters(start=today() - days(120), end=today() + days(1))
    )
    assert sum(r.applicable for r in figures) > 0
    _assert_equal_to_join(agent, second_agent)


def test_figures_follow_an_edited_evaluation(many, agent, second_agent, standard):
    email = Channel.objects.get(code="email")
    standard.channels.add(email)
    moved = many[0]
    moved.interaction_date = today() - days(60)
    moved.channel = email
    moved.employee = second_agent
    moved.org_unit = Membership.objects.get(user=second_agent).unit
    moved.save()
    # A save naming only some fields copies them as well.
    other = many[1]
    other.interaction_date = today() - days(115)
    other.save(update_fields=["interaction_date"])
    # The admin edits an evaluation into a calibration exercise.
    other = many[2]
    other.calibration = CalibrationSession.objects.get()
    other.save()
    _assert_copies_in_step()
    _assert_equal_to_join(agent, second_agent)


def test_figures_include_imported_evaluations(
    many, agent, second_agent, quality_manager
):
    day = (today() - days(4)).isoformat()
    header = (
        "standard,reference,interaction_date,interaction_type,channel,employee,"
        "evaluator,c1,c2,c3"
    )
    rows = [
        f"STD-T,IMP-{i},{day},call,phone,{second_agent.username},"
        f"{quality_manager.username},no,yes,{i % 5 + 1}"
        for i in range(6)
    ]
    done = importing.import_evaluations(
        text="\n".join([header, *rows]), dry_run=False, by=quality_manager
    )
    assert done.saved == 6
    _assert_copies_in_step()
    _assert_equal_to_join(agent, second_agent)


def test_responding_keeps_the_copies(many, agent, second_agent):
    from standards import services

    evaluation = Evaluation.objects.filter(employee=agent).first()
    services.evaluation_respond(evaluation=evaluation, by=agent, confirm=True)
    _assert_copies_in_step()
    _assert_equal_to_join(agent, second_agent)


def _page_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("standards:results")).status_code == 200
    return len(captured)


def test_results_page_queries_do_not_grow(
    client_for, standard, agent, second_agent, quality_manager
):
    client = client_for(quality_manager)
    for i, values in enumerate(ANSWERS):
        evaluate(standard, agent, quality_manager, *values, reference=f"A{i}")
    few = _page_queries(client)
    for i, values in enumerate(ANSWERS * 3):
        who = second_agent if i % 2 else agent
        evaluate(
            standard,
            who,
            quality_manager,
            *values,
            day=today() - days(i % 40 + 1),
            reference=f"B{i}",
        )
    assert _page_queries(client) == few


def _assert_same_rows(summary_rows, live_rows):
    assert [
        (r.key, r.label, r.n, r.compliant, r.critical, r.scored) for r in summary_rows
    ] == [(r.key, r.label, r.n, r.compliant, r.critical, r.scored) for r in live_rows]
    for mine, live in zip(summary_rows, live_rows, strict=True):
        # Exact decimal sums on PostgreSQL; SQLite sums in floats.
        assert mine.score_sum == pytest.approx(live.score_sum, rel=1e-12)
        assert mine.score_sum2 == pytest.approx(live.score_sum2, rel=1e-12)
        if connection.vendor == "postgresql":
            assert (mine.score_sum, mine.score_sum2) == (
                live.score_sum,
                live.score_sum2,
            )


def test_page_summary_equals_the_separate_queries(many, agent, second_agent):
    # An evaluation without a unit shows as "-".
    loose = many[5]
    loose.org_unit = None
    loose.save()
    for filters in _filter_sets(agent, second_agent):
        summary = results.summary(filters)
        _assert_same_rows([summary.overall], [results.overall(filters)])
        _assert_same_rows(summary.by_channel, results.by("channel", filters))
        _assert_same_rows(summary.by_unit, results.by("unit", filters))
        _assert_same_rows(summary.by_employee, results.by("employee", filters))
        _assert_same_rows(summary.by_month, results.by_month(filters))


def test_migration_fills_the_copies_from_the_evaluations(many, agent, second_agent):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "standards.migrations.0005_criterionscore_evaluation_copies"
    )
    CriterionScore.objects.update(
        interaction_date=today() - days(1000),
        channel=Channel.objects.get(code="email"),
        employee=second_agent,
        org_unit=None,
        calibration=None,
    )

    class Editor:
        """What ``fill`` uses of a schema editor (a real one refuses to open
        inside the test's transaction on SQLite)."""

        def __init__(self):
            self.connection = connection

        def execute(self, sql):
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.fill(apps, Editor())
    _assert_copies_in_step()
    _assert_equal_to_join(agent, second_agent)
