"""The OpenAPI document validates, and documents every endpoint, parameter and response."""

import re
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


def test_every_parameter_has_a_description(schema):
    missing = [
        f"{name} {param['name']}"
        for name, op in operations(schema)
        for param in op.get("parameters", [])
        if not param.get("description")
    ]
    assert missing == []


def test_only_path_and_required_parameters_carry_an_example(schema):
    """Swagger UI pre-fills examples into "Try it out": an optional filter shows its example
    in the description instead (tests/test_schema_examples.py runs them all on the seed)."""
    wrong = [
        f"{name} {param['name']}"
        for name, op in operations(schema)
        for param in op.get("parameters", [])
        if ("example" in param or "examples" in param)
        and param["in"] != "path"
        and not param.get("required")
    ]
    assert wrong == []
    package = _parameter(schema, "/api/v1/bills/", "get", "package")
    assert package["description"].endswith("Example: `kz-2016-presidential-package-seven-bills`.")


def response_of(schema, response: dict) -> dict:
    """A response, its `$ref` to components/responses resolved (problems are stated once)."""
    if "$ref" in response:
        return schema["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
    return response


def test_every_response_has_a_description_and_problems_an_example(schema):
    missing = []
    for name, op in operations(schema):
        for status, response in op["responses"].items():
            response = response_of(schema, response)
            if not response.get("description"):
                missing.append(f"{name} {status} description")
            for media_type, media in response.get("content", {}).items():
                is_problem = media_type == "application/problem+json"
                if is_problem and "example" not in media and "examples" not in media:
                    missing.append(f"{name} {status} {media_type} example")
    assert missing == []


def test_operations_are_grouped_by_described_resource_tags(schema):
    described = {tag["name"]: tag.get("description") for tag in schema["tags"]}
    assert all(described.values())
    used = {op["tags"][0] for _, op in operations(schema)}
    assert "v1" not in used and used <= set(described)
    assert {"bills", "statements", "people", "organizations", "sources"} <= used
    assert schema["paths"]["/api/v1/people/{slug}/"]["get"]["tags"] == ["people"]


def test_include_fields_are_optional_typed_properties(schema):
    components = _components(schema)
    bill = components["Bill"]
    for name, component in [("sponsors", "Sponsorship"), ("actions", "BillAction")]:
        assert bill["properties"][name]["items"]["$ref"] == f"#/components/schemas/{component}"
        assert name not in bill.get("required", [])
    assert "statements" in bill["properties"]
    assert "memberships" in components["Person"]["properties"]
    include = _parameter(schema, "/api/v1/bills/", "get", "include")
    assert include["schema"]["type"] == "array"
    assert (include["style"], include["explode"]) == ("form", True)  # include=a&include=b
    assert include["schema"]["items"]["enum"] == ["actions", "sponsors", "statements"]


def test_errors_are_documented_as_problem_details(schema):
    assert "Problem" in schema["components"]["schemas"]
    bills = schema["paths"]["/api/v1/bills/"]["get"]["responses"]
    assert set(bills) >= {"200", "400", "406", "429", "500"}
    assert "application/problem+json" in response_of(schema, bills["400"])["content"]
    assert bills["400"] == {"$ref": "#/components/responses/Problem400"}
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


# -- the contract says what the API accepts -------------------------------------------------------


def _components(schema):
    return schema["components"]["schemas"]


def _parameter(schema, path, method, name):
    operation = schema["paths"][path][method]
    return next(p for p in operation["parameters"] if p["name"] == name)


def _request_components(schema):
    """Names of the components a request body uses, nested ones included."""
    found, pending = set(), []
    for _, operation in operations(schema):
        for media in operation.get("requestBody", {}).get("content", {}).values():
            pending.append(media["schema"])
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found.add(name)
                    pending.append(_components(schema)[name])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def test_search_limit_and_query_have_bounds(schema):
    limit = _parameter(schema, "/api/v1/search/", "get", "limit")["schema"]
    assert (limit["type"], limit["minimum"], limit["maximum"]) == ("integer", 1, 100)
    q = _parameter(schema, "/api/v1/search/", "get", "q")
    assert q["required"] and q["schema"]["minLength"] == 1 and q["schema"]["maxLength"] == 500
    assert not re.search(q["schema"]["pattern"], "   ")  # blank after trimming: refused


def test_citation_filters_are_typed(schema):
    from sources.services import citable_kinds

    source = _parameter(schema, "/api/v1/citations/", "get", "source")["schema"]
    assert source["type"] == "integer" and source["minimum"] == 1
    record_id = _parameter(schema, "/api/v1/citations/", "get", "record_id")["schema"]
    assert record_id["type"] == "integer"
    record_type = _parameter(schema, "/api/v1/citations/", "get", "record_type")["schema"]
    assert record_type["enum"] == sorted(citable_kinds())


def test_request_bodies_refuse_unknown_fields(schema):
    components = _components(schema)
    objects = [name for name in _request_components(schema) if "properties" in components[name]]
    assert {"BillInput", "PatchedBillInput", "CitationFields", "StanceInput"} <= set(objects)
    assert [
        name for name in objects if components[name].get("additionalProperties") is not False
    ] == []


def test_required_text_refuses_blanks(schema):
    components = _components(schema)
    offenders = []
    for name in _request_components(schema):
        component = components[name]
        for prop in component.get("required", []):
            field = component["properties"][prop]
            if field.get("type") != "string" or "enum" in field or "format" in field:
                continue
            pattern = field.get("pattern", "")
            allows_empty = field.get("minLength", 0) < 1 and re.search(pattern, "")
            if allows_empty or re.search(pattern, " \t"):
                offenders.append(f"{name}.{prop}")
    assert offenders == []
    short_title = components["BillInput"]["properties"]["short_title"]
    assert re.search(short_title["pattern"], "Roads law")
    assert not re.search(short_title["pattern"], "Roads\x00law")


def test_a_new_statement_requires_a_source(schema):
    create = _components(schema)["StatementCreateInput"]
    assert "sources" in create["required"] and create["properties"]["sources"]["minItems"] == 1
    put = schema["paths"]["/api/v1/statements/{slug}/"]["put"]["requestBody"]
    assert put["content"]["application/json"]["schema"]["$ref"].endswith("/StatementInput")


def test_array_query_parameters_need_an_item(schema):
    ordering = _parameter(schema, "/api/v1/bills/", "get", "ordering")["schema"]
    assert ordering["minItems"] == 1  # `?ordering=` is refused as an empty value


def test_write_headers_state_their_limits(schema):
    from policytracker.etags import MAX_IF_MATCH_LENGTH
    from policytracker.idempotency.http import MAX_KEY_LENGTH

    if_match = _parameter(schema, "/api/v1/bills/{slug}/", "patch", "If-Match")
    assert if_match["required"] and if_match["schema"]["maxLength"] == MAX_IF_MATCH_LENGTH
    key = _parameter(schema, "/api/v1/bills/", "post", "Idempotency-Key")["schema"]
    assert key["maxLength"] == MAX_KEY_LENGTH and key["minLength"] == 1
    publish = _parameter(schema, "/api/v1/bills/{slug}/publish/", "post", "If-Match")
    assert not publish.get("required")
    assert "412" in schema["paths"]["/api/v1/bills/{slug}/publish/"]["post"]["responses"]


@pytest.mark.parametrize(
    "value",
    [
        "*",
        '"3-0123abcd"',
        'W/"3"',
        '"2-ab", "3-cd"',
        ', "3-ab",',
        '*, "3"',
        '"abc"',
        "garbage",
        '"-1"',
        "*, garbage",
        ",",
        ' , ,"3"x',
        '"3-AB"',
    ],
)
def test_if_match_pattern_is_what_the_api_parses(schema, value):
    from policytracker.etags import expected_version
    from policytracker.problems import PreconditionFailed

    pattern = _parameter(schema, "/api/v1/bills/{slug}/", "patch", "If-Match")["schema"]["pattern"]
    try:
        expected_version(value, current=3)
        accepted = True
    except PreconditionFailed:
        accepted = False
    assert bool(re.search(pattern, value)) is accepted


def _seed_keys():
    from bills.seeding import DEFAULT_SEED

    data = yaml.safe_load(DEFAULT_SEED.read_text())
    return {
        item["slug"]
        for rows in data.values()
        if isinstance(rows, list)
        for item in rows
        if isinstance(item, dict) and "slug" in item
    }


def test_examples_name_records_of_the_seed(schema):
    """Every slug an example gives (path slugs) names a record of the seed data, of the
    path's own resource, so a consumer trying the documented example gets a result."""
    from bills.procedure import BillStatus
    from policytracker.filters import SLUG_PATTERN

    slugs = _seed_keys()
    missing = []
    for name, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            example = parameter.get("example")
            slug = parameter["schema"].get("pattern") == SLUG_PATTERN
            if slug and example is not None and example not in slugs:
                missing.append(f"{name} {parameter['name']}={example}")
    assert missing == []
    person = _parameter(schema, "/api/v1/people/{slug}/", "get", "slug")
    assert person["example"] == "nurlan-nigmatulin"
    code = _parameter(schema, "/api/v1/statuses/{code}/", "get", "code")["example"]
    assert code in BillStatus.values


def test_reads_for_signed_in_users_document_401_and_403(schema):
    listing = schema["paths"]["/api/v1/webhooks/"]["get"]
    assert {} not in listing["security"]
    assert {"401", "403"} <= set(listing["responses"])
    public = schema["paths"]["/api/v1/bills/"]["get"]
    assert {} in public["security"] and "401" not in public["responses"]


@pytest.mark.django_db
def test_the_api_root_links_the_docs_and_the_site(client):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["docs"] == "http://testserver/api/docs/"
    assert body["redoc"] == "http://testserver/api/redoc/"
    assert body["schema"] == "http://testserver/api/schema/"
    assert body["site"] == "http://testserver/"
    assert body["bills"] == "http://testserver/api/v1/bills/"
    links = response["Link"]
    assert '<http://testserver/api/docs/>; rel="service-doc"' in links
    assert '<http://testserver/api/schema/>; rel="service-desc"' in links
