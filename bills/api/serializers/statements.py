"""Read serializers for events and statements."""

from rest_framework import serializers

from bills.api.serializers.refs import (
    BillRefSerializer,
    EventRefSerializer,
    OrganizationRefSerializer,
    PersonRefSerializer,
    _sources,
)
from bills.models import Event, Statement, StatementBill


class EventSerializer(serializers.ModelSerializer):
    """A roundtable, sitting, address or other dated event."""

    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")
    organizer = OrganizationRefSerializer(read_only=True, allow_null=True)
    sources = _sources()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "kind",
            "starts_on",
            "starts_precision",
            "place",
            "organizer",
            "description",
            "sources",
            "created_at",
            "updated_at",
        ]


class StanceSerializer(serializers.ModelSerializer):
    bill = BillRefSerializer(read_only=True)

    class Meta:
        model = StatementBill
        fields = ["bill", "stance"]


class StatementSerializer(serializers.ModelSerializer):
    """What a person or organization said, with its stance toward each bill it concerns."""

    url = serializers.HyperlinkedIdentityField(view_name="statement-detail", lookup_field="slug")
    speaker_person = PersonRefSerializer(read_only=True, allow_null=True)
    speaker_organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    speaker_organization_at_time = OrganizationRefSerializer(
        source="speaker_membership.organization", read_only=True, allow_null=True
    )
    on_behalf_of = OrganizationRefSerializer(read_only=True, allow_null=True)
    event = EventRefSerializer(read_only=True, allow_null=True)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    bills = StanceSerializer(source="bill_links", many=True, read_only=True)
    sources = _sources()

    class Meta:
        model = Statement
        fields = [
            "id",
            "slug",
            "url",
            "speaker_person",
            "speaker_organization",
            "attribution",
            "speaker_role",
            "speaker_organization_at_time",
            "on_behalf_of",
            "said_on",
            "said_precision",
            "event",
            "text",
            "form",
            "language",
            "topics",
            "bills",
            "sources",
            "created_at",
            "updated_at",
        ]
