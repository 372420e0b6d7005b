"""`GET /api/v1/changes/`: the change log as the caller may see it, in `seq` order.

A follower stores the last `seq` it applied and asks `?after=<seq>`; the log is gap-free (rows
commit in `seq` order, see changes.services), so nothing committed later appears before it.
Records that exist now and are visible to the caller come with their current representation
(`data`, from the same serializers and selectors as their detail endpoint); unpublished and
deleted records come as tombstones (type, id, slug), never their content.
"""

import re

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from policytracker import visibility
from policytracker.changes.models import TOMBSTONES, ChangeEvent, ChangeKind
from policytracker.changes.selectors import record_types, scalar_changes
from policytracker.viewsets import LeanListMixin, PublicReadViewSet

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_SEQ = 2**63 - 1
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
PARAMS = frozenset({"after", "limit", "record_type", "bill", "format", "lang"})


def _api_routers():
    from bills.api.urls import router as bills_router
    from sources.api.urls import router as sources_router

    return [bills_router, sources_router]


def _whole_number(request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise exceptions.ValidationError({name: [f"A whole number from {low} to {high}."]})
    return value


class Renderer:
    """Current representations of the records named on one page: one selector query (with its
    prefetches) per record type, whatever the number of events."""

    def __init__(self, request):
        self.request = request
        self.viewsets = {}
        for router in _api_routers():
            for _prefix, viewset_class, basename in router.registry:
                if not issubclass(viewset_class, PublicReadViewSet):
                    continue
                viewset = viewset_class(
                    request=request, format_kwarg=None, action="retrieve", args=(), kwargs={}
                )
                model = viewset.get_queryset().model
                self.viewsets.setdefault(model._meta.model_name, (viewset, basename))

    def render(self, events: list[ChangeEvent]) -> dict[tuple, dict]:
        wanted: dict[str, set[int]] = {}
        for event in events:
            if event.event not in TOMBSTONES and event.record_type in self.viewsets:
                wanted.setdefault(event.record_type, set()).add(event.record_id)
        rendered = {}
        for record_type, ids in wanted.items():
            viewset, _ = self.viewsets[record_type]
            if isinstance(viewset, LeanListMixin):  # the detail representation, read lean
                queryset = viewset.lean_queryset().filter(pk__in=ids).order_by("pk")
                rows = list(viewset.lean_values(queryset))
                for row, item in zip(rows, viewset.lean_page(rows), strict=True):
                    rendered[(record_type, row["id"])] = item
                continue
            records = list(viewset.get_queryset().filter(pk__in=ids).order_by("pk"))
            data = viewset.get_serializer(records, many=True).data
            for record, item in zip(records, data, strict=True):
                rendered[(record_type, record.pk)] = item
        return rendered

    def url(self, event: ChangeEvent) -> str | None:
        if event.event in TOMBSTONES or event.record_type not in self.viewsets:
            return None
        viewset, basename = self.viewsets[event.record_type]
        key = event.slug if viewset.lookup_field == "slug" else event.record_id
        try:
            return self.request.build_absolute_uri(
                reverse(f"{basename}-detail", kwargs={viewset.lookup_field: key})
            )
        except NoReverseMatch:
            return None


def serialize_event(event: ChangeEvent, renderer: Renderer, rendered: dict) -> dict:
    item = {
        "seq": event.seq,
        "recorded_at": event.recorded_at.isoformat().replace("+00:00", "Z"),
        "record_type": event.record_type,
        "record_id": event.record_id,
        "slug": event.slug,
        "event": event.event,
    }
    if event.event in TOMBSTONES:
        return item  # a tombstone: what is gone, never what it was
    item.update(
        old_slug=event.old_slug,
        version=event.version,
        changed_fields=sorted(event.changed),
        changed=scalar_changes(event),
        url=renderer.url(event),
        data=rendered.get((event.record_type, event.record_id)),
    )
    return item


EXAMPLE = {
    "latest": 1042,
    "next": "https://example.org/api/v1/changes/?after=1042",
    "results": [
        {
            "seq": 1041,
            "recorded_at": "2026-11-28T09:15:02.511Z",
            "record_type": "bill",
            "record_id": 7,
            "slug": "kz-2016-counter-intelligence",
            "event": "published",
            "old_slug": "",
            "version": 4,
            "changed_fields": [],
            "changed": {},
            "url": "https://example.org/api/v1/bills/kz-2016-counter-intelligence/",
            "data": {
                "id": 7,
                "slug": "kz-2016-counter-intelligence",
                "short_title": "Counter-intelligence activity law",
            },
        },
        {
            "seq": 1042,
            "recorded_at": "2026-11-28T09:20:40.003Z",
            "record_type": "statement",
            "record_id": 31,
            "slug": "nigmatulin-2016-09-22-global-threat",
            "event": "unpublished",
        },
    ],
}

DESCRIPTION = """Every change to public records, in order, as a follower needs it to keep a mirror.

**Load a bulk snapshot, then follow the feed from its cursor.**

1. Load the newest bulk snapshot (`/api/v1/exports/latest/`, one JSON Lines file per
   entity) and keep its manifest's `change_cursor` as `latest`: it holds exactly the changes
   up to that event. Without a snapshot: `GET /api/v1/changes/?limit=1`, keep `latest` (the
   newest event you may see).
2. Without a snapshot: crawl the list endpoints (follow each `next` link), store every record.
3. `GET /api/v1/changes/?after=<latest>`, apply each event in order, then ask again with the
   `next` link (it carries `after=<last seq on the page>`; when `results` is empty, wait and
   ask the same link again). A change made during step 2 is in the feed after `latest`, so
   applying it again is harmless.

Applying an event: `published`, `created`, `updated`, `renamed`, `status_changed` → store
`data` (the record's current representation, as its detail endpoint serves it), replacing the
record with the same `record_type` and `record_id` (a rename changes the slug: `old_slug`
says which); `data` is null when the record is no longer visible (a later tombstone follows).
`unpublished`, `deleted` → drop the record (a tombstone carries only its type, id and slug).
A change inside a record (a citation added, a cited source published, a speaker renamed) is an
`updated` event of that record too.

The feed is gap-free: events commit in `seq` order, so `after=<seq>` never skips one.
Anonymous callers see only events of public records (and tombstones of records that were
public); curators see every event. `changed` gives the changed fields' new values (links are
named in `changed_fields` only)."""


class ChangeEventSerializer(serializers.Serializer):
    """The shape of one event (documentation: `serialize_event` builds it)."""

    seq = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()
    record_type = serializers.CharField()
    record_id = serializers.IntegerField()
    slug = serializers.CharField(help_text='The record\'s slug after the change ("" if none).')
    event = serializers.ChoiceField(choices=ChangeKind.choices)
    old_slug = serializers.CharField(required=False, help_text="The slug before a rename.")
    version = serializers.IntegerField(required=False)
    changed_fields = serializers.ListField(child=serializers.CharField(), required=False)
    changed = serializers.DictField(required=False, help_text="New values of changed fields.")
    url = serializers.URLField(required=False, allow_null=True)
    data = serializers.DictField(
        required=False,
        allow_null=True,
        help_text="The record's current representation (its detail endpoint's); absent from "
        "tombstones (unpublished, deleted).",
    )


class ChangePageSerializer(serializers.Serializer):
    latest = serializers.IntegerField(help_text="The newest `seq` the caller may see.")
    next = serializers.URLField(help_text="Ask this next (after the last event of this page).")
    results = ChangeEventSerializer(many=True)


class ChangeFeedView(APIView):
    """The public, ordered, gap-free change feed (see the schema for a worked example)."""

    @extend_schema(
        summary="Follow changes",
        description=DESCRIPTION,
        parameters=[
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": MAX_SEQ},
                description="Events after this `seq` (0 or absent: from the start).",
            ),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"At most this many events (default {DEFAULT_LIMIT}).",
            ),
            OpenApiParameter(
                "record_type",
                OpenApiTypes.STR,
                enum=sorted(record_types()) if visibility._RULES else None,
                description="Only events about records of this type.",
            ),
            OpenApiParameter(
                "bill",
                OpenApiTypes.STR,
                pattern=SLUG.pattern,
                description="Only events concerning this bill (its slug, current or former): "
                "the bill, its actions, sponsorships, identifiers, stances, citations.",
            ),
        ],
        responses={200: ChangePageSerializer},
        examples=[OpenApiExample("A published bill and an unpublished statement", EXAMPLE)],
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - PARAMS)
        if unknown:
            allowed = ", ".join(sorted(PARAMS))
            raise exceptions.ValidationError(
                {name: [f"Unknown query parameter. Allowed: {allowed}."] for name in unknown}
            )
        after = _whole_number(request, "after", 0, 0, MAX_SEQ)
        limit = _whole_number(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        events = ChangeEvent.objects.visible_to(request.user)
        visible = events
        record_type = request.query_params.get("record_type")
        if record_type is not None:
            if record_type not in record_types():
                kinds = ", ".join(sorted(record_types()))
                raise exceptions.ValidationError({"record_type": [f"One of: {kinds}."]})
            events = events.filter(record_type=record_type)
        slug = request.query_params.get("bill")
        if slug is not None:
            if not SLUG.fullmatch(slug):
                message = "A bill's slug: letters, digits, - or _."
                raise exceptions.ValidationError({"bill": [message]})
            events = events.filter(bill_ids__overlap=self._bill_ids(visible, slug))
        page = list(events.filter(seq__gt=after)[:limit])
        renderer = Renderer(request)
        rendered = renderer.render(page)
        last = page[-1].seq if page else after
        latest = visible.order_by("-seq").values_list("seq", flat=True).first() or 0
        return Response(
            {
                "latest": max(latest, last),
                "next": self._next_link(request, last),
                "results": [serialize_event(event, renderer, rendered) for event in page],
            }
        )

    @staticmethod
    def _bill_ids(visible, slug: str) -> list[int]:
        # Through the caller's events, so a bill since renamed, unpublished or deleted is still
        # found by the slugs the caller saw, and a draft's slug is unknown to the public.
        ids = list(
            visible.filter(record_type="bill", slug=slug).values_list("record_id", flat=True)
        ) + list(
            visible.filter(record_type="bill", old_slug=slug).values_list("record_id", flat=True)
        )
        if not ids:
            raise exceptions.ValidationError({"bill": ["No bill with this slug."]})
        return sorted(set(ids))

    @staticmethod
    def _next_link(request, last: int) -> str:
        params = request.query_params.copy()
        params["after"] = str(last)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
