"""JSON rendered with orjson: the same compact UTF-8 JSON as DRF's JSONRenderer, faster."""

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_DRF_ENCODER = JSONEncoder()
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _default(value):
    # Anything orjson leaves to us (timestamps, decimals, lazy text, …) is written exactly as
    # DRF's encoder writes it, so switching renderers changes no value a client parses.
    return _DRF_ENCODER.default(value)


class ORJSONRenderer(JSONRenderer):
    """DRF's JSONRenderer contract (media type, charset, `indent` from the Accept header) with
    orjson doing the work when no indentation is asked for."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        renderer_context = renderer_context or {}
        compact = orjson.dumps(data, default=_default, option=OPTIONS)
        if self.get_indent(accepted_media_type, renderer_context):
            # Parsed back first: pages embed JSON that PostgreSQL wrote (orjson.Fragment),
            # which only orjson can write.
            return super().render(orjson.loads(compact), accepted_media_type, renderer_context)
        return compact


def json_bytes(data) -> bytes:
    """`data` as ORJSONRenderer writes it in a response (bulk files use the same bytes)."""
    return orjson.dumps(data, default=_default, option=OPTIONS)


class CSVRenderer(BaseRenderer):
    """Chosen by `?format=csv` or `Accept: text/csv` on list endpoints. The list view answers
    with a streamed CSV itself (policytracker/exports/streaming.py); this class only takes part
    in content negotiation."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Reached only for what the view did not stream: an error, rendered as plain text.
        if isinstance(data, (dict, list)):
            return orjson.dumps(data)
        return b"" if data is None else str(data).encode()
