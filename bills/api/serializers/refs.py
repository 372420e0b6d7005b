"""Building blocks shared by the read serializers: short references and `include=` support."""

from rest_framework import serializers

from bills.models import Bill, Event, Organization, Person, Topic
from sources.api.serializers import CitationSerializer


def _sources(**kwargs) -> CitationSerializer:
    return CitationSerializer(
        source="citations",
        many=True,
        read_only=True,
        help_text="The sources backing this record, each with the supporting excerpt.",
        **kwargs,
    )


class IncludeAwareSerializer(serializers.ModelSerializer):
    """Drops the fields named in `Meta.include_fields` unless `?include=` asked for them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        include = self.context.get("include", frozenset())
        for name in getattr(self.Meta, "include_fields", {}):
            if name not in include:
                self.fields.pop(name, None)


class OrganizationRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="organization-detail", lookup_field="slug")

    class Meta:
        model = Organization
        fields = ["id", "slug", "url", "name", "abbreviation", "classification"]


class PersonRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="person-detail", lookup_field="slug")

    class Meta:
        model = Person
        fields = ["id", "slug", "url", "name"]


class BillRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="bill-detail", lookup_field="slug")

    class Meta:
        model = Bill
        fields = ["id", "slug", "url", "short_title", "status"]


class TopicSerializer(serializers.ModelSerializer):
    """A subject in the controlled vocabulary."""

    url = serializers.HyperlinkedIdentityField(view_name="topic-detail", lookup_field="slug")

    class Meta:
        model = Topic
        fields = ["id", "slug", "url", "name", "description", "created_at", "updated_at"]


class EventRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")

    class Meta:
        model = Event
        fields = ["id", "slug", "url", "name", "starts_on"]
