"""The OpenAPI document validates, and documents every endpoint, parameter and response."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    return yaml.safe_load(out.getvalue())


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_schema_validates_without_warnings(schema):
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/bills/" in schema["paths"]


def test_every_operation_has_summary_and_description(schema):
    missing = [name for name, op in operations(schema) if not op.get("description")]
    assert missing == []
    assert all(op.get("summary") for _, op in operations(schema))


def test_every_parameter_has_description_and_example(schema):
    missing = [
        f"{name} {param['name']}"
        for name, op in operations(schema)
        for param in op.get("parameters", [])
        if not param.get("description") or ("example" not in param and "examples" not in param)
    ]
    assert missing == []


def test_every_response_has_description_and_example(schema):
    missing = []
    for name, op in operations(schema):
        for status, response in op["responses"].items():
            if not response.get("description"):
                missing.append(f"{name} {status} description")
            for media_type, media in response.get("content", {}).items():
                if "example" not in media and "examples" not in media:
                    missing.append(f"{name} {status} {media_type} example")
    assert missing == []


def test_errors_are_documented_as_problem_details(schema):
    assert "Problem" in schema["components"]["schemas"]
    bills = schema["paths"]["/api/v1/bills/"]["get"]["responses"]
    assert set(bills) >= {"200", "400", "406", "429", "500"}
    assert "application/problem+json" in bills["400"]["content"]
    detail = schema["paths"]["/api/v1/bills/{slug}/"]["get"]["responses"]
    assert "404" in detail


def test_bill_filters_are_in_the_schema(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/bills/"]["get"]["parameters"]}
    assert {
        "status",
        "topic",
        "chamber",
        "sponsor",
        "introduced_after",
        "introduced_before",
        "updated_since",
        "q",
        "include",
        "ordering",
        "cursor",
        "page_size",
    } <= params


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_are_served_without_a_cdn(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn." not in html and "unpkg" not in html
    assert "/static/drf_spectacular_sidecar/" in html


@pytest.mark.django_db
def test_schema_endpoint(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content


def test_schema_generation_needs_no_database():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "DJANGO_SETTINGS_MODULE": "policytracker.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
