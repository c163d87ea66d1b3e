"""Fuzzing the API from its own OpenAPI schema (/api/v1/openapi.json) with schemathesis: every
operation, as an anonymous caller and as each role (a civil-society contributor, the Interior's focal
point and validator, Foreign Affairs' focal point and validator, the coordinator, the administrator,
each with a personal token), with valid and invalid requests generated from the schema, and path ids
that name the world's real objects as often as random ones. Every answer must be no 5xx, a status the
schema lists for the operation, the content type it declares and a body that matches its schema; and
no answer to whom the rules do not allow names a restricted person.

Bounded for CI: a fixed number of examples per operation and role (at least 1,000 requests in all),
derandomized (the same requests on every run), no shrinking, no example database. Each role's test
tries every operation and then lists every operation that failed, with the request that broke it.
"""

from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

ROLES = ["anonymous", "contributor", "focal_point", "other_focal_point", "validator", "other_validator",
         "coordinator", "admin"]
SEES_RESTRICTED = {"coordinator", "admin"}
RESTRICTED_NAME = "Lucía Escondida"  # the world's restricted person (hrtrack/api/tests/conftest.py)
EXAMPLES_PER_OPERATION = 6
MINIMUM_REQUESTS_PER_ROLE = 1000 // len(ROLES) + 1
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SETTINGS = settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
                    phases=[Phase.generate], suppress_health_check=list(HealthCheck), print_blob=False)


@contextmanager
def in_the_test_transaction():
    """Requests through the WSGI application that keep the test's connection (and its transaction),
    as Django's test client does: a request's start and end would otherwise close it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock(), in_the_test_transaction():
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def real_ids(operation, world) -> dict | None:
    """Path parameters naming one of the world's objects that the operation's path is about."""
    path = operation.path
    if "{slug}" in path:
        return {"slug": world["dialogue"].series.slug}
    if "{id}" not in path:
        return None
    if path.startswith("/api/v1/assignments/"):
        return {"id": world["assignment"].pk}
    if path.startswith("/api/v1/reports/"):
        return {"id": world["draft"].pk if path.endswith(("/edit", "/submit", "/evidence")) else world["report"].pk}
    if path.startswith("/api/v1/recommendations/"):
        return {"id": world["public"].pk if "assign" not in path else world["hidden"].pk}
    if path.startswith("/api/v1/dialogues/"):
        return {"id": world["dialogue"].pk}
    return None


def cases(operation, world):
    """Valid and invalid requests, half of the valid ones on a real object when the path names one."""
    strategies = [operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE),
                  operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)]
    ids = real_ids(operation, world)
    if ids:
        strategies.append(operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE,
                                                path_parameters=ids))
    return st.one_of(strategies)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_its_schema_says_and_never_with_a_server_error(schema, world, personas,
                                                                                   contributor, role, settings):
    from hrtrack.api.models import ApiToken

    settings.HRTRACK_API_RATE_ADDRESS = settings.HRTRACK_API_RATE_TOKEN = "100000/minute"
    people = {**personas, "contributor": contributor}
    headers = {}
    if role != "anonymous":
        _token, key = ApiToken.create_for(people[role], "fuzzing")
        headers["Authorization"] = f"Token {key}"
    sent, failures = [0], []

    def call(case):
        # The identity is the role's: whatever credentials were generated are replaced (or dropped).
        if case.headers:
            case.headers.pop("Authorization", None)
        if case.cookies:
            case.cookies.clear()
        response = case.call(headers=headers)
        sent[0] += 1
        case.validate_response(response, checks=CHECKS)
        if role not in SEES_RESTRICTED:
            assert RESTRICTED_NAME not in response.text, f"{case.method} {case.formatted_path} names the restricted"

    operations = [result.ok() for result in schema.get_all_operations()]
    with in_the_test_transaction():
        for operation in operations:
            try:
                SETTINGS(given(case=cases(operation, world))(call))()
            except (Exception, BaseExceptionGroup) as error:  # every operation is tried; each failure is listed
                failures.append(f"{operation.method.upper()} {operation.path}: {str(error).strip()[:1500]}")
    assert len(operations) >= 20, "the schema lost operations"
    print(f"{role}: {sent[0]} requests over {len(operations)} operations")
    assert failures == [], "\n\n".join(failures)
    assert sent[0] >= MINIMUM_REQUESTS_PER_ROLE
