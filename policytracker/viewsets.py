"""Base viewsets: public reads (visibility, `include=`, Last-Modified) and staff writes."""

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from policytracker.api import last_modified_of, parse_include
from policytracker.idempotency.services import idempotent_create
from policytracker.publishing import records_set_published
from policytracker.writes import check_if_match, record_create, record_update, representation_etag
from sources.services import citations_add


class LastModifiedMixin:
    """Adds Last-Modified (newest `updated_at` shown) to list and detail responses; the
    ConditionalGetMiddleware adds the ETag and answers 304 to conditional requests."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        records = getattr(self, "_shown_records", None)
        if response.status_code == 200 and records:
            stamp = last_modified_of(records)
            if stamp:
                response["Last-Modified"] = stamp
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown_records = page
        return page

    def get_object(self):
        instance = super().get_object()
        self._shown_records = [instance]
        return instance


class PublicReadViewSet(
    LastModifiedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List and retrieve; drafts are visible to staff only; `include=` is validated."""

    include_options: frozenset[str] = frozenset()
    searchable = False
    lookup_value_regex = "[0-9]+"  # ids; viewsets addressed by slug override it

    @property
    def include_drafts(self) -> bool:
        return bool(self.request.user and self.request.user.is_staff)

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
        if self.include_options:
            context["include"] = self.include
        return context


class CurationMixin:
    """Writes for staff: create (Idempotency-Key aware), update and delete (If-Match required),
    publish and unpublish. Rules live in the services; this only translates HTTP."""

    input_serializer_class = None
    m2m_fields: tuple[str, ...] = ()

    def get_input_serializer(self, *args, **kwargs):
        return self.input_serializer_class(*args, context=self.get_serializer_context(), **kwargs)

    # -- hooks a viewset may override with its own service calls -------------------------------
    def create_record(self, data: dict):
        citations = data.pop("sources", [])
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        record = record_create(model=self.permission_model, values=data, m2m=m2m)
        citations_add(record=record, citations=citations)
        return record

    def update_record(self, instance, data: dict):
        citations = data.pop("sources", [])
        m2m = {name: data.pop(name) for name in self.m2m_fields if name in data}
        record = record_update(instance=instance, values=data, m2m=m2m)
        citations_add(record=record, citations=citations)
        return record

    # -- HTTP ------------------------------------------------------------------------------------
    def record_response(self, record, status: int = 200) -> Response:
        instance = self.get_queryset().get(pk=record.pk)  # as a GET would show it
        data = self.get_serializer(instance).data
        response = Response(data, status=status)
        response["ETag"] = representation_etag(data)
        if status == 201:
            response["Location"] = data["url"]
        return response

    def create(self, request, *args, **kwargs):
        return idempotent_create(request=request, create=self._create)

    def _create(self) -> Response:
        serializer = self.get_input_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            record = self.create_record(dict(serializer.validated_data))
        return self.record_response(record, status=201)

    def get_locked_object(self):
        lookup = self.lookup_url_kwarg or self.lookup_field
        queryset = self.get_queryset().select_for_update(of=("self",))
        instance = get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup]})
        check_if_match(
            if_match=self.request.headers.get("If-Match"),
            current_etag=representation_etag(self.get_serializer(instance).data),
        )
        return instance

    def update(self, request, *args, partial: bool = False, **kwargs):
        with transaction.atomic():
            instance = self.get_locked_object()
            serializer = self.get_input_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            record = self.update_record(instance, dict(serializer.validated_data))
        return self.record_response(record)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.get_locked_object().delete()
        return Response(status=204)


class PublishMixin:
    """`POST …/{id}/publish/` and `…/unpublish/` for records with a draft state."""

    action_permissions = {"publish": "change", "unpublish": "change"}

    def _set_published(self, published: bool) -> Response:
        instance = self.get_object()
        records_set_published(
            queryset=type(instance).objects.filter(pk=instance.pk), published=published
        )
        return self.record_response(instance)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        """Make the record public."""
        return self._set_published(True)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        """Hide the record from the public again (it becomes a draft)."""
        return self._set_published(False)


class HistoryEntrySerializer(serializers.Serializer):
    """One dated change of a record; who made it is not published."""

    date = serializers.DateTimeField(help_text="When the change was saved.")
    type = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    changes = serializers.ListField(
        child=serializers.DictField(),
        help_text="For 'changed': each field with its old and new value.",
    )


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
HISTORY_HIDDEN_FIELDS = ["updated_at", "created_at"]


class HistoryMixin:
    """`GET …/{id}/history/`: the dated changes of a visible record, newest first."""

    @extend_schema(summary="Change history", responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        instance = self.get_object()
        entries = list(instance.history.order_by("-history_date", "-history_id"))
        rows = []
        for index, newer in enumerate(entries):
            older = entries[index + 1] if index + 1 < len(entries) else None
            changes = []
            if older is not None and newer.history_type == "~":
                delta = newer.diff_against(older, excluded_fields=HISTORY_HIDDEN_FIELDS)
                changes = [
                    {"field": change.field, "old": change.old, "new": change.new}
                    for change in delta.changes
                ]
            rows.append(
                {
                    "date": newer.history_date,
                    "type": HISTORY_TYPES[newer.history_type],
                    "changes": changes,
                }
            )
        return Response(HistoryEntrySerializer(rows, many=True).data)
