"""Read serializers for people, their posts, and organizations."""

from rest_framework import serializers

from bills.api.serializers.refs import (
    IncludeAwareSerializer,
    NameDisputeMixin,
    OrganizationRefSerializer,
    PersonRefSerializer,
    _sources,
    feed_link,
    reference_help,
)
from bills.models import Membership, Organization, Person, PersonName


class PersonNameSerializer(serializers.ModelSerializer):
    sources = _sources()

    class Meta:
        model = PersonName
        fields = ["name", "kind", "language", "note", "sources"]


class MembershipSerializer(serializers.ModelSerializer):
    """A post a person held in an organization; shown only when the caller may see the post, the
    person and the organization (so neither reference is ever `null`)."""

    url = serializers.HyperlinkedIdentityField(view_name="membership-detail")
    person = PersonRefSerializer(read_only=True)
    organization = OrganizationRefSerializer(read_only=True)
    sources = _sources()

    class Meta:
        model = Membership
        fields = [
            "id",
            "url",
            "person",
            "organization",
            "role",
            "start_on",
            "start_precision",
            "end_on",
            "end_precision",
            "sources",
            "created_at",
            "updated_at",
        ]


class PersonSerializer(NameDisputeMixin, IncludeAwareSerializer):
    """A public figure; `include=memberships` embeds the posts they held. Posts the caller may
    not see (a draft post, or a post in a draft organization) are omitted."""

    url = serializers.HyperlinkedIdentityField(view_name="person-detail", lookup_field="slug")
    feed_url = feed_link("feed-person", "the person's statements", "people/nurlan-nigmatulin.atom")
    other_names = PersonNameSerializer(many=True, read_only=True)
    sources = _sources()
    memberships = MembershipSerializer(
        many=True,
        read_only=True,
        help_text="With include=memberships: the posts the caller may see.",
    )

    class Meta:
        model = Person
        include_fields = {"memberships"}
        fields = [
            "id",
            "slug",
            "url",
            "feed_url",
            "name",
            "given_name",
            "family_name",
            "summary",
            "name_disputed",
            "disputed_names",
            "other_names",
            "sources",
            "memberships",
            "created_at",
            "updated_at",
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    """A body acting in the legislative process or speaking about it; its `parent` is `null`
    when the caller may not see that organization."""

    url = serializers.HyperlinkedIdentityField(view_name="organization-detail", lookup_field="slug")
    parent = OrganizationRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("The parent body.")
    )
    sources = _sources()

    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "abbreviation",
            "classification",
            "parent",
            "other_names",
            "description",
            "sources",
            "created_at",
            "updated_at",
        ]
