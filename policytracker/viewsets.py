"""Base viewsets: public reads (visibility, `include=`, Last-Modified) and staff writes."""

import contextlib

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from policytracker.aliases.selectors import record_for_alias
from policytracker.api import StrictQueryParamsBackend, last_modified_of, parse_include
from policytracker.changes.selectors import latest_change_time
from policytracker.etags import expected_version, mark_version
from policytracker.exports.streaming import csv_response, wants_bom
from policytracker.idempotency.http import idempotent_create
from policytracker.permissions import require_change_of
from policytracker.prepared import PreparedRows, fetch_dicts
from policytracker.renderers import CSVRenderer
from policytracker.services import record_publish, record_unpublish
from policytracker.visibility import can_see_drafts, draft_dependents


class LastModifiedMixin:
    """Adds Last-Modified to list and detail responses; the ConditionalGetMiddleware adds the
    ETag and answers 304 to conditional requests.

    A record's own representation moves its `updated_at` (embedded changes touch it), so a
    plain detail response dates from it. A list also changes when a record leaves it, and an
    `include=` adds records whose changes do not touch the parent: those date from the newest
    change the caller may see in the change log, so Last-Modified never moves backwards and
    If-Modified-Since never answers 304 for changed content."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        records = getattr(self, "_shown_records", None)
        if response.status_code == 200 and records is not None:
            composed = getattr(self, "_is_list", False) or request.query_params.get("include")
            not_before = latest_change_time(request.user) if composed else None
            stamp = last_modified_of(records, not_before=not_before)
            if stamp:
                response["Last-Modified"] = stamp
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown_records = page
        self._is_list = True
        return page

    def get_object(self):
        instance = super().get_object()
        self._shown_records = [instance]
        return instance

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        mark_version(response, self._shown_records[0].version)
        return response


class Moved(Exception):
    """The record asked for by an old slug (an alias) lives at `location` now."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


class AliasRedirectMixin:
    """Stable addresses: a slug-addressed record asked for by one of its old slugs (renamed,
    or merged into it) answers 301 Moved Permanently to the same route under its current slug,
    query string kept; unsafe methods answer 308, which a client repeats with the same method
    and body (a 301 lets it turn a PATCH into a GET). The alias is looked up through the gate:
    an alias of a record the caller may not see is a 404 like any unknown slug."""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            self._raise_if_moved()
            raise

    def _raise_if_moved(self) -> None:
        url_kwarg = self.lookup_url_kwarg or self.lookup_field
        if self.lookup_field != "slug" or url_kwarg not in self.kwargs:
            return
        queryset = self.get_queryset()
        record = record_for_alias(queryset.model, self.kwargs[url_kwarg], queryset)
        if record is None:
            return
        match = self.request.resolver_match
        path = reverse(
            match.view_name, args=match.args, kwargs={**match.kwargs, url_kwarg: record.slug}
        )
        query = self.request.META.get("QUERY_STRING", "")
        raise Moved(self.request.build_absolute_uri(f"{path}?{query}" if query else path))

    def handle_exception(self, exc):
        if isinstance(exc, Moved):
            status = 301 if self.request.method in ("GET", "HEAD", "OPTIONS") else 308
            return Response(status=status, headers={"Location": exc.location})
        return super().handle_exception(exc)


class PublicReadViewSet(
    AliasRedirectMixin,
    LastModifiedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List and retrieve; drafts are visible to holders of the drafts permission only (the one
    gate, policytracker.visibility); `include=` is validated; old slugs redirect."""

    include_options: frozenset[str] = frozenset()
    searchable = False
    lookup_value_regex = "[0-9]+"  # ids; viewsets addressed by slug override it

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # DRF keeps the response on the view, whose request keeps the view (parser context),
        # and the response keeps both (renderer context): reference cycles that would hold a
        # page's rows and its megabytes of JSON until the cycle collector runs, which a lean
        # page (few container objects) rarely triggers; workers grew to 200 MB. Dropping the
        # view's links frees them as soon as the response is sent.
        self.response = None
        self._shown_records = None
        self._paginator = None
        return response

    @property
    def see_drafts(self) -> bool:
        return can_see_drafts(getattr(self.request, "user", None))

    @property
    def extra_query_params(self) -> set[str]:
        params = {"include"} if self.include_options else set()
        return params | ({"q"} if self.searchable else set())

    @property
    def include(self) -> frozenset[str]:
        return parse_include(self.request, self.include_options)

    @property
    def search_text(self) -> str | None:
        return self.request.query_params.get("q", "").strip() or None

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["see_drafts"] = self.see_drafts
        # drf-spectacular marks the views it builds the schema from: there the serializer keeps
        # every include field, so the component documents them (as optional).
        if self.include_options and not getattr(self, "swagger_fake_view", False):
            context["include"] = self.include
        return context


class LeanListMixin:
    """Reads through the lean path (policytracker/lean.py): the gated base queryset is
    filtered, ordered and cut into a cursor page as `.values()` rows, and `lean_page` turns the
    rows into what the serializer would give. Where `lean_document` gives an expression,
    PostgreSQL writes each record's JSON (policytracker/json_sql.py) and the rows carry it as
    `document`. A detail GET reads its one row through the same gate (an old slug redirects, an
    unknown one is a 404) and renders it as a one-row page. Writes answer with the serializer.
    Put it last before PublicReadViewSet, so mixins that wrap `retrieve` (feed links) still
    run."""

    lean_columns: tuple[str, ...] = ()  # what lean_page reads, and every ordering field
    # Read pages through prepared statements (policytracker/prepared.py): for queries whose
    # planning is costly, with columns that need no conversion from the database.
    lean_prepared = False

    def lean_queryset(self):  # the gated (and searched) base queryset, without prefetches
        raise ImproperlyConfigured(f"{type(self).__name__} must define lean_queryset()")

    def lean_page(self, rows: list[dict]) -> list:
        raise ImproperlyConfigured(f"{type(self).__name__} must define lean_page()")

    def lean_document(self):
        """An expression PostgreSQL turns into a record's JSON, or None (lean_page builds it)."""
        return None

    # Lists whose pages may carry each cited source once (`citations=compact`, documented on
    # the list operation): `lean_cited_sources(rows)` gives the page's `sources` map.
    lean_compact_citations = False

    @property
    def extra_query_params(self) -> set[str]:
        params = super().extra_query_params
        if self.action != "list":
            return params
        return params | {"bom"} | ({"citations"} if self.lean_compact_citations else set())

    def get_renderers(self):
        # A list is also a CSV download (`?format=csv`, `Accept: text/csv`).
        renderers = super().get_renderers()
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    def csv_table(self):
        from policytracker.exports.tables import table_for  # the tables name bills' vocabulary

        return table_for(self.serializer_class.Meta.model)

    @property
    def compact_citations(self) -> bool:
        if not (self.lean_compact_citations and self.action == "list"):
            return False
        value = self.request.query_params.get("citations", "full")
        if value not in ("full", "compact"):
            raise ValidationError({"citations": ["Must be `full` or `compact`."]})
        return value == "compact"

    def lean_cited_sources(self, rows: list[dict]) -> dict:
        raise ImproperlyConfigured(f"{type(self).__name__} must define lean_cited_sources()")

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if self.compact_citations:
            response.data["sources"] = self.lean_cited_sources(self._shown_records)
        return response

    def lean_values(self, queryset, *extra: str):
        columns = [*self.lean_columns, *extra]
        document = self.lean_document()
        if document is not None:
            queryset = queryset.annotate(document=document)
            columns.append("document")
        return queryset.values(*columns)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.lean_queryset())
        if request.accepted_renderer.format == "csv":
            return csv_response(self, queryset, self.csv_table())
        wants_bom(request)  # `bom` belongs to a CSV download: refused here, naming it
        if self.searchable and self.search_text and self.lean_document() is not None:
            return self._ranked_list(queryset)
        extra = ["search_rank"] if self.searchable and self.search_text else []  # cursor
        rows = self.lean_values(queryset, *extra)
        prepared = self.lean_prepared and not extra
        rows = self.paginate_queryset(PreparedRows(rows) if prepared else rows)
        return self.get_paginated_response(self.lean_page(rows))

    def _ranked_list(self, queryset):
        """A search page in two steps: the ranking alone (its best plan depends on the words,
        so it is planned for them, and PostgreSQL may scan in parallel when no JSON is in the
        query), then the documents of the page's rows by id."""
        rows = self.paginate_queryset(queryset.values(*self.lean_columns, "search_rank"))
        ids = [row["id"] for row in rows]
        documents = self.lean_queryset().filter(pk__in=ids).annotate(document=self.lean_document())
        by_id = dict(documents.values_list("id", "document"))
        rows[:] = [row | {"document": by_id[row["id"]]} for row in rows if row["id"] in by_id]
        return self.get_paginated_response(self.lean_page(rows))  # (one deleted meanwhile: out)

    def retrieve(self, request, *args, **kwargs):
        url_kwarg = self.lookup_url_kwarg or self.lookup_field
        lookup = {self.lookup_field: self.kwargs[url_kwarg]}
        queryset = self.lean_queryset().filter(**lookup)
        if set(request.query_params) - {"include", "lang"}:
            queryset = self.filter_queryset(queryset)  # list filters on a detail narrow it too
        else:
            StrictQueryParamsBackend().filter_queryset(request, queryset, self)
        rows = self.lean_values(queryset, "version")
        rows = fetch_dicts(rows[:1]) if self.lean_prepared else list(rows[:1])
        if not rows:
            self.get_object()  # an old slug redirects (AliasRedirectMixin); otherwise a 404
            raise Http404
        self._shown_records = rows
        response = Response(self.lean_page(rows)[0])
        mark_version(response, rows[0]["version"])
        return response


class CurationMixin:
    """Writes for curators: create (Idempotency-Key aware), update and delete (If-Match with the
    record's version required), each through the viewset's service hooks below. Rules live in
    the services; this only translates HTTP."""

    input_serializer_class = None

    def get_input_serializer(self, *args, **kwargs):
        return self.input_serializer_class(*args, context=self.get_serializer_context(), **kwargs)

    # Each curated viewset implements these three with its entity's services:
    #   create_record(data) -> record
    #   update_record(instance, data, expected_version) -> record
    #   delete_record(instance, expected_version) -> None

    # -- HTTP ------------------------------------------------------------------------------------
    def record_response(self, record, status: int = 200) -> Response:
        instance = self.get_queryset().get(pk=record.pk)  # as a GET would show it
        data = self.get_serializer(instance).data
        response = Response(data, status=status)
        mark_version(response, instance.version)
        if status == 201:
            response["Location"] = str(data["url"])
        return response

    # Service errors name model fields; the API names some of them differently.
    service_error_fields = {
        "field_name": "sources",
        "content_type": "sources",
        "object_id": "sources",
    }

    @contextlib.contextmanager
    def service_errors(self):
        try:
            yield
        except DjangoValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            renamed: dict = {}
            for name, errors in error.error_dict.items():
                renamed.setdefault(self.service_error_fields.get(name, name), []).extend(errors)
            raise DjangoValidationError(renamed) from error

    def create(self, request, *args, **kwargs):
        return idempotent_create(request=request, create=self._create)

    def _create(self) -> Response:
        serializer = self.get_input_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic(), self.service_errors():
            record = self.create_record(dict(serializer.validated_data))
        return self.record_response(record, status=201)

    def expected_version(self, instance) -> int | None:
        """The version the caller's If-Match names (428 without one)."""
        return expected_version(self.request.headers.get("If-Match"), instance.version)

    def update(self, request, *args, partial: bool = False, **kwargs):
        instance = self.get_object()
        version = self.expected_version(instance)
        serializer = self.get_input_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic(), self.service_errors():
            record = self.update_record(instance, dict(serializer.validated_data), version)
        return self.record_response(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        with self.service_errors():
            self.delete_record(instance, self.expected_version(instance))
        return Response(status=204)


WITH_DEPENDENTS = OpenApiParameter(
    "with_dependents",
    bool,
    description="Also publish the unpublished records this one depends on (its sponsors, "
    "sources, references). Without it, such a publish is refused with 409 listing them.",
)
TRUE_VALUES = {"1", "true", "yes"}
FALSE_VALUES = {"0", "false", "no"}


class PublishMixin:
    """`POST …/{id}/publish/` and `…/unpublish/` for records with a draft state. An If-Match,
    when sent, must name the current version. Publishing with its dependents needs the change
    permission of each of their models too, checked before anything is published."""

    action_permissions = {"publish": "change", "unpublish": "change"}

    @property
    def extra_query_params(self) -> set[str]:
        params = super().extra_query_params
        return params | ({"with_dependents"} if self.action == "publish" else set())

    def _optional_version(self, instance) -> int | None:
        if_match = self.request.headers.get("If-Match")
        return expected_version(if_match, instance.version) if if_match else None

    def _with_dependents(self) -> bool:
        raw = self.request.query_params.get("with_dependents", "0").strip().lower()
        if raw not in TRUE_VALUES | FALSE_VALUES:
            raise ValidationError({"with_dependents": ["Use 1 or 0 (true or false)."]})
        return raw in TRUE_VALUES

    @extend_schema(request=None, parameters=[WITH_DEPENDENTS])
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """Make the record public (409 lists unpublished records it depends on)."""
        instance = self.get_object()
        version = self._optional_version(instance)
        with_dependents = self._with_dependents()
        why = "to publish the drafts it depends on"
        if with_dependents:
            require_change_of(request.user, draft_dependents(instance), why=why)
        with transaction.atomic():
            published = record_publish(
                record=instance, expected_version=version, with_dependents=with_dependents
            )
            # The same rule for whatever went public with it (a draft added since the check).
            require_change_of(request.user, published, why=why)
        return self.record_response(instance)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        """Hide the record from the public again (it becomes a draft)."""
        instance = self.get_object()
        record_unpublish(record=instance, expected_version=self._optional_version(instance))
        return self.record_response(instance)


class HistoryEntrySerializer(serializers.Serializer):
    """One dated change of a record; who made it is not published."""

    date = serializers.DateTimeField(help_text="When the change was saved.")
    type = serializers.ChoiceField(choices=["created", "published", "changed", "deleted"])
    changes = serializers.ListField(
        child=serializers.DictField(),
        help_text="For 'changed' and 'published': each field with its old and new value.",
    )


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_HIDDEN_FIELDS = ["updated_at", "created_at", "version", "is_published"]


def _visible_changes(model, changes, see_drafts: bool) -> list[dict]:
    """Field changes as the caller may see them: a link to a hidden record reads as null, and
    a change between two hidden records is not shown at all."""
    shown = []
    for change in changes:
        field = model._meta.get_field(change.field)
        old, new = change.old, change.new
        if field.is_relation and not see_drafts:
            public = field.related_model.objects.public()
            visible = set(public.filter(pk__in=[old, new]).values_list("pk", flat=True))
            old = old if old in visible else None
            new = new if new in visible else None
            if old == new:
                continue
        shown.append({"field": change.field, "old": old, "new": new})
    return shown


def public_history(entries: list, *, see_drafts: bool) -> list[dict]:
    """History rows, newest first. The public sees only states the record was published in:
    its history starts at publication, and edits made while it was a draft are not shown."""
    flagged = bool(entries) and hasattr(entries[0], "is_published")
    shown, previous_visible = [], None
    for index, entry in enumerate(entries):  # oldest first
        if flagged and not see_drafts and not entry.is_published:
            continue
        kind = HISTORY_TYPES[entry.history_type]
        became_public = flagged and entry.is_published and kind != "deleted"
        if became_public and index and not entries[index - 1].is_published:
            kind = "published"  # the step from draft to public
        elif became_public and not see_drafts and previous_visible is None and kind == "changed":
            kind = "published"
        changes = []
        if previous_visible is not None and kind in {"changed", "published"}:
            delta = entry.diff_against(previous_visible, excluded_fields=HISTORY_HIDDEN_FIELDS)
            changes = _visible_changes(entry.instance_type, delta.changes, see_drafts)
            if not changes and kind == "changed":
                previous_visible = entry
                continue
        shown.append({"date": entry.history_date, "type": kind, "changes": changes})
        previous_visible = entry
    return shown[::-1]


class HistoryMixin:
    """`GET …/{id}/history/`: the dated changes of a visible record, newest first."""

    @extend_schema(summary="Change history", responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        entries = list(instance.history.order_by("history_date", "history_id"))
        rows = public_history(entries, see_drafts=self.see_drafts)
        return Response(HistoryEntrySerializer(rows, many=True).data)
