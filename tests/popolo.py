"""Validate Popolo objects against the vendored Popolo 1.0.1 JSON schemas (tests/popolo_schemas/).

The schemas are JSON Schema draft 3 and point at each other by URL
(`http://www.popoloproject.com/schemas/<name>.json#`); the registry holds every vendored file
under its URL and retrieves nothing, so nothing is fetched over the network.

Formats: jsonschema checks `email` by itself but `date-time` and `uri` only with optional
packages the project does not install, so this module checks those two itself (RFC 3339
date-time, RFC 3986 absolute URI) where jsonschema has no checker for them.
"""

import datetime
import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft3Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

SCHEMAS = Path(__file__).resolve().parent / "popolo_schemas"
SCHEMA_URL = "http://www.popoloproject.com/schemas/{}.json"
KINDS = ("person", "organization", "membership", "post", "event", "speech")

RFC3339_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.IGNORECASE
)
RFC3986_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*"
)


class PopoloInvalid(AssertionError):
    """A Popolo object that its schema refuses; the message lists every error."""


def validate(kind: str, obj: dict) -> None:
    """Raise PopoloInvalid unless `obj` is a valid Popolo `kind` (person, organization,
    membership, post, event, speech)."""
    if kind not in KINDS:
        raise ValueError(f"unknown Popolo kind {kind!r}; one of {', '.join(KINDS)}")
    errors = sorted(_validator(kind).iter_errors(obj), key=lambda error: list(error.path))
    if errors:
        lines = [f"  at {error.json_path}: {error.message}" for error in errors]
        raise PopoloInvalid(f"{kind} {obj.get('id')!r} is not valid Popolo:\n" + "\n".join(lines))


@cache
def _validator(kind: str) -> Draft3Validator:
    registry = _registry()
    schema = registry.contents(SCHEMA_URL.format(kind))
    return Draft3Validator(schema, registry=registry, format_checker=_format_checker())


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text())
        resource = Resource.from_contents(contents, default_specification=DRAFT3)
        resources.append((contents["id"].rstrip("#"), resource))
    return Registry().with_resources(resources).crawl()


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft3Validator.FORMAT_CHECKER.checkers)
    if "date-time" not in checker.checkers:
        checker.checks("date-time", raises=ValueError)(_is_date_time)
    if "uri" not in checker.checkers:
        checker.checks("uri")(_is_uri)
    return checker


def _is_date_time(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not RFC3339_DATE_TIME.fullmatch(instance):
        return False
    datetime.datetime.fromisoformat(instance.upper())  # out-of-range parts raise ValueError
    return True


def _is_uri(instance: object) -> bool:
    return not isinstance(instance, str) or RFC3986_URI.fullmatch(instance) is not None
