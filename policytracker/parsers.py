"""Request body parsing that refuses hostile JSON with a 400 instead of exhausting the stack.

Kept apart from policytracker.api: DRF resolves DEFAULT_PARSER_CLASSES while importing its
views module, which policytracker.api itself imports.
"""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


def _depth(value, limit: int) -> int:
    """Nesting depth of parsed JSON, walked iteratively (no recursion to exhaust)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if level > limit:
            return level
        deepest = max(deepest, level)
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return deepest


class SafeJSONParser(JSONParser):
    """JSON bodies that are valid UTF-8 and at most MAX_JSON_DEPTH levels deep, else 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from error
        if _depth(data, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels.")
        return data
