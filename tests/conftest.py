"""Personas for access tests: someone who may write, someone who may only read,
an outsider; plus one user per role of DESIGN.md."""

import os
import zlib

import factory.random
import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from qms import roles
from tests.factories import UserFactory

# Hypothesis draws the same examples on every run (derandomised, no example
# database), so a property test passes or fails by the code alone. A wider
# random search is one option away: QMS_HYPOTHESIS_PROFILE=explore (random
# seeds, ten times the examples where a test sets no number of its own,
# failures remembered in .hypothesis/).
hypothesis_settings.register_profile(
    "deterministic", derandomize=True, database=None, print_blob=True
)
hypothesis_settings.register_profile(
    "explore", derandomize=False, max_examples=1000, print_blob=True
)
hypothesis_settings.load_profile(
    os.environ.get("QMS_HYPOTHESIS_PROFILE", "deterministic")
)


def pytest_addoption(parser):
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run the tests marked slow (exhaustive sweeps; CI runs them once)",
    )


def _deselect_slow(config, items) -> None:
    if config.getoption("--slow"):
        return
    kept, slow = [], []
    for item in items:
        (slow if item.get_closest_marker("slow") else kept).append(item)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = kept


@pytest.fixture(autouse=True)
def _same_start(request):
    """Each test starts from the same state whichever tests ran before it in
    the same process (under xdist the neighbours change from run to run):

    - an empty cache: cached option lists (qms.options) or rate-limit counters
      filled by an earlier test may hold rows that its rolled-back transaction
      took away, and a warm cache would save queries a budget counts;
    - an empty content-type cache, for the same reason: whether the first
      lookup of a model's content type is a query must not depend on order;
    - factory_boy's random names (Faker) seeded from the test's own id;
    - the default language: a request in Estonian leaves the thread's
      language active after it (the locale middleware does not reset it),
      so a later test would read Estonian messages.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()
    ContentType.objects.clear_cache()
    factory.random.reseed_random(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture
def quality_manager(db):
    return UserFactory(username="qm", roles=[roles.QUALITY_MANAGER])


@pytest.fixture
def second_quality_manager(db):
    return UserFactory(username="qm2", roles=[roles.QUALITY_MANAGER])


@pytest.fixture
def service_staff(db):
    return UserFactory(username="staff", roles=[roles.SERVICE_STAFF])


@pytest.fixture
def process_owner(db):
    return UserFactory(username="owner", roles=[roles.PROCESS_OWNER])


@pytest.fixture
def executive(db):
    return UserFactory(username="exec", roles=[roles.EXECUTIVE])


@pytest.fixture
def outsider(db):
    """Signed in, but with no role at all."""
    return UserFactory(username="outsider")


@pytest.fixture
def client_for(client):
    """Log the test client in as the given user and return it."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- Tests that commit (live server, browser, threads) ------------------------


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Slow variants are left out unless asked for (--slow). Tests that commit
    run last. After each, the test database is flushed,
    which would pull the seeded rows (roles, channels) from under any later
    test, including ones pytest-django cannot see use the database (those
    asking for a persona through ``request.getfixturevalue``)."""
    _deselect_slow(config, items)
    items.sort(key=_is_transactional)


@pytest.fixture(scope="session")
def _seed_snapshot(django_db_setup, django_db_blocker) -> str:
    """The migrated database's rows (roles, channels, permissions), taken
    when the first committing test starts, before anything was flushed."""
    from django.db import connection

    with django_db_blocker.unblock():
        return connection.creation.serialize_db_to_string()


@pytest.fixture
def seed_data(_seed_snapshot, transactional_db):
    """For committing tests: put back what the data migrations seeded if an
    earlier committing test's flush removed it."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if not Group.objects.exists():
        # The flush's post_migrate signal recreated content types and
        # permissions under new ids; the snapshot brings back the originals.
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(_seed_snapshot)
        ContentType.objects.clear_cache()
