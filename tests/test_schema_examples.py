"""The docs work on the seed data: Swagger's "Try it out → Execute" with its defaults answers
200 on every list, and every example the OpenAPI document gives (path and query parameters,
response components, response bodies) is a value of the seed data, for the field it shows.

UPDATE_SCHEMA_EXAMPLES=1 rewrites policytracker/schema_examples.json from the seeded API (after
a change of the seed or of a representation), instead of comparing."""

import json
import os
import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from policytracker import schema_examples
from policytracker.schema_view import CachedSchemaView

HOST = "http://testserver"
EXAMPLE_IN_DESCRIPTION = re.compile(r"Example: `([^`]+)`\.")
# A snapshot is written daily, not loaded with the seed: its ids and files are no seed values.
NOT_SEED_DATA = ("/api/v1/exports/",)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed loaded once for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def schema(seeded, django_db_blocker):
    with django_db_blocker.unblock():
        CachedSchemaView.cache_clear()
        response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
        CachedSchemaView.cache_clear()
    return response.json()


@pytest.fixture
def anonymous(seeded, db):
    return APIClient()


@pytest.fixture
def curator(seeded, db):
    user = User.objects.create_user("docs-curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def operations(schema, method="get"):
    for path, item in schema["paths"].items():
        operation = item.get(method)
        if operation is not None:
            yield path, operation


def client_for(operation, anonymous, curator):
    return anonymous if {} in operation.get("security", [{}]) else curator


def prefilled(parameter):
    """What Swagger UI puts in the parameter's field when "Try it out" opens."""
    if "example" in parameter:
        return parameter["example"]
    if parameter.get("examples"):
        return next(iter(parameter["examples"].values()))["value"]
    return parameter.get("schema", {}).get("default")


def test_optional_parameters_are_not_prefilled(schema):
    """No optional parameter has an example (a `default`, such as search's `limit`, is what
    the server does anyway)."""
    filled = [
        f"{path} {parameter['name']}"
        for path, item in schema["paths"].items()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] != "path"
        and not parameter.get("required")
        and ("example" in parameter or "examples" in parameter)
    ]
    assert filled == []


def test_try_it_out_with_the_defaults_answers_200_on_every_list(schema, anonymous, curator):
    answers = {}
    for path, operation in operations(schema):
        if "{" in path:
            continue
        query = {
            parameter["name"]: prefilled(parameter)
            for parameter in operation.get("parameters", [])
            if prefilled(parameter) is not None
        }
        response = client_for(operation, anonymous, curator).get(path, query)
        answers[path] = response.status_code
    assert "/api/v1/bills/" in answers and "/api/v1/search/" in answers
    # The snapshot list answers 200 with no snapshot yet; `latest` redirects only to one.
    assert answers.pop("/api/v1/exports/latest/") == 404
    assert {path: status for path, status in answers.items() if status != 200} == {}


def test_path_examples_name_seed_records_of_their_resource(schema, anonymous, curator):
    answers = {}
    for path, operation in operations(schema):
        parameters = operation.get("parameters", [])
        path_parameters = [p for p in parameters if p["in"] == "path"]
        if not path_parameters or not all("example" in p for p in path_parameters):
            continue
        url = path
        for parameter in path_parameters:
            url = url.replace("{" + parameter["name"] + "}", str(parameter["example"]))
        query = {
            p["name"]: p["example"] for p in parameters if p["in"] == "query" and "example" in p
        }
        answers[url] = client_for(operation, anonymous, curator).get(url, query).status_code
    assert "/api/v1/people/nurlan-nigmatulin/" in answers
    assert {url: status for url, status in answers.items() if status != 200} == {}


def test_examples_in_descriptions_find_seed_records(schema, anonymous):
    """Each optional filter's documented example, sent alone, answers 200 and, but for dates
    (which bound a range), finds records: the value belongs to that filter."""
    empty, refused, shown = [], [], 0
    for path, operation in operations(schema):
        if "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            match = EXAMPLE_IN_DESCRIPTION.search(parameter.get("description", ""))
            if not match:
                continue
            shown += 1
            response = anonymous.get(path, {parameter["name"]: match.group(1)})
            name = f"{path}?{parameter['name']}={match.group(1)}"
            if response.status_code != 200:
                refused.append(f"{name}: {response.status_code}")
            elif "format" not in parameter["schema"] and not response.json()["results"]:
                empty.append(name)
    assert shown > 30
    assert refused == [] and empty == []


def test_component_examples_are_the_api_values_of_seed_records(schema, anonymous):
    """Every property example of a response component is what the API answers for the
    component's seed record (policytracker/schema_examples.py): a bill's `url` is that bill's
    address, its `originating_chamber` is an organization's reference, and so on."""

    def get(path):
        response = anonymous.get(path)
        assert response.status_code == 200, (path, response.content[:300])
        return response.json()

    live = schema_examples.read_examples(get, HOST)
    if os.environ.get("UPDATE_SCHEMA_EXAMPLES"):
        text = json.dumps(live, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        schema_examples.EXAMPLES_FILE.write_text(text)
        schema_examples.stored_examples.cache_clear()
    stored = schema_examples.stored_examples()
    stale = {
        f"{component}.{name}": (value, live.get(component, {}).get(name, "(absent)"))
        for component, values in stored.items()
        for name, value in values.items()
        if live.get(component, {}).get(name, "(absent)") != value
    }
    assert stale == {}, "run with UPDATE_SCHEMA_EXAMPLES=1"
    assert stored["Bill"]["package"] == "kz-2016-presidential-package-seven-bills"
    assert stored["Bill"]["url"] == "{base}/api/v1/bills/kz-2016-counter-intelligence/"
    assert stored["OrganizationRef"]["classification"] == "chamber"

    base = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    shown = {}
    for component, body in schema["components"]["schemas"].items():
        for name, prop in body.get("properties", {}).items():
            if "example" in prop:
                value = prop["example"]
                if isinstance(value, str) and value.startswith(base):
                    value = schema_examples.BASE_PLACEHOLDER + value[len(base) :]
                shown[f"{component}.{name}"] = value
    expected = {
        f"{component}.{name}": value
        for component, values in stored.items()
        for name, value in values.items()
        if f"{component}.{name}" in shown
    }
    assert shown == expected  # no example but the seed's
    assert {"Bill.url", "Bill.package", "OrganizationRef.name", "Source.document_url"} <= set(shown)


def _walk_strings(node, key=None):
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _walk_strings(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_strings(value, key)
    elif isinstance(node, str):
        yield key, node


def test_response_body_examples_name_seed_records(schema, anonymous, curator):
    """The worked examples of whole responses (the change feed's): every API address in them
    answers 200 on the seed, and every slug is a seed record's."""
    addresses, checked = {}, 0
    for path, item in schema["paths"].items():
        if path.startswith(NOT_SEED_DATA):
            continue
        for operation in item.values():
            for response in operation["responses"].values():
                for media_type, media in response.get("content", {}).items():
                    if media_type == "application/problem+json":  # shows a refused request
                        continue
                    bodies = [media.get("example")] + [
                        example["value"] for example in media.get("examples", {}).values()
                    ]
                    for key, text in _walk_strings([b for b in bodies if b is not None]):
                        checked += 1
                        if "/api/v1/" in text:
                            address = urlsplit(text)
                            url = address.path + (f"?{address.query}" if address.query else "")
                            addresses[url] = curator.get(url).status_code
                        elif key in {"slug", "old_slug"} and text:
                            addresses[f"slug {text}"] = 200 if _is_seed_slug(text) else 404
    assert checked > 10
    assert {url: status for url, status in addresses.items() if status != 200} == {}


def _is_seed_slug(slug: str) -> bool:
    from bills.seeding import DEFAULT_SEED

    return f"slug: {slug}\n" in DEFAULT_SEED.read_text()
