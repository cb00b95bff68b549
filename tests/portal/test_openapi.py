"""The API contract: the OpenAPI schema generates cleanly and documents every /api/v1/ endpoint."""

import yaml
from django.core.management import call_command
from django.urls import get_resolver

from tests.portal.test_route_policies import _walk


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["info"]["title"] == "open CARM API"


def test_every_api_endpoint_is_in_the_schema(tmp_path):
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target))
    documented = {path.split("{")[0].rstrip("/") for path in yaml.safe_load(target.read_text())["paths"]}
    missing = []
    for route, _callback in _walk(get_resolver().url_patterns):
        if not route.startswith("api/v1/") or route.startswith(("api/v1/schema", "api/v1/docs")):
            continue
        prefix = "/" + route.split("<")[0].rstrip("/")
        if not any(path.startswith(prefix) for path in documented):
            missing.append(route)
    assert not missing, f"API routes missing from the OpenAPI schema: {missing}"
