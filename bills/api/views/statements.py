"""Events, the statements made at them, and the topics that tag bills and statements."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from bills import selectors, services
from bills.api import filters, inputs, lean, lean_records, serializers
from bills.api.views.common import (
    COMPACT_CITATIONS_PARAMETER,
    SEARCH_PARAMETER,
    SLUG_PATTERN,
    FeedLinkMixin,
    split_citations,
    update_then_cite,
)
from bills.models import Event, Statement
from policytracker.permissions import (
    CITATIONS,
    STANCE_CITATIONS,
    STANCES_ADDED,
    STANCES_REPLACED,
    curated_nested,
)
from policytracker.viewsets import (
    CurationMixin,
    HistoryMixin,
    LeanListMixin,
    PublicReadViewSet,
    PublishMixin,
)
from sources.services import citations_add


@extend_schema_view(
    list=extend_schema(summary="List events"), retrieve=extend_schema(summary="Get an event")
)
class EventViewSet(PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet):
    """Roundtables, sittings, addresses and other events where statements were made."""

    permission_model = Event
    input_serializer_class = inputs.EventInputSerializer
    nested_permissions = curated_nested(create=CITATIONS, update=CITATIONS)
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    lean_columns = lean_records.EVENT_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.event_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean_records.event_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_records.event_page(rows, request=self.request, see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.event_create(values=data, citations=split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        return update_then_cite(services.event_update, data, expected_version, event=instance)

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.event_delete(event=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(
        summary="List statements", parameters=[SEARCH_PARAMETER, COMPACT_CITATIONS_PARAMETER]
    ),
    retrieve=extend_schema(summary="Get a statement"),
)
class StatementViewSet(HistoryMixin, PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet):
    """What public figures said, verbatim or as paraphrased by the source, with the stance
    toward each bill it concerns and the source excerpt that proves it."""

    permission_model = Statement
    input_serializer_class = inputs.StatementInputSerializer
    create_input_serializer_class = inputs.StatementCreateInputSerializer
    nested_permissions = curated_nested(
        create=CITATIONS | STANCES_ADDED | STANCE_CITATIONS,
        update=CITATIONS | STANCES_REPLACED | STANCE_CITATIONS,
    )
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    searchable = True
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "said_on", "sequence", "created_at", "updated_at", "search_rank"]
    # Unknown dates and positions sort last (their keys are never null: a cursor needs a value);
    # statements said the same day keep the order spoken.
    ordering_terms = {
        "said_on": ("said_on_key", "sequence_key"),
        "sequence": ("sequence_key",),
    }

    lean_columns = lean.STATEMENT_COLUMNS
    lean_prepared = True
    lean_compact_citations = True

    @property
    def ordering(self) -> list[str]:
        # An event's statements come in the order they were spoken.
        request = getattr(self, "request", None)
        return ["sequence"] if request and request.query_params.get("event") else ["slug"]

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.statement_list(see_drafts=self.see_drafts, q=self.search_text)

    def lean_queryset(self):
        return lean.statement_rows(see_drafts=self.see_drafts, q=self.search_text)

    def lean_document(self):
        return lean.statement_document(
            request=self.request, see_drafts=self.see_drafts, compact=self.compact_citations
        )

    def lean_cited_sources(self, rows: list[dict]) -> dict:
        ids = [row["id"] for row in rows]
        return lean.cited_sources(Statement, ids, see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list:
        return lean.statement_page(rows)

    def get_input_serializer(self, *args, **kwargs):
        if self.action == "create":
            context = self.get_serializer_context()
            return self.create_input_serializer_class(*args, context=context, **kwargs)
        return super().get_input_serializer(*args, **kwargs)

    @staticmethod
    def _split(data: dict) -> dict:
        stances = data.pop("bills", None)
        return {
            "topics": data.pop("topics", None),
            "stances": None
            if stances is None
            else [(s["bill"], s["stance"], s.get("sources")) for s in stances],
        }

    def create_record(self, data: dict):
        related = self._split(data)
        return services.statement_create(values=data, citations=split_citations(data), **related)

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = split_citations(data)
        statement = services.statement_update(
            statement=instance,
            values=data,
            expected_version=expected_version,
            **self._split(data),
        )
        citations_add(record=statement, citations=citations)
        return statement

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.statement_delete(statement=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List topics"), retrieve=extend_schema(summary="Get a topic")
)
class TopicViewSet(FeedLinkMixin, LeanListMixin, PublicReadViewSet):
    """The controlled vocabulary of subjects used to tag bills and statements."""

    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    lean_columns = lean_records.TOPIC_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.topic_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean_records.topic_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_records.topic_page(rows, request=self.request)
