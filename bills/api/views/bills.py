"""Read-only public endpoints. Views translate HTTP; selectors own the queries."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bills import selectors, services
from bills.api import filters, inputs, serializers
from bills.models import Bill, Event, Membership, Organization, Person, Statement
from bills.procedure import DEFAULT_PROCEDURE, BillStatus, procedure_for
from policytracker.idempotency.http import idempotent_create
from policytracker.viewsets import (
    CurationMixin,
    HistoryMixin,
    PublicReadViewSet,
    PublishMixin,
)
from sources.services import citations_add


def _split_citations(data: dict) -> list[dict]:
    return data.pop("sources", [])


SEARCH_PARAMETER = OpenApiParameter(
    "q",
    OpenApiTypes.STR,
    description='Full-text search in English and Russian (web-search syntax: "quoted phrase", '
    "-exclude, or). Results are ranked by relevance unless `ordering` is given.",
)


def include_parameter(options: frozenset[str]) -> OpenApiParameter:
    return OpenApiParameter(
        "include",
        {"type": "array", "items": {"type": "string", "enum": sorted(options)}},
        style="form",
        explode=False,
        description="Related records to embed, comma-separated: " + ", ".join(sorted(options)),
    )


SLUG_PATTERN = "[-a-zA-Z0-9_]+"
BILL_INCLUDES = frozenset({"sponsors", "actions", "statements"})


@extend_schema_view(
    list=extend_schema(
        summary="List bills",
        parameters=[SEARCH_PARAMETER, include_parameter(BILL_INCLUDES)],
    ),
    retrieve=extend_schema(summary="Get a bill", parameters=[include_parameter(BILL_INCLUDES)]),
)
class BillViewSet(HistoryMixin, PublishMixin, CurationMixin, PublicReadViewSet):
    """Bills with their current status. Addressed by their stable `slug`; `include=sponsors,
    actions,statements` embeds related records so a bill page needs one request. Staff create
    drafts, update with If-Match, publish, and record status changes via `actions`."""

    permission_model = Bill
    input_serializer_class = inputs.BillInputSerializer
    action_permissions = {**PublishMixin.action_permissions, "status_history": "change"}
    serializer_class = serializers.BillSerializer
    filterset_class = filters.BillFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    include_options = BILL_INCLUDES
    searchable = True
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "short_title", "created_at", "updated_at", "search_rank"]

    def get_queryset(self):
        return selectors.bill_list(
            see_drafts=self.see_drafts, include=self.include, q=self.search_text
        )

    def create_record(self, data: dict):
        citations = _split_citations(data)
        topics = data.pop("topics", None)
        return services.bill_create(values=data, topics=topics, citations=citations)

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = _split_citations(data)
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
class BillActionViewSet(PublicReadViewSet):
    """The dated steps of every bill's procedure: each action records the status it led to."""

    serializer_class = serializers.BillActionSerializer
    filterset_class = filters.BillActionFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "order"]

    def get_queryset(self):
        return selectors.bill_action_list(see_drafts=self.see_drafts)


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
        return selectors.sponsorship_list(see_drafts=self.see_drafts)


PERSON_INCLUDES = frozenset({"memberships"})


@extend_schema_view(
    list=extend_schema(summary="List people", parameters=[include_parameter(PERSON_INCLUDES)]),
    retrieve=extend_schema(summary="Get a person", parameters=[include_parameter(PERSON_INCLUDES)]),
)
class PersonViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """Public figures, with every other name or spelling the sources use."""

    permission_model = Person
    input_serializer_class = inputs.PersonInputSerializer
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    include_options = PERSON_INCLUDES
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "family_name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.person_list(see_drafts=self.see_drafts, include=self.include)

    def create_record(self, data: dict):
        return services.person_create(values=data, citations=_split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = _split_citations(data)
        record = services.person_update(
            person=instance, values=data, expected_version=expected_version
        )
        citations_add(record=record, citations=citations)
        return record

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.person_delete(person=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List organizations"),
    retrieve=extend_schema(summary="Get an organization"),
)
class OrganizationViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """Chambers, committees, ministries, agencies, NGOs and international bodies."""

    permission_model = Organization
    input_serializer_class = inputs.OrganizationInputSerializer
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.organization_list(see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.organization_create(values=data, citations=_split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = _split_citations(data)
        record = services.organization_update(
            organization=instance, values=data, expected_version=expected_version
        )
        citations_add(record=record, citations=citations)
        return record

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.organization_delete(organization=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List memberships (posts)"),
    retrieve=extend_schema(summary="Get a membership"),
)
class MembershipViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """Posts people held in organizations, with the dates the sources give."""

    permission_model = Membership
    input_serializer_class = inputs.MembershipInputSerializer
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "role"]

    def get_queryset(self):
        return selectors.membership_list(see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.membership_create(values=data, citations=_split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = _split_citations(data)
        record = services.membership_update(
            membership=instance, values=data, expected_version=expected_version
        )
        citations_add(record=record, citations=citations)
        return record

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.membership_delete(membership=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List events"), retrieve=extend_schema(summary="Get an event")
)
class EventViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """Roundtables, sittings, addresses and other events where statements were made."""

    permission_model = Event
    input_serializer_class = inputs.EventInputSerializer
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.event_list(see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.event_create(values=data, citations=_split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = _split_citations(data)
        record = services.event_update(
            event=instance, values=data, expected_version=expected_version
        )
        citations_add(record=record, citations=citations)
        return record

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.event_delete(event=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List statements", parameters=[SEARCH_PARAMETER]),
    retrieve=extend_schema(summary="Get a statement"),
)
class StatementViewSet(HistoryMixin, PublishMixin, CurationMixin, PublicReadViewSet):
    """What public figures said, verbatim or as paraphrased by the source, with the stance
    toward each bill it concerns and the source excerpt that proves it."""

    permission_model = Statement
    input_serializer_class = inputs.StatementInputSerializer
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    searchable = True
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "created_at", "updated_at", "search_rank"]

    def get_queryset(self):
        return selectors.statement_list(see_drafts=self.see_drafts, q=self.search_text)

    @staticmethod
    def _split(data: dict) -> dict:
        stances = data.pop("bills", None)
        return {
            "topics": data.pop("topics", None),
            "stances": None if stances is None else [(s["bill"], s["stance"]) for s in stances],
        }

    def create_record(self, data: dict):
        related = self._split(data)
        return services.statement_create(values=data, citations=_split_citations(data), **related)

    def update_record(self, instance, data: dict, expected_version: int | None):
        citations = _split_citations(data)
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
class TopicViewSet(PublicReadViewSet):
    """The controlled vocabulary of subjects used to tag bills and statements."""

    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.topic_list(see_drafts=self.see_drafts)


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
