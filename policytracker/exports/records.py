"""Records in their API representation, chunk by chunk, for bulk output: the snapshot's JSON
Lines and CSV files and the list endpoints' `?format=csv`. They are read through the list
endpoints' own lean path (`LeanListMixin`: the gated base queryset, `lean_values`,
`lean_page`), so a bulk row is byte for byte what the detail endpoint serves and a record the
caller may not see is never read; rows come from a server-side cursor, `chunk_size` at a time,
so memory stays flat whatever the number of records."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import orjson
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.request import Request

from policytracker.exports.chunks import CHUNK_SIZE, lean_chunks
from policytracker.renderers import ORJSONRenderer, json_bytes
from policytracker.viewsets import LeanListMixin


@dataclass(frozen=True)
class Entity:
    """One exported kind of record: its list endpoint (`name`, also the files' stem), its
    type in the change log, and the viewset whose lean path reads it."""

    name: str
    record_type: str
    viewset_class: type


def entities() -> list[Entity]:
    """Every public list endpoint of records, in the routers' order, plus the status
    vocabulary (`statuses`, no record type: it is not a record)."""
    from bills.api.urls import router as bills_router
    from sources.api.urls import router as sources_router

    found = []
    for router in (bills_router, sources_router):
        for prefix, viewset_class, _basename in router.registry:
            if issubclass(viewset_class, LeanListMixin):
                model = viewset_class.serializer_class.Meta.model
                found.append(Entity(prefix, model._meta.model_name, viewset_class))
            elif prefix == "statuses":
                found.append(Entity(prefix, "", viewset_class))
    return found


def anonymous_request(base_url: str) -> Request:
    """A GET as an anonymous reader at `base_url` (scheme and host) would send it: what the
    viewsets need to gate records and build absolute addresses outside a request."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ValueError(f"A base URL is a scheme and a host, e.g. https://example.org: {base_url}")
    django_request = RequestFactory().get("/", secure=parts.scheme == "https")
    host = parts.netloc
    # The configured public address, not a client's Host header: no ALLOWED_HOSTS check.
    django_request.get_host = lambda: host
    request = Request(django_request, authenticators=())
    request.user = AnonymousUser()
    request.accepted_renderer = ORJSONRenderer()
    request.accepted_media_type = ORJSONRenderer.media_type
    return request


def list_view(entity: Entity, request: Request):
    """The entity's viewset as its list endpoint would run for `request`."""
    view = entity.viewset_class(
        request=request, format_kwarg=None, action="list", args=(), kwargs={}
    )
    view.action_map = {"get": "list"}
    view.headers = {}
    return view


def public_lines(entity: Entity, request: Request, *, chunk_size: int = CHUNK_SIZE):
    """Every record of `entity` the request's caller may see, by id, as (JSON bytes, parsed
    dict) pairs: the bytes are what the detail endpoint serves."""
    view = list_view(entity, request)
    if not isinstance(view, LeanListMixin):
        for item in vocabulary(view):
            yield json_bytes(item), item
        return
    rows = view.lean_values(view.lean_queryset().order_by("pk"))
    for page in lean_chunks(view, rows, chunk_size=chunk_size):
        for item in page:
            data = json_bytes(item)
            yield data, orjson.loads(data)


def vocabulary(view) -> list[dict]:
    """The items of a list endpoint that is not a set of records (the status vocabulary)."""
    return list(view.vocabulary())
