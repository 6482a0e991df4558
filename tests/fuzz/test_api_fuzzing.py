"""API fuzzing: schemathesis generates requests from the project's own OpenAPI
schema (/api/v1/schema/, drf-spectacular) and sends them to a live test server
with a quality manager's token. No answer may be a server error (5xx) or
break the schema the API publishes.

Bounded for CI: a few examples per operation (QMS_FUZZ_EXAMPLES, default 15),
no shrinking, no example database."""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from qms import roles
from tests.factories import OrgUnitFactory, UserFactory, register_case

pytestmark = [
    pytest.mark.fuzz,
    # Run once, on SQLite; what it found on PostgreSQL is an ordinary test.
    pytest.mark.single_db,
    # The live server runs in another thread: data must be committed.
    pytest.mark.django_db(transaction=True),
]

MAX_EXAMPLES = int(os.environ.get("QMS_FUZZ_EXAMPLES", "15"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def token(seed_data) -> str:
    user = UserFactory(username="fuzzer", roles=[roles.QUALITY_MANAGER])
    # Something for the list, the detail and the filters to find.
    unit = OrgUnitFactory(code="service")
    register_case(org_unit=unit)
    return Token.objects.create(user=user).key


@pytest.fixture
def api_schema(live_server, token):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/v1/schema/?format=json",
        headers={"Authorization": f"Token {token}"},
        timeout=30,
    )
    schema.config.headers = {"Authorization": f"Token {token}"}
    return schema


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_api_answers_every_generated_request_within_its_schema(api_schema, token):
    # schemathesis' own pytest integration does not run under pytest 9 yet, so
    # each operation's strategy is driven with hypothesis directly.
    headers = {"Authorization": f"Token {token}"}
    operations = _operations(api_schema)
    assert {op.label for op in operations} >= {
        "GET /api/v1/cases/",
        "POST /api/v1/cases/",
        "GET /api/v1/cases/{reference}/",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(headers=headers, checks=CHECKS, timeout=30)

        fuzz()
