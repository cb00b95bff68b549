"""Schemathesis over the whole OpenAPI schema, as Alice (the demo importer, signed in with a personal
token): generated valid and invalid requests to every operation must never get a 5xx, and every error
is in the structured format. Examples per operation are bounded so it runs within `make test`."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.config import (
    CoveragePhaseConfig,
    ExamplesPhaseConfig,
    FuzzingPhaseConfig,
    GenerationConfig,
    PhasesConfig,
    StatefulPhaseConfig,
)

EXAMPLES = 4  # per operation: the 56 operations in about three minutes on this machine


def _schema():
    raw = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    generation = GenerationConfig(max_examples=EXAMPLES, deterministic=True)
    loaded.config.phases = PhasesConfig(
        examples=ExamplesPhaseConfig(enabled=False),  # the schema's examples: tested by each app's own tests
        coverage=CoveragePhaseConfig(enabled=False),  # hundreds of boundary cases an operation: too slow here
        fuzzing=FuzzingPhaseConfig(generation=generation),
        stateful=StatefulPhaseConfig(enabled=False),
    )
    return loaded


schema = _schema()


@pytest.fixture
def alice_token(maple, alice, monkeypatch):
    """Alice's token; no rate limit (the fuzzer calls faster than any client may); the database
    connection kept open across the WSGI calls (the test's transaction holds everything)."""
    from accounts.services import create_api_token

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None, "business": None})
    # Django closes a connection in a transaction at each request's start and end (PostgreSQL: "the
    # connection is closed" on the next call); the test client does the same disconnecting.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield create_api_token(alice, name="fuzz", days=30)[1]
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_api_operation_answers_a_server_error(case, alice_token):
    response = case.call(headers={"Authorization": f"Token {alice_token}", "Idempotency-Key": "fuzz"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if response.status_code >= 400 and "json" in response.headers.get("Content-Type", [""])[0]:
        body = response.json()
        assert set(body) == {"errors"} and all({"field", "code", "message"} <= set(e) for e in body["errors"]), body
