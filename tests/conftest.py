"""Personas for access tests: someone who may write, someone who may only read,
an outsider; plus one user per role of DESIGN.md."""

import pytest

from qms import roles
from tests.factories import UserFactory


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
