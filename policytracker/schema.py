"""OpenAPI generation: documented problem responses, operations grouped by resource, examples
from the seed data (policytracker/schema_examples.py), and request schemas that state what the
API refuses (blank required text, unknown body fields, header lengths, ids and slugs no record
can have), so a consumer never has to guess a value's shape and a schema-valid request is
refused only for what data decides."""

from copy import deepcopy

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from policytracker.api import MAX_PARAM_LENGTH
from policytracker.etags import MAX_IF_MATCH_LENGTH
from policytracker.filters import MAX_ID, SLUG_PATTERN
from policytracker.idempotency.http import MAX_KEY_LENGTH
from policytracker.inputs import StrictInputMixin
from policytracker.problems import PROBLEM_CONTENT_TYPE, STATUS_TITLES, problem
from policytracker.schema_examples import (
    REQUIRED_EXAMPLES,
    apply_component_examples,
    path_example,
    query_example,
)

SUCCESS_HEADERS = {
    "ETag": {
        "description": "Version of this representation; send it back in If-Match to update.",
        "schema": {"type": "string"},
    },
    "X-RateLimit-Limit": {
        "description": "Requests allowed per period for this client.",
        "schema": {"type": "string"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current period.",
        "schema": {"type": "string"},
    },
}
PROBLEM_STATUSES = {
    "400": "Invalid input: `errors` names each offending field or parameter.",
    "401": "Writing needs a token (Authorization: Token …) or an admin session.",
    "403": "Your account lacks the permission for this change.",
    "404": "No published record at this address.",
    "409": "Conflicts with existing data: a duplicate identifier, a record still in use, or "
    "(publish) unpublished records it depends on, listed in `dependents`.",
    "412": "If-Match names an older version than the record's current one (the number at the "
    "start of its ETag): someone changed it; re-read.",
    "414": "The URL is too long for the server (too many or too long query parameters).",
    "422": "The Idempotency-Key was already used for a different request.",
    "428": "If-Match is required to change or delete a record.",
    "406": "The Accept header asks for a format other than JSON.",
    "429": "Too many requests; retry after the number of seconds in Retry-After.",
    "500": "Unexpected server error.",
    "503": "The database is unavailable; retry after the seconds in Retry-After.",
}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem-details body, the shape of every error.",
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Problem type URI."},
        "title": {"type": "string", "description": "Short summary of the problem type."},
        "status": {"type": "integer", "description": "HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, naming the fields."},
        "instance": {"type": "string", "description": "The request path."},
        "errors": {
            "type": "object",
            "description": "For 400: each offending field or parameter with its messages "
            "(a list of strings; nested inputs nest the same way).",
            "additionalProperties": {},
        },
        "dependents": {
            "type": "array",
            "description": "For 409 on publish: the unpublished records this one depends on.",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "description": "Record type, e.g. source."},
                    "id": {"type": "integer"},
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                },
                "required": ["type", "id", "name"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


# PostgreSQL text cannot hold NUL, and the API refuses it in URLs; an empty value is an error
# too (omit a parameter instead of sending it empty).
NO_NUL_PATTERN = "^[^\\u0000]+$"
# Input text: DRF refuses NUL in any text, and trims surrounding whitespace before refusing a
# blank value, so required text needs one character that is neither (Python's \s, as DRF's
# str.strip()).
NO_NUL_TEXT_PATTERN = "^[^\\u0000]*$"
NON_BLANK_TEXT_PATTERN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"


def _constrain_text(parameter: dict) -> None:
    schema = parameter.get("schema", {})
    if parameter.get("in") == "query" and schema.get("type") == "string":
        if "enum" not in schema and "format" not in schema:
            schema.setdefault("pattern", NO_NUL_PATTERN)
        schema.setdefault("minLength", 1)
        schema.setdefault("maxLength", MAX_PARAM_LENGTH)
    if parameter.get("in") == "query" and schema.get("type") == "array":
        schema.setdefault("minItems", 1)  # `?ordering=` with no value is refused as empty
        items = schema.get("items", {})
        if items.get("type") == "string" and "enum" not in items:
            items.setdefault("pattern", NO_NUL_PATTERN)
            items.setdefault("minLength", 1)


def _problem_response(status: str, description: str) -> dict:
    code = int(status)
    if code == 414:  # answered by the HTTP server in front of Django, not in our JSON shape
        return {"description": f"URI too long. {description}"}
    errors = {"status": ["Select a valid choice."]} if code == 400 else None
    body = problem(code, description, errors=errors, instance="/api/v1/bills/?status=passed")
    return {
        "description": f"{STATUS_TITLES.get(code, 'Error')}. {description}",
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "examples": {"problem": {"value": body}},
            }
        },
    }


_LOCATION = {
    "Location": {
        "description": "The same route (and query string) under the record's current slug.",
        "schema": {"type": "string", "format": "uri"},
    }
}
# An old slug (renamed, or a person merged into another) keeps answering: stable addresses.
MOVED_RESPONSES = {
    "301": {
        "description": "Moved Permanently: the slug is an old one of a record; follow Location.",
        "headers": _LOCATION,
    },
    "308": {
        "description": "Permanent Redirect: the slug is an old one of a record; repeat the "
        "request (same method and body) at Location.",
        "headers": _LOCATION,
    },
}

HEADER_IF_MATCH = ("header", "If-Match")
HEADER_IDEMPOTENCY_KEY = ("header", "Idempotency-Key")


def document_problems_and_examples(result, generator, request, public):
    """drf-spectacular postprocessing hook (see SPECTACULAR_SETTINGS)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = deepcopy(PROBLEM_SCHEMA)
    shared = result["components"].setdefault("responses", {})
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation.setdefault("description", operation.get("summary", ""))
            resource = _resource_tag(operation)
            _document_csv(operation)
            if method.lower() == "get":
                _document_language(operation)
            for parameter in operation.get("parameters", []):
                _constrain_text(parameter)
                schema_help = parameter.get("schema", {}).get("description")
                parameter.setdefault("description", schema_help or parameter["name"])
                _place_example(parameter, resource)
            for status, response in operation["responses"].items():
                if status.startswith("2") and method.lower() in {"get", "post", "put", "patch"}:
                    headers = response.setdefault("headers", {})
                    headers |= deepcopy(SUCCESS_HEADERS)
                if not response.get("description"):
                    response["description"] = "Success." if status.startswith("2") else status
                problem_media = response.get("content", {}).get(PROBLEM_CONTENT_TYPE)
                if problem_media and not {"example", "examples"} & set(problem_media):
                    body = problem(int(status), response["description"], instance=path)
                    problem_media["examples"] = {"problem": {"value": body}}
            unsafe = method.lower() in {"post", "put", "patch", "delete"}
            if_match = [
                p
                for p in operation.get("parameters", [])
                if (p["in"], p["name"]) == HEADER_IF_MATCH
            ]
            for status, description in PROBLEM_STATUSES.items():
                if status == "404" and "{" not in path:
                    continue
                anonymous = {} in operation.get("security", [{}])
                if status in {"401", "403"} and not unsafe and anonymous:
                    continue
                if status == "409" and not unsafe:
                    continue
                if status == "412" and not if_match:
                    continue
                if status == "428" and not any(p.get("required") for p in if_match):
                    continue
                if status == "422" and not any(
                    (p["in"], p["name"]) == HEADER_IDEMPOTENCY_KEY
                    for p in operation.get("parameters", [])
                ):
                    continue
                # Stated once under components/responses: repeated in each of the ~75
                # operations they made most of the document's size (Redoc parses all of it).
                name = f"Problem{status}"
                shared[name] = _problem_response(status, description)
                operation["responses"].setdefault(
                    status, {"$ref": f"#/components/responses/{name}"}
                )
            if "{slug}" in path and not path.endswith(".atom"):
                moved = "308" if unsafe else "301"
                operation["responses"].setdefault(moved, deepcopy(MOVED_RESPONSES[moved]))
    _add_links(result)
    apply_component_examples(components)
    return result


def _resource_tag(operation: dict) -> str:
    """The operation's resource group (its first tag: the path segment after /api/v1/), which
    must be described in SPECTACULAR_SETTINGS["TAGS"] (Redoc and Swagger show the groups)."""
    described = {tag["name"] for tag in spectacular_settings.TAGS}
    tags = operation.get("tags") or []
    if not tags or tags[0] not in described:
        raise ImproperlyConfigured(
            f"{operation.get('operationId')}: tag {tags[:1]} is not described in "
            'SPECTACULAR_SETTINGS["TAGS"].'
        )
    return tags[0]


def _place_example(parameter: dict, resource: str) -> None:
    """Examples are seed values (policytracker/schema_examples.py). Swagger UI pre-fills a
    parameter's example into "Try it out", so only a path parameter and a required query
    parameter carry one; an optional parameter names its example in its description, and
    "Execute" with the defaults sends no filter."""
    parameter.pop("example", None)
    parameter.pop("examples", None)
    if parameter["in"] == "path":
        value = path_example(resource, parameter)
    elif parameter["in"] == "query" and parameter.get("required"):
        value = REQUIRED_EXAMPLES.get(parameter["name"])
    else:
        value = None
        shown = query_example(resource, parameter) if parameter["in"] == "query" else None
        if shown is not None and "e.g." not in parameter["description"]:
            parameter["description"] = f"{parameter['description'].rstrip()} Example: `{shown}`."
    if value is not None:
        parameter["example"] = value


CSV_FORMAT_HELP = (
    "`json` (the default) or `csv`: the whole filtered, ordered set (no pages) as a streamed "
    "CSV download, the same columns as the bulk snapshot's CSV of this entity (described in "
    "its README). `Accept: text/csv` does the same."
)
BOM_PARAMETER = {
    "in": "query",
    "name": "bom",
    "required": False,
    "schema": {"type": "boolean"},
    "description": "With `format=csv`: start with a UTF-8 byte order mark, which Excel needs "
    "to read the file as UTF-8.",
}


LANG_PARAMETER = {
    "in": "query",
    "name": "lang",
    "required": False,
    "schema": {"type": "string", "enum": list(settings.CONTENT_LANGUAGES)},
    "description": "The language of bills' titles and summaries and of the status vocabulary "
    "(labels, explanations): `en` (the default), `ru` or `kk`. Without it, Accept-Language "
    "chooses. A text with no recorded translation stays in English, and each bill's `languages` "
    "says which language each text is in. Quotes keep the language they were reported in.",
}
CONTENT_LANGUAGE_HEADER = {
    "Content-Language": {
        "description": "The content language of the answer (`lang`, else Accept-Language).",
        "schema": {"type": "string", "enum": list(settings.CONTENT_LANGUAGES)},
    }
}


def _document_language(operation: dict) -> None:
    """Every read takes `lang` and names its content language in `Content-Language`."""
    parameters = operation.setdefault("parameters", [])
    if not any((p["in"], p["name"]) == ("query", "lang") for p in parameters):
        parameters.append(deepcopy(LANG_PARAMETER))
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            headers = response.setdefault("headers", {})
            headers |= deepcopy(CONTENT_LANGUAGE_HEADER)


def _document_csv(operation: dict) -> None:
    """A list's CSV download: a text body (not the JSON page schema drf-spectacular would
    repeat for it), the `format` switch explained, and the `bom` option."""
    content = operation["responses"].get("200", {}).get("content", {})
    if "text/csv" not in content:
        return
    content["text/csv"] = {
        "schema": {"type": "string", "description": "CSV (RFC 4180), UTF-8, a header row."},
        "example": "code,label\r\nannounced,Announced\r\n",
    }
    parameters = operation.setdefault("parameters", [])
    for parameter in parameters:
        if (parameter["in"], parameter["name"]) == ("query", "format"):
            parameter["description"] = CSV_FORMAT_HELP
    parameters.append(deepcopy(BOM_PARAMETER))


def _add_links(result: dict) -> None:
    """OpenAPI links for stateful clients (and fuzzers): a created record leads to its detail
    operations, and a fetched record's ETag feeds the If-Match of its update and delete."""
    paths = result.get("paths", {})
    for path, item in paths.items():
        create = item.get("post")
        if not create or "{" in path:
            continue
        detail_path = next(
            (p for p in paths if p.startswith(path) and p.count("/") == path.count("/") + 1),
            None,
        )
        if detail_path is None or "get" not in paths[detail_path]:
            continue
        lookup = detail_path[len(path) :].strip("/{}")
        detail = paths[detail_path]
        links = {
            f"{method.upper()}{''.join(w.title() for w in target.split('/') if w)}": {
                "operationId": operation["operationId"],
                "parameters": {lookup: f"$response.body#/{lookup}"},
            }
            for target, target_item in [("", detail)]
            + [(p[len(detail_path) :], paths[p]) for p in paths if p.startswith(detail_path)]
            if target == "" or target.count("/") == 1
            for method, operation in target_item.items()
            if method in {"get", "post"} and isinstance(operation, dict)
        }
        created = create["responses"].get("201")
        if created is not None and links:
            created["links"] = links
        fetched = detail["get"]["responses"].get("200")
        etag_links = {
            f"{method.upper()}WithETag": {
                "operationId": detail[method]["operationId"],
                "parameters": {
                    f"path.{lookup}": f"$request.path.{lookup}",
                    "header.If-Match": "$response.header.ETag",
                },
            }
            for method in ("patch", "delete")
            if method in detail
        }
        if fetched is not None and etag_links:
            fetched["links"] = etag_links


WRITE_ACTIONS = frozenset({"create", "update", "partial_update"})
ACTION_SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get {a_name}",
    "create": "Create {a_name} (as a draft)",
    "update": "Replace {a_name}",
    "partial_update": "Update {a_name}",
    "destroy": "Delete {a_name}",
    "publish": "Publish {a_name}",
    "unpublish": "Unpublish {a_name}",
    "history": "Change history of {a_name}",
}
# What policytracker.etags.expected_version accepts: a comma-separated list of `*` or our ETags
# (`"<version>-<digest>"`, optionally weak), blank members skipped; anything else names no
# version of the record and is answered 412. An HTTP field value has no surrounding whitespace.
_ETAG = r'(\*|(W/)?"\d+(-[0-9a-f]*)?")'
IF_MATCH_LIST = rf"(,\s*)*{_ETAG}(\s*,(\s*{_ETAG})?)*"
IF_MATCH_SCHEMA = {
    "type": "string",
    "pattern": f"^{IF_MATCH_LIST}$",
    "maxLength": MAX_IF_MATCH_LENGTH,
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    IF_MATCH_SCHEMA,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record from your last GET (or `*` for any version); 428 "
    "without it, 412 if it is not the record's current version.",
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    # Optional here: sent empty, it counts as not sent.
    {**IF_MATCH_SCHEMA, "pattern": f"^({IF_MATCH_LIST})?$"},
    OpenApiParameter.HEADER,
    description="Optional: the ETag of the record from your last GET; 412 if it is not the "
    "record's current version.",
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": r"^\S(.*\S)?$"},
    OpenApiParameter.HEADER,
    description="Any unique string (e.g. a UUID). A retry with the same key returns the first "
    "response and creates nothing twice.",
)


def _constrain_input(field, schema: dict) -> None:
    """State in a request body's schema what the input field refuses beyond its type: blank or
    NUL-bearing text, slugs and ids that no record can have."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    if isinstance(field, serializers.ManyRelatedField):
        _constrain_input(field.child_relation, schema.get("items", {}))
    elif isinstance(field, serializers.ListField):
        _constrain_input(field.child, schema.get("items", {}))
    elif isinstance(field, serializers.SlugRelatedField) and field.slug_field == "slug":
        schema.setdefault("pattern", SLUG_PATTERN)
    elif isinstance(field, serializers.PrimaryKeyRelatedField) and schema.get("type") == "integer":
        schema.setdefault("minimum", 1)
        schema.setdefault("maximum", MAX_ID)
    elif isinstance(field, serializers.CharField) and schema.get("type") == "string":
        if "format" in schema or "pattern" in schema or "enum" in schema:
            return
        if field.allow_blank:
            schema["pattern"] = NO_NUL_TEXT_PATTERN
        else:
            schema["minLength"] = max(schema.get("minLength", 0), 1)
            schema["pattern"] = NON_BLANK_TEXT_PATTERN


class PolicytrackerAutoSchema(AutoSchema):
    """Summaries from the model's name, input serializers for request bodies, the write
    headers (If-Match, Idempotency-Key) on the operations that honour them, and anonymous
    access on reads (ReadOnlyOrModelPermissions lets anyone read)."""

    def get_auth(self):
        auths = super().get_auth()
        # Public reads, unless the view says its reads are for signed-in users only.
        reads_are_public = not getattr(self.view, "reads_need_authentication", False)
        if self.method in SAFE_METHODS and reads_are_public and {} not in auths:
            auths.append({})
        return auths

    def _model(self):
        return getattr(self.view, "permission_model", None)

    def get_summary(self):
        summary = super().get_summary()
        model = self._model()
        action = getattr(self.view, "action", None)
        if summary or model is None or action not in ACTION_SUMMARIES:
            return summary
        name = str(model._meta.verbose_name)
        article = "an" if name[:1].lower() in "aeiou" else "a"
        return ACTION_SUMMARIES[action].format(
            name=name, a_name=f"{article} {name}", plural=model._meta.verbose_name_plural
        )

    def get_request_serializer(self):
        action = getattr(self.view, "action", None)
        input_class = getattr(self.view, "input_serializer_class", None)
        if action == "create":
            input_class = getattr(self.view, "create_input_serializer_class", input_class)
        if input_class is not None and action in WRITE_ACTIONS:
            return input_class
        return super().get_request_serializer()

    def _map_basic_serializer(self, serializer, direction):
        """Request bodies say what the input serializer refuses: unknown fields (the inputs are
        strict, StrictInputMixin), blank required text, text with NUL."""
        schema = super()._map_basic_serializer(serializer, direction)
        if direction != "request":
            return schema
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            if name in properties and not field.read_only:
                _constrain_input(field, properties[name])
        if isinstance(serializer, StrictInputMixin):
            schema["additionalProperties"] = False
        return schema

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        action = getattr(self.view, "action", None)
        if self._model() is not None:
            if action in {"update", "partial_update", "destroy"}:
                parameters.append(IF_MATCH)
            if action in {"publish", "unpublish"}:
                parameters.append(IF_MATCH_OPTIONAL)
            if action == "create" or (action == "status_history" and self.method == "POST"):
                parameters.append(IDEMPOTENCY_KEY)
        return parameters
