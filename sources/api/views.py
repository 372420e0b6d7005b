"""Endpoints for source documents and citations: public reads, staff writes."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response

from policytracker.viewsets import CurationMixin, PublicReadViewSet, PublishMixin
from sources import services
from sources.api.filters import CitationFilter, SourceFilter
from sources.api.inputs import CitationInputSerializer, SourceInputSerializer
from sources.api.serializers import CitationRecordSerializer, SourceSerializer
from sources.models import Citation, Source
from sources.selectors import citation_list, source_list


@extend_schema_view(
    list=extend_schema(summary="List sources"), retrieve=extend_schema(summary="Get a source")
)
class SourceViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """The documents every fact is cited from: articles, law texts, decrees, press releases."""

    permission_model = Source
    input_serializer_class = SourceInputSerializer
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "title"]

    def get_queryset(self):
        return source_list(include_drafts=self.include_drafts)

    def create_record(self, data: dict):
        return services.source_register(values=data)

    def update_record(self, instance, data: dict):
        return services.source_update(source=instance, values=data)


@extend_schema_view(
    list=extend_schema(summary="List citations"), retrieve=extend_schema(summary="Get a citation")
)
class CitationViewSet(CurationMixin, PublicReadViewSet):
    """Links between a record (or one of its fields) and a source, with the supporting excerpt.
    A `contradicts` citation keeps a source's conflicting claim next to the recorded fact."""

    permission_model = Citation
    input_serializer_class = CitationInputSerializer
    serializer_class = CitationRecordSerializer
    filterset_class = CitationFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Citation.objects.none()  # schema generation must not need the database
        return citation_list(include_drafts=self.include_drafts)

    def create_record(self, data: dict):
        return services.citation_add(**data)

    def update_record(self, instance, data: dict):
        record = data.pop("record", None)
        if record is not None:
            data.update(content_type=services.content_type_of(record), object_id=record.pk)
        return services.citation_update(citation=instance, values=data)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            services.citation_delete(citation=self.get_locked_object())
        return Response(status=204)
