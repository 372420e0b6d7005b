"""People, organizations and the posts (memberships) that link them."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from bills import selectors, services
from bills.api import filters, inputs, lean_people, serializers
from bills.api.views.common import (
    NAME_SEARCH_PARAMETER,
    SLUG_PATTERN,
    FeedLinkMixin,
    include_parameter,
    split_citations,
    update_then_cite,
)
from bills.models import Membership, Organization, Person
from bills.services.people import MERGE_PERMISSIONS, person_merge
from policytracker.permissions import CITATIONS, curated_nested
from policytracker.viewsets import CurationMixin, LeanListMixin, PublicReadViewSet, PublishMixin

PERSON_INCLUDES = frozenset({"memberships"})


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        parameters=[NAME_SEARCH_PARAMETER, include_parameter(PERSON_INCLUDES)],
    ),
    retrieve=extend_schema(summary="Get a person", parameters=[include_parameter(PERSON_INCLUDES)]),
)
class PersonViewSet(FeedLinkMixin, PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet):
    """Public figures, with every other name or spelling the sources use."""

    permission_model = Person
    input_serializer_class = inputs.PersonInputSerializer
    # A merge deletes this person and rewrites every record that names them.
    action_permissions = {**PublishMixin.action_permissions, "merge": "delete"}
    nested_permissions = {
        **curated_nested(create=CITATIONS, update=CITATIONS),
        "merge": {"into": MERGE_PERMISSIONS},
    }
    service_error_fields = {**CurationMixin.service_error_fields, "winner": "into"}
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    include_options = PERSON_INCLUDES
    searchable = True  # by name and other names
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "name", "family_name", "created_at", "updated_at", "search_rank"]

    lean_columns = lean_people.PERSON_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.person_list(
            see_drafts=self.see_drafts, include=self.include, q=self.search_text
        )

    def lean_queryset(self):
        return lean_people.person_rows(see_drafts=self.see_drafts, q=self.search_text)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_people.person_page(
            rows, request=self.request, see_drafts=self.see_drafts, include=self.include
        )

    def create_record(self, data: dict):
        return services.person_create(values=data, citations=split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        return update_then_cite(services.person_update, data, expected_version, person=instance)

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.person_delete(person=instance, expected_version=expected_version)

    @extend_schema(
        summary="Merge this person into another",
        request=inputs.PersonMergeInputSerializer,
        responses=serializers.PersonSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, *args, **kwargs):
        """Fold this (duplicate) person into `into`: statements, posts, sponsorships, names and
        citations move there, this record is deleted and its slug redirects (301) to `into`.
        An If-Match, when sent, must name this record's version. Answers with `into`."""
        loser = self.get_object()
        version = self._optional_version(loser)
        payload = inputs.PersonMergeInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        with transaction.atomic(), self.service_errors():
            winner = person_merge(
                loser=loser, winner=payload.validated_data["into"], expected_version=version
            )
        return self.record_response(winner)


@extend_schema_view(
    list=extend_schema(summary="List organizations", parameters=[NAME_SEARCH_PARAMETER]),
    retrieve=extend_schema(summary="Get an organization"),
)
class OrganizationViewSet(PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet):
    """Chambers, committees, ministries, agencies, NGOs and international bodies."""

    permission_model = Organization
    input_serializer_class = inputs.OrganizationInputSerializer
    nested_permissions = curated_nested(create=CITATIONS, update=CITATIONS)
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    searchable = True  # by name and abbreviation
    ordering = ["slug"]
    search_ordering = ["-search_rank"]
    ordering_fields = ["slug", "name", "created_at", "updated_at", "search_rank"]

    lean_columns = lean_people.ORGANIZATION_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.organization_list(see_drafts=self.see_drafts, q=self.search_text)

    def lean_queryset(self):
        return lean_people.organization_rows(see_drafts=self.see_drafts, q=self.search_text)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_people.organization_page(rows, request=self.request, see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.organization_create(values=data, citations=split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        return update_then_cite(
            services.organization_update, data, expected_version, organization=instance
        )

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.organization_delete(organization=instance, expected_version=expected_version)


@extend_schema_view(
    list=extend_schema(summary="List memberships (posts)"),
    retrieve=extend_schema(summary="Get a membership"),
)
class MembershipViewSet(PublishMixin, CurationMixin, LeanListMixin, PublicReadViewSet):
    """Posts people held in organizations, with the dates the sources give."""

    permission_model = Membership
    input_serializer_class = inputs.MembershipInputSerializer
    nested_permissions = curated_nested(create=CITATIONS, update=CITATIONS)
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "role"]

    lean_columns = lean_people.MEMBERSHIP_COLUMNS

    def get_queryset(self):
        if self.action == "retrieve":
            return self.lean_queryset()  # rendered from values (LeanListMixin.retrieve)
        return selectors.membership_list(see_drafts=self.see_drafts)

    def lean_queryset(self):
        return lean_people.membership_rows(see_drafts=self.see_drafts)

    def lean_page(self, rows: list[dict]) -> list[dict]:
        return lean_people.membership_page(rows, request=self.request, see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.membership_create(values=data, citations=split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        return update_then_cite(
            services.membership_update, data, expected_version, membership=instance
        )

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.membership_delete(membership=instance, expected_version=expected_version)
