"""Bills, their status history and sponsorships, and the status vocabulary."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bills import selectors, services
from bills.api import filters, inputs, lean, lean_records, serializers
from bills.api.translated import content_language
from bills.api.views.common import (
    COMPACT_CITATIONS_PARAMETER,
    SEARCH_PARAMETER,
    SLUG_PATTERN,
    FeedLinkMixin,
    include_parameter,
    link_feed,
    split_citations,
)
from bills.models import Bill
from bills.procedure import DEFAULT_PROCEDURE, BillStatus, procedure_for
from policytracker.exports.streaming import static_csv_response, wants_bom
from policytracker.exports.tables import STATUSES
from policytracker.idempotency.http import idempotent_create
from policytracker.permissions import CITATIONS, curated_nested
from policytracker.renderers import CSVRenderer
from policytracker.viewsets import (
    CurationMixin,
    HistoryMixin,
    LeanListMixin,
    PublicReadViewSet,
    PublishMixin,
)
from sources.services import citations_add

BILL_INCLUDES = frozenset({"sponsors", "actions", "statements"})


@extend_schema_view(
    list=extend_schema(
        summary="List bills",
        parameters=[
            SEARCH_PARAMETER,
            include_parameter(BILL_INCLUDES),
            COMPACT_CITATIONS_PARAMETER,
        ],
    ),
    retrieve=extend_schema(summary="Get a bill", parameters=[include_parameter(BILL_INCLUDES)]),
)
class BillViewSet(
    FeedLinkMixin, HistoryMixin, PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet
):
    """Bills with their current status. Addressed by their stable `slug`; `include=sponsors,
    actions,statements` embeds related records so a bill page needs one request. Staff create
    drafts, update with If-Match, publish, and record status changes via `actions`."""

    permission_model = Bill
    input_serializer_class = inputs.BillInputSerializer
    # Recording a status change is a change of the bill: the transition service alone writes
    # the BillAction row (curators hold no BillAction write permission); its sources are
    # citations.
    action_permissions = {**PublishMixin.action_permissions, "status_history": "change"}
    nested_permissions = {
        **curated_nested(create=CITATIONS, update=CITATIONS),
        "status_history": CITATIONS,
    }
    serializer_class = serializers.BillSerializer
    filterset_class = filters.BillFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    include_options = BILL_INCLUDES
    searchable = True
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "short_title", "created_at", "updated_at", "search_rank"]

    lean_columns = lean.BILL_COLUMNS
    feed_route = "feed-bill"
    lean_prepared = True
    lean_compact_citations = True

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.bill_list(
            see_drafts=self.see_drafts, include=self.include, q=self.search_text
        )

    def lean_queryset(self):
        return lean.bill_rows(see_drafts=self.see_drafts, q=self.search_text)

    def lean_document(self):
        return lean.bill_document(
            request=self.request,
            see_drafts=self.see_drafts,
            include=self.include,
            compact=self.compact_citations,
        )

    def lean_cited_sources(self, rows: list[dict]) -> dict:
        ids = [row["id"] for row in rows]
        return lean.cited_sources(Bill, ids, see_drafts=self.see_drafts, include=self.include)

    def lean_page(self, rows: list[dict]) -> list:
        return lean.bill_page(rows)

    def create_record(self, data: dict):
        citations = split_citations(data)
        topics = data.pop("topics", None)
        return services.bill_create(values=data, topics=topics, citations=citations)

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = split_citations(data)
        bill = services.bill_update(
            bill=instance,
            values=data,
            topics=data.pop("topics", None),
            expected_version=expected_version,
        )
        citations_add(record=bill, citations=citations)
        return bill

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.bill_delete(bill=instance, expected_version=expected_version)

    @extend_schema(
        methods=["GET"],
        summary="A bill's status history",
        responses=serializers.BillActionSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a status change",
        request=inputs.BillActionInputSerializer,
        responses={201: serializers.BillActionSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="actions",
        pagination_class=None,
        filter_backends=[],
    )
    def status_history(self, request, *args, **kwargs):
        """GET: the bill's actions, oldest first. POST: record a status change; it must be an
        allowed transition, dated neither in the future nor before the previous action."""
        bill = self.get_object()
        if request.method == "GET":
            rows = selectors.bill_action_list(see_drafts=self.see_drafts).filter(bill=bill)
            return Response(
                serializers.BillActionSerializer(
                    rows, many=True, context=self.get_serializer_context()
                ).data
            )
        return idempotent_create(request=request, create=lambda: self._record_action(bill))

    def _record_action(self, bill) -> Response:
        payload = inputs.BillActionInputSerializer(data=self.request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        action_record = services.bill_record_action(
            bill=bill, citations=data.pop("sources"), **data
        )
        row = selectors.bill_action_list(see_drafts=self.see_drafts).get(pk=action_record.pk)
        context = self.get_serializer_context()
        return Response(serializers.BillActionSerializer(row, context=context).data, status=201)


@extend_schema_view(
    list=extend_schema(summary="List bill actions (status history)"),
    retrieve=extend_schema(summary="Get a bill action"),
)
class BillActionViewSet(LeanListMixin, PublicReadViewSet):
    """The dated steps of every bill's procedure: each action records the status it led to."""

    serializer_class = serializers.BillActionSerializer
    filterset_class = filters.BillActionFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "order"]

    lean_columns = lean_records.ACTION_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.bill_action_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean_records.action_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_records.action_page(rows, request=self.request, see_drafts=self.see_drafts)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        return link_feed(response, request.build_absolute_uri(reverse("feed-status-changes")))


@extend_schema_view(
    list=extend_schema(summary="List sponsorships"),
    retrieve=extend_schema(summary="Get a sponsorship"),
)
class SponsorshipViewSet(LeanListMixin, PublicReadViewSet):
    """Who stands behind each bill: initiators, drafting agencies, presenters, co-sponsors."""

    serializer_class = serializers.SponsorshipSerializer
    filterset_class = filters.SponsorshipFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "role"]

    lean_columns = lean_records.SPONSORSHIP_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.sponsorship_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean_records.sponsorship_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_records.sponsorship_page(rows, request=self.request, see_drafts=self.see_drafts)


class BillStatusViewSet(viewsets.ViewSet):
    """The status vocabulary of the procedure, each status explained in plain language, with
    the statuses that may follow it."""

    lookup_field = "code"
    lookup_value_regex = "[a-z_]+"

    def _rows(self) -> dict[str, dict]:
        """Every status, its words in the caller's content language (English by default)."""
        procedure = procedure_for(DEFAULT_PROCEDURE)
        with translation.override(content_language(getattr(self, "request", None))):
            return {
                code: {
                    "code": code,
                    "label": gettext(BillStatus(code).label),
                    "explanation": gettext(info.explanation),
                    "next_step": gettext(info.next_step),
                    "stage": info.stage,
                    "terminal": info.terminal,
                    "allowed_next": sorted(procedure.transitions[code]),
                }
                for code, info in procedure.statuses.items()
            }

    def vocabulary(self) -> list[dict]:
        """Every status, as the list shows them (also read by the bulk snapshot, in English)."""
        return serializers.BillStatusSerializer(list(self._rows().values()), many=True).data

    @extend_schema(
        summary="List bill statuses", responses=serializers.BillStatusSerializer(many=True)
    )
    def list(self, request):
        data = self.vocabulary()
        if request.accepted_renderer.format == "csv":
            return static_csv_response(STATUSES, data, request)
        wants_bom(request)  # refused without format=csv
        return Response(data)

    def get_renderers(self):
        # The vocabulary is also a CSV download (`?format=csv`), like every list.
        renderers = super().get_renderers()
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    @extend_schema(summary="Get a bill status", responses=serializers.BillStatusSerializer)
    def retrieve(self, request, code: str):
        row = self._rows().get(code)
        if row is None:
            raise NotFound(f"No status '{code}'.")
        return Response(serializers.BillStatusSerializer(row).data)
