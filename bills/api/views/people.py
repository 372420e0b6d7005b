"""People, organizations and the posts (memberships) that link them."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from bills import selectors, services
from bills.api import filters, inputs, serializers
from bills.api.views.common import (
    SLUG_PATTERN,
    include_parameter,
    split_citations,
    update_then_cite,
)
from bills.models import Membership, Organization, Person
from policytracker.permissions import CITATIONS, curated_nested
from policytracker.viewsets import CurationMixin, PublicReadViewSet, PublishMixin

PERSON_INCLUDES = frozenset({"memberships"})


@extend_schema_view(
    list=extend_schema(summary="List people", parameters=[include_parameter(PERSON_INCLUDES)]),
    retrieve=extend_schema(summary="Get a person", parameters=[include_parameter(PERSON_INCLUDES)]),
)
class PersonViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """Public figures, with every other name or spelling the sources use."""

    permission_model = Person
    input_serializer_class = inputs.PersonInputSerializer
    nested_permissions = curated_nested(create=CITATIONS, update=CITATIONS)
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
        return services.person_create(values=data, citations=split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        return update_then_cite(services.person_update, data, expected_version, person=instance)

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
    nested_permissions = curated_nested(create=CITATIONS, update=CITATIONS)
    serializer_class = serializers.OrganizationSerializer
    filterset_class = filters.OrganizationFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    ordering = ["slug"]
    ordering_fields = ["slug", "name", "created_at", "updated_at"]

    def get_queryset(self):
        return selectors.organization_list(see_drafts=self.see_drafts)

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
class MembershipViewSet(PublishMixin, CurationMixin, PublicReadViewSet):
    """Posts people held in organizations, with the dates the sources give."""

    permission_model = Membership
    input_serializer_class = inputs.MembershipInputSerializer
    nested_permissions = curated_nested(create=CITATIONS, update=CITATIONS)
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilter
    ordering = ["created_at"]
    ordering_fields = ["created_at", "updated_at", "role"]

    def get_queryset(self):
        return selectors.membership_list(see_drafts=self.see_drafts)

    def create_record(self, data: dict):
        return services.membership_create(values=data, citations=split_citations(data))

    def update_record(self, instance, data: dict, expected_version: int | None):
        return update_then_cite(
            services.membership_update, data, expected_version, membership=instance
        )

    def delete_record(self, instance, expected_version: int | None) -> None:
        services.membership_delete(membership=instance, expected_version=expected_version)
