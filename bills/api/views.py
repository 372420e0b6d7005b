"""Read-only public endpoints. Views translate HTTP; selectors own the queries."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bills import selectors
from bills.api import filters, serializers
from bills.procedure import DEFAULT_PROCEDURE, BillStatus, procedure_for
from policytracker.viewsets import PublicReadViewSet

SEARCH_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description='Full-text search in English and Russian (web-search syntax: "quoted phrase", '
    "-exclude, or). Results are ranked by relevance unless `ordering` is given.",
)


def include_parameter(options: frozenset[str]) -> OpenApiParameter:
    return OpenApiParameter(
        "include",
        OpenApiTypes.STR,
        description="Comma-separated related records to embed: " + ", ".join(sorted(options)),
    )


BILL_INCLUDES = frozenset({"sponsors", "actions", "statements"})


@extend_schema_view(
    list=extend_schema(
        summary="List bills",
        parameters=[SEARCH_PARAMETER, include_parameter(BILL_INCLUDES)],
    ),
    retrieve=extend_schema(summary="Get a bill", parameters=[include_parameter(BILL_INCLUDES)]),
)
class BillViewSet(PublicReadViewSet):
    """Bills with their current status. Addressed by their stable `slug`; `include=sponsors,
    actions,statements` embeds related records so a bill page needs one request."""

    serializer_class = serializers.BillSerializer
    filterset_class = filters.BillFilter
    lookup_field = "slug"
    include_options = BILL_INCLUDES
    searchable = True
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "short_title", "created_at", "updated_at", "search_rank"]

    def get_queryset(self):
        return selectors.bill_list(
            include_drafts=self.include_drafts, include=self.include, q=self.search_text
        )


@extend_schema_view(
    list=extend_schema(summary="List bill actions (status history)"),
    retrieve=extend_schema(summary="Get a bill action"),
)
class BillActionViewSet(PublicReadViewSet):
    """The dated steps of every bill's procedure: each action records the status it led to."""

    serializer_class = serializers.BillActionSerializer
    filterset_class = filters.BillActionFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "order"]

    def get_queryset(self):
        return selectors.bill_action_list(include_drafts=self.include_drafts)


@extend_schema_view(
    list=extend_schema(summary="List sponsorships"),
    retrieve=extend_schema(summary="Get a sponsorship"),
)
class SponsorshipViewSet(PublicReadViewSet):
    """Who stands behind each bill: initiators, drafting agencies, presenters, co-sponsors."""

    serializer_class = serializers.SponsorshipSerializer
    filterset_class = filters.SponsorshipFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "role"]

    def get_queryset(self):
        return selectors.sponsorship_list(include_drafts=self.include_drafts)


PERSON_INCLUDES = frozenset({"memberships"})


@extend_schema_view(
    list=extend_schema(summary="List people", parameters=[include_parameter(PERSON_INCLUDES)]),
    retrieve=extend_schema(summary="Get a person", parameters=[include_parameter(PERSON_INCLUDES)]),
)
class PersonViewSet(PublicReadViewSet):
    """Public figures, with every other name or spelling the sources use."""

    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_field = "slug"
    include_options = PERSON_INCLUDES
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "family_name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.person_list(include_drafts=self.include_drafts, include=self.include)


@extend_schema_view(
    list=extend_schema(summary="List organizations"),
    retrieve=extend_schema(summary="Get an organization"),
)
class OrganizationViewSet(PublicReadViewSet):
    """Chambers, committees, ministries, agencies, NGOs and international bodies."""

    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.organization_list(include_drafts=self.include_drafts)


@extend_schema_view(
    list=extend_schema(summary="List memberships (posts)"),
    retrieve=extend_schema(summary="Get a membership"),
)
class MembershipViewSet(PublicReadViewSet):
    """Posts people held in organizations, with the dates the sources give."""

    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "role"]

    def get_queryset(self):
        return selectors.membership_list(include_drafts=self.include_drafts)


@extend_schema_view(
    list=extend_schema(summary="List events"), retrieve=extend_schema(summary="Get an event")
)
class EventViewSet(PublicReadViewSet):
    """Roundtables, sittings, addresses and other events where statements were made."""

    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    lookup_field = "slug"
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.event_list(include_drafts=self.include_drafts)


@extend_schema_view(
    list=extend_schema(summary="List statements", parameters=[SEARCH_PARAMETER]),
    retrieve=extend_schema(summary="Get a statement"),
)
class StatementViewSet(PublicReadViewSet):
    """What public figures said, verbatim or as paraphrased by the source, with the stance
    toward each bill it concerns and the source excerpt that proves it."""

    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    lookup_field = "slug"
    searchable = True
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "created_at", "updated_at", "search_rank"]

    def get_queryset(self):
        return selectors.statement_list(include_drafts=self.include_drafts, q=self.search_text)


@extend_schema_view(
    list=extend_schema(summary="List topics"), retrieve=extend_schema(summary="Get a topic")
)
class TopicViewSet(PublicReadViewSet):
    """The controlled vocabulary of subjects used to tag bills and statements."""

    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.topic_list()


class BillStatusViewSet(viewsets.ViewSet):
    """The status vocabulary of the procedure, each status explained in plain language, with
    the statuses that may follow it."""

    lookup_field = "code"
    lookup_value_regex = "[a-z_]+"

    @staticmethod
    def _rows() -> dict[str, dict]:
        procedure = procedure_for(DEFAULT_PROCEDURE)
        return {
            code: {
                "code": code,
                "label": BillStatus(code).label,
                "explanation": info.explanation,
                "next_step": info.next_step,
                "stage": info.stage,
                "terminal": info.terminal,
                "allowed_next": sorted(procedure.transitions[code]),
            }
            for code, info in procedure.statuses.items()
        }

    @extend_schema(
        summary="List bill statuses", responses=serializers.BillStatusSerializer(many=True)
    )
    def list(self, request):
        rows = list(self._rows().values())
        return Response(serializers.BillStatusSerializer(rows, many=True).data)

    @extend_schema(summary="Get a bill status", responses=serializers.BillStatusSerializer)
    def retrieve(self, request, code: str):
        row = self._rows().get(code)
        if row is None:
            raise NotFound(f"No status '{code}'.")
        return Response(serializers.BillStatusSerializer(row).data)
