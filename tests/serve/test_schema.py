"""Generated requests against the app's own OpenAPI schema: no 5xx, answers match the schema.

Bounded (30 examples per operation) so that it stays a unit-test-sized run. Writes are
generated too, with the token, against this module's own copy of the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from quotegraph.serve import ServeConfig, create_app

ASCII_TOKEN = "schema-token"

# The schema does not depend on the store, so it is read from an app over an in-memory one
# at collection time; the requests go to the app over the sample (the ``app`` fixture).
# (``schemathesis.pytest.from_fixture`` would do this lazily but breaks under pytest 9.)
schema = schemathesis.openapi.from_asgi(
    "/api/v1/openapi.json", create_app(ServeConfig(db=Path(":memory:")))
)


@pytest.fixture(scope="module")
def app(sample_db: Path) -> FastAPI:
    return create_app(ServeConfig(db=sample_db, token=ASCII_TOKEN))


# One test per operation, named by it: the items ``schema.parametrize()`` makes all share one
# test id, which a parallel run (pytest-xdist) keeps only one of.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_generated_requests_get_documented_answers(operation: Any, app: FastAPI) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_as_documented(case: Any) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {ASCII_TOKEN}"},
            app=app,
            # Cursors are opaque and ids free-form: only the server can tell a stale or forged
            # one (422 / 404), so "schema-valid but rejected" is expected for them.
            excluded_checks=[positive_data_acceptance],
        )

    answers_as_documented()
