"""The examples of the OpenAPI document, every one taken from the seed data set
(bills/seed/kz_2016_package.yaml, `manage.py load_seed`) and shown where it belongs:

- a path parameter names a seed record of its own resource (`/people/{slug}/`: a person);
- a required query parameter (search's `q`) has an example that finds seed records;
- an optional query parameter shows its example in its description only: Swagger UI pre-fills
  a parameter's `example` into "Try it out", and every pre-filled filter narrows the list (a
  cursor or a `bom` without `format=csv` is even refused), so "Execute" with the defaults must
  send nothing;
- a response component's properties carry the values the API gives for one seed record
  (`schema_examples.json`, written from the seeded API by tests/test_schema_examples.py with
  UPDATE_SCHEMA_EXAMPLES=1), so Redoc's and Swagger's samples show a real bill, its real
  chamber and its real sources, never a value of another field.

tests/test_schema_examples.py checks all of them against the seeded database."""

import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings

EXAMPLES_FILE = Path(__file__).with_name("schema_examples.json")
# Written in place of the scheme and host in stored addresses (the API's are absolute).
BASE_PLACEHOLDER = "{base}"

# The seed record that each resource's path examples name, by resource (the operation's tag).
PATH_EXAMPLES = {
    "bills": "kz-2016-counter-intelligence",
    "people": "nurlan-nigmatulin",
    "organizations": "mazhilis",
    "events": "mazhilis-roundtable-2016-09-22",
    "statements": "nigmatulin-2016-09-22-global-threat",
    "topics": "counter-intelligence",
    "statuses": "signed",
}
# Parameters a client must send: the value Swagger UI pre-fills (it finds seed records).
REQUIRED_EXAMPLES = {"q": "terrorism"}
# Optional query parameters: an example in the description, by name, then by (resource, name).
QUERY_EXAMPLES = {
    "q": "terrorism",
    "bill": "kz-2016-counter-intelligence",
    "package": "kz-2016-presidential-package-seven-bills",
    "topic": "counter-intelligence",
    "chamber": "mazhilis",
    "sponsor": "government",
    "actor": "mazhilis",
    "organizer": "mazhilis",
    "parent": "parliament",
    "person": "nurlan-nigmatulin",
    "speaker": "nurlan-nigmatulin",
    "organization": "mazhilis",
    "event": "mazhilis-roundtable-2016-09-22",
    "law_number": "35-VI",
    "name": "Nurlan Nigmatulin",
    "role": "Chairman of the Mazhilis",
    "publisher": "Caravanserai",
    "language": "en",
}
RESOURCE_QUERY_EXAMPLES = {
    ("people", "q"): "Nigmatulin",
    ("organizations", "q"): "Mazhilis",
    ("sponsorships", "organization"): "knb",
    ("sponsorships", "person"): "kalmukhanbet-kassymov",
}
# Date and date-time filters: the day the counter-intelligence bill was introduced.
FORMAT_EXAMPLES = {"date": "2016-10-26", "date-time": "2016-10-26T00:00:00Z"}

# Where each response component's example comes from: a GET of the seeded API (anonymous) and
# a JSON pointer into its body. Components not named here carry no property examples.
_BILL = "/api/v1/bills/kz-2016-counter-intelligence/?include=sponsors,actions,statements"
_STATEMENT = "/api/v1/statements/nigmatulin-2016-09-22-global-threat/"
_PERSON = "/api/v1/people/nurlan-nigmatulin/?include=memberships"
COMPONENT_SOURCES = {
    "Bill": (_BILL, ""),
    "BillIdentifier": (_BILL, "/identifiers/0"),
    "Citation": (_BILL, "/sources/0"),
    "SourceSummary": (_BILL, "/sources/0/source"),
    "OrganizationRef": (_BILL, "/originating_chamber"),
    "Sponsorship": (_BILL, "/sponsors/0"),
    "BillAction": (_BILL, "/actions/0"),
    "StatementOnBill": (_BILL, "/statements/0"),
    "Statement": (_STATEMENT, ""),
    "PersonRef": (_STATEMENT, "/speaker_person"),
    "EventRef": (_STATEMENT, "/event"),
    "Stance": (_STATEMENT, "/bills/0"),
    "Person": (_PERSON, ""),
    "Membership": (_PERSON, "/memberships/0"),
    "Event": ("/api/v1/events/mazhilis-roundtable-2016-09-22/", ""),
    "Organization": ("/api/v1/organizations/mazhilis/", ""),
    "Topic": ("/api/v1/topics/counter-intelligence/", ""),
    "BillStatus": ("/api/v1/statuses/signed/", ""),
    "Source": ("/api/v1/sources/?ordering=created_at", "/results/0"),
    "CitationRecord": ("/api/v1/citations/?ordering=created_at", "/results/0"),
    "SearchHit": ("/api/v1/search/?q=terrorism", "/results/0"),
}
# Values the database assigns (ids, times, versions) differ between installations.
ASSIGNED_FIELDS = frozenset({"id", "record_id", "created_at", "updated_at", "version"})
_ID_SEGMENT = re.compile(r"/api/v\d+/.*/\d+/")


def _pointer(document, pointer: str):
    for part in filter(None, pointer.split("/")):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def _assigned(value) -> bool:
    """An address with a database id in it (`/bill-actions/7/`)."""
    return isinstance(value, str) and bool(_ID_SEGMENT.search(value))


def _is_plain(value) -> bool:
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, str | int | float) for item in value)
    return isinstance(value, str | int | float | bool)


def read_examples(get, host: str) -> dict[str, dict]:
    """{component: {property: value}} from the API's answers (`get(path)` returns the parsed
    JSON body): plain values only (nested records are components of their own), addresses
    with `host` replaced by BASE_PLACEHOLDER, database-assigned values left out."""
    bodies: dict[str, object] = {}
    examples = {}
    for component, (path, pointer) in COMPONENT_SOURCES.items():
        if path not in bodies:
            bodies[path] = get(path)
        record = _pointer(bodies[path], pointer)
        examples[component] = {
            name: _placeholder(value, host)
            for name, value in record.items()
            if name not in ASSIGNED_FIELDS and _is_plain(value) and not _assigned(value)
        }
    return examples


def _placeholder(value, host: str):
    if isinstance(value, str) and value.startswith(host):
        return BASE_PLACEHOLDER + value[len(host) :]
    if isinstance(value, list):
        return [_placeholder(item, host) for item in value]
    return value


@cache
def stored_examples() -> dict[str, dict]:
    return json.loads(EXAMPLES_FILE.read_text())


def _with_base(value):
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    if isinstance(value, str) and value.startswith(BASE_PLACEHOLDER):
        return base + value[len(BASE_PLACEHOLDER) :]
    if isinstance(value, list):
        return [_with_base(item) for item in value]
    return value


def _inline(schema: dict) -> bool:
    """A property whose value is written here (not a reference to another component)."""
    if "$ref" in schema or "allOf" in schema or "oneOf" in schema:
        return False
    items = schema.get("items", {})
    return "$ref" not in items and "allOf" not in items


def apply_component_examples(components: dict) -> None:
    """Replace every property example of the response components with the stored seed values
    (drf-spectacular's own, e.g. a paginator's `next` on an `/accounts/` address, go)."""
    stored = stored_examples()
    for name, component in components.items():
        properties = component.get("properties", {})
        for prop in properties.values():
            prop.pop("example", None)
        for prop_name, value in stored.get(name, {}).items():
            prop = properties.get(prop_name)
            if prop is not None and _inline(prop):
                prop["example"] = _with_base(value)


def query_example(resource: str, parameter: dict):
    """The example shown in an optional query parameter's description, or None."""
    name = parameter["name"]
    schema = parameter.get("schema", {})
    if "enum" in schema or "enum" in schema.get("items", {}):
        return None  # the choices are listed
    if (resource, name) in RESOURCE_QUERY_EXAMPLES:
        return RESOURCE_QUERY_EXAMPLES[(resource, name)]
    if name in QUERY_EXAMPLES and schema.get("type") == "string":
        return QUERY_EXAMPLES[name]
    return FORMAT_EXAMPLES.get(schema.get("format"))


def path_example(resource: str, parameter: dict):
    """A path parameter's example: the resource's seed record, when it is addressed by a name
    (ids are assigned by the database, so they get none)."""
    if parameter["name"] in {"slug", "code"}:
        return PATH_EXAMPLES.get(resource)
    return None
