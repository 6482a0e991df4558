"""Expensive test data built once per module instead of once per test.

``module_world`` turns a builder into a module-scoped fixture: the builder runs
once inside a transaction that is rolled back when the module ends, and each
test runs in a savepoint within it (pytest-django's ``db``), so what one test
changes is undone before the next. The module must ask for the database for
every test and keep its tests on one xdist worker, or each worker builds the
world again::

    pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("surveys-waves")]

    @module_world
    def waves():
        return build_waves()

Only for tests that do not commit (no ``transaction=True``): a committing test
would commit the world and flush it away.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

import factory.random
import pytest
from django.db import connection, transaction


def module_world(build: Callable[[], Any]):
    @pytest.fixture(scope="module", name=build.__name__)
    def world(request, django_db_setup, django_db_blocker):
        # Built before any test's own fixtures run: seed factory_boy's random
        # names here too, from the module, so the world is the same every run.
        factory.random.reseed_random(zlib.crc32(request.module.__name__.encode()))
        with django_db_blocker.unblock(), transaction.atomic():
            built = build()
            # Check the world's deferred foreign keys once, here: left pending,
            # the end of every test would check them all again (PostgreSQL,
            # seconds per test on the demo's worlds).
            connection.check_constraints()
            yield built
            transaction.set_rollback(True)

    world.__doc__ = build.__doc__
    return world
