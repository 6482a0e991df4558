"""Role-by-view matrix: every named URL pattern, opened by a user of each role,
answers as the table in tests/qms/access_matrix.py says.

A view without a line in that table fails here with the line to add. The
world of records the URLs point at is in tests/qms/access_world.py. Views
that accept only POST are sent an empty POST (each test has its own
database, so what it changes is rolled back).

To see what the views answer now (for reviewing a new area's lines):
    QMS_PRINT_MATRIX=1 pytest tests/qms/test_access_matrix.py -p no:xdist -s
"""

from __future__ import annotations

import os

import pytest
from django.db import transaction
from django.urls import reverse

from tests.qms.access_matrix import EXPECTED, POST_ONLY, SKIPPED
from tests.qms.access_world import ARGS, ROLES, build_world
from tests.qms.test_anonymous_access import ROUTES
from tests.qms.test_content_security_policy import inline_code

NAMES = sorted({name for name, _path in ROUTES} - SKIPPED)


def test_every_view_has_a_declared_expectation():
    missing = [name for name in NAMES if name not in EXPECTED]
    assert not missing, (
        "Views without an access expectation; add a line per view to EXPECTED in "
        "tests/qms/access_matrix.py with the status for "
        f"{ROLES} (and their URL arguments to ARGS in access_world.py): {missing}"
    )
    stale = sorted(set(EXPECTED) - set(NAMES))
    assert not stale, f"EXPECTED names views that no longer exist: {stale}"


def _status(client, method: str, url: str) -> int:
    response = client.post(url, {}) if method == "POST" else client.get(url)
    if (
        method == "GET"
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
    ):
        problems = inline_code(response.content.decode())
        assert not problems, (url, problems)
    return response.status_code


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at
    the end; each test runs in a savepoint within it (the ``db`` fixture), so
    what one view changes is undone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", NAMES)
def test_each_role_gets_the_expected_answer(client, world, db, name):
    if name not in EXPECTED and not os.environ.get("QMS_PRINT_MATRIX"):
        pytest.fail(f"no expectation for {name}: see the test above")
    url = reverse(name, kwargs=ARGS[name](world) if name in ARGS else None)
    method = "POST" if name in POST_ONLY else "GET"
    observed = []
    for role in ROLES:
        client.force_login(world.users[role])
        observed.append(_status(client, method, url))
        client.logout()
    if os.environ.get("QMS_PRINT_MATRIX"):
        if set(observed) == {405} and method == "GET":
            observed = []
            for role in ROLES:
                client.force_login(world.users[role])
                observed.append(_status(client, "POST", url))
                client.logout()
            print(f'POSTONLY "{name}",')
        print(f'    "{name}": {tuple(observed)},')
        return
    expected = EXPECTED[name]
    assert tuple(observed) == expected, (
        f"{method} {url}: got {dict(zip(ROLES, observed, strict=True))}, "
        f"expected {dict(zip(ROLES, expected, strict=True))}"
    )
