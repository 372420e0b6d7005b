"""Endpoints for source documents and citations: public reads, staff writes."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from policytracker.viewsets import CurationMixin, LeanListMixin, PublicReadViewSet, PublishMixin
from sources import services
from sources.api import lean
from sources.api.filters import CitationFilter, SourceFilter
from sources.api.inputs import CitationInputSerializer, SourceInputSerializer
from sources.api.serializers import CitationRecordSerializer, SourceSerializer
from sources.models import Citation, Source
from sources.selectors import citation_list, source_list


@extend_schema_view(
    list=extend_schema(summary="List sources"), retrieve=extend_schema(summary="Get a source")
)
class SourceViewSet(PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet):
    """The documents every fact is cited from: articles, law texts, decrees, press releases."""

    permission_model = Source
    input_serializer_class = SourceInputSerializer
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "title"]

    lean_columns = lean.SOURCE_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return source_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean.source_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean.source_page(rows, request=self.request)

    def create_record(self, data: dict):
        return services.source_register(values=data)

    def update_record(self, instance, data: dict, expected_version: int | None):
        return services.source_update(
            source=instance, values=data, expected_version=expected_version
        )

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.source_delete(source=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List citations"), retrieve=extend_schema(summary="Get a citation")
)
class CitationViewSet(CurationMixin, LeanListMixin, PublicReadViewSet):
    """Links between a record (or one of its fields) and a source, with the supporting excerpt.
    A `contradicts` citation keeps a source's conflicting claim next to the recorded fact."""

    permission_model = Citation
    input_serializer_class = CitationInputSerializer
    serializer_class = CitationRecordSerializer
    filterset_class = CitationFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at"]

    lean_columns = lean.CITATION_COLUMNS

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Citation.objects.none()  # schema generation must not need the database
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return citation_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean.citation_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean.citation_page(rows, request=self.request)

    # The service names the model's fields; the API calls them record_type, record_id, field.
    service_error_fields = {
        "content_type": "record_type",
        "object_id": "record_id",
        "field_name": "field",
    }

    def create_record(self, data: dict):
        record = services.citation_target(
            content_type=data.pop("content_type"),
            object_id=data.pop("object_id"),
            field_name=data.get("field_name", ""),
        )
        return services.citation_add(record=record, **data)

    def update_record(self, instance, data: dict, expected_version: int | None):
        return services.citation_update(
            citation=instance, values=data, expected_version=expected_version
        )

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.citation_remove(citation=instance, expected_version=expected_version)
