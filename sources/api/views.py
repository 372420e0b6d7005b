"""Public read endpoints for source documents."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from policytracker.viewsets import PublicReadViewSet
from sources.api.filters import SourceFilter
from sources.api.serializers import SourceSerializer
from sources.selectors import source_list


@extend_schema_view(
    list=extend_schema(summary="List sources"), retrieve=extend_schema(summary="Get a source")
)
class SourceViewSet(PublicReadViewSet):
    """The documents every fact is cited from: articles, law texts, decrees, press releases."""

    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "title"]

    def get_queryset(self):
        return source_list(include_drafts=self.include_drafts)
