"""Two people act on one case at the same moment, 200 times over: nothing is
lost. Each race runs the edit page's own code path (the form opened before,
``form.save(commit=False)`` and ``save()`` as in ``complaints.views.case_update``)
in one thread and a workflow step or a second edit in another, on two real
database connections released by one barrier.

PostgreSQL only: SQLite lets one writer at a time into the whole file, so the
two requests never overlap there."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from complaints import services
from complaints.forms import CaseEditForm
from complaints.models import Case
from qms.concurrency import STATE_FIELD
from tests.factories import OrgUnitFactory, register_case
from tests.qms.test_lost_updates import form_values

RACES = 200

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("two writers overlap only on PostgreSQL (SQLite locks the file)")


def _opened(cases: list[Case]) -> list[dict[str, str]]:
    """What the browser posts back from each case's edit form as it was
    opened. The cases differ only in their signed state, so the form is
    rendered once."""
    html = str(CaseEditForm(instance=cases[0]))
    shown = {name: values[0] for name, values in form_values(html).items()}
    return [
        {**shown, STATE_FIELD: CaseEditForm(instance=case).initial[STATE_FIELD]}
        for case in cases
    ]


def _edit(case_pk: int, data: dict[str, str], user) -> str:
    case = Case.objects.get(pk=case_pk)
    form = CaseEditForm(data, instance=case)
    if not form.is_valid():
        return "refused"
    case = form.save(commit=False)
    case._history_user = user
    try:
        case.save()
    except ValidationError:
        return "refused"
    return "saved"


def _accept(case_pk: int, user) -> str:
    try:
        services.case_transition(
            case=Case.objects.get(pk=case_pk), action="accept", by=user
        )
    except ValidationError:
        return "refused"
    return "done"


def _races(pairs: list[tuple[Callable[[], str], Callable[[], str]]]) -> list:
    """Run each pair's two works at the same moment, pair after pair, in two
    threads that keep their database connections for the whole run."""
    barrier = threading.Barrier(2)
    results: list[list[str]] = [[], []]
    failures: list[BaseException] = []

    def run(side: int) -> None:
        try:
            for pair in pairs:
                barrier.wait(timeout=30)
                results[side].append(pair[side]())
        except BaseException as error:  # reported below, not swallowed
            failures.append(error)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(side,)) for side in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not failures, failures
    return list(zip(*results, strict=True))


@pytest.fixture
def cases(seed_data, quality_manager):
    unit = OrgUnitFactory(code="race")
    made = [register_case(org_unit=unit, subject="Wrong bill") for _ in range(RACES)]
    return [(case.pk, opened) for case, opened in zip(made, _opened(made), strict=True)]


def test_an_edit_and_a_step_at_once_lose_nothing(
    cases, quality_manager, second_quality_manager
):
    pairs = [
        (
            lambda pk=pk, data={**opened, "subject": f"Corrected subject {n}"}: _edit(
                pk, data, quality_manager
            ),
            lambda pk=pk: _accept(pk, second_quality_manager),
        )
        for n, (pk, opened) in enumerate(cases)
    ]
    for n, ((pk, _opened_as), (edit, step)) in enumerate(
        zip(cases, _races(pairs), strict=True)
    ):
        case = Case.objects.get(pk=pk)
        # Both went through: the edit wrote only its own field.
        assert (edit, step) == ("saved", "done"), n
        assert case.subject == f"Corrected subject {n}", n
        assert case.status == Case.Status.INVESTIGATING, n
        assert case.acknowledged_at is not None, n
        log = list(case.transitions.values_list("to_status", flat=True))
        assert log == [Case.Status.RECEIVED, Case.Status.INVESTIGATING], n
        statuses = list(
            case.history.order_by("history_date", "history_id").values_list(
                "status", flat=True
            )
        )
        # The history never shows the status going back.
        assert statuses[-1] == Case.Status.INVESTIGATING, (n, statuses)
        assert Case.Status.RECEIVED not in statuses[statuses.index("investigating") :]


def test_two_edits_at_once_lose_nothing(cases, quality_manager, second_quality_manager):
    outcomes = set()
    pairs = [
        (
            lambda pk=pk, data={**opened, "subject": f"Corrected subject {n}"}: _edit(
                pk, data, quality_manager
            ),
            lambda pk=pk, data={**opened, "priority": "high"}: _edit(
                pk, data, second_quality_manager
            ),
        )
        for n, (pk, opened) in enumerate(cases)
    ]
    for n, ((pk, _opened_as), (first, second)) in enumerate(
        zip(cases, _races(pairs), strict=True)
    ):
        outcomes.add((first, second))
        case = Case.objects.get(pk=pk)
        assert "saved" in (first, second), n
        # What was reported saved is in the record; a refused edit wrote nothing.
        assert case.subject == (
            f"Corrected subject {n}" if first == "saved" else "Wrong bill"
        ), (n, first, second)
        assert (case.priority == "high") == (second == "saved"), (n, first, second)
        saves = case.history.filter(history_type="~").count()
        assert saves == [first, second].count("saved"), n
    # Never both refused; each outcome is one of: both merged (disjoint fields,
    # the second read after the first's commit's snapshot check), one refused.
    assert outcomes <= {("saved", "saved"), ("saved", "refused"), ("refused", "saved")}
