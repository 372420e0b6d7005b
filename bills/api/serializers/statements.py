"""Read serializers for events and statements."""

from rest_framework import serializers

from bills.api.serializers.refs import (
    BillRefSerializer,
    EventRefSerializer,
    OrganizationRefSerializer,
    PersonRefSerializer,
    _sources,
    reference_help,
)
from bills.models import Event, Statement, StatementBill


class EventSerializer(serializers.ModelSerializer):
    """A roundtable, sitting, address or other dated event; its `organizer` is `null` when the
    caller may not see that organization."""

    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")
    organizer = OrganizationRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("The organizing body.")
    )
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
    """The stance a statement takes toward one bill (listed only when the bill is visible)."""

    bill = BillRefSerializer(read_only=True)
    sources = _sources(
        help_text="The excerpts showing this stance (a claim of its own); none when the stance "
        "is 'unclear'."
    )

    class Meta:
        model = StatementBill
        fields = ["bill", "stance", "sources"]


class StatementSerializer(serializers.ModelSerializer):
    """What a person or organization said, with its stance toward each bill it concerns.

    References to records the caller may not see (a draft speaker, event, organization, or the
    post at the time) are `null`; stances toward bills the caller may not see are omitted. The
    `attribution` is the source's own wording and is always shown."""

    url = serializers.HyperlinkedIdentityField(view_name="statement-detail", lookup_field="slug")
    speaker_person = PersonRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("The person who spoke.")
    )
    speaker_organization = OrganizationRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("The speaking organization.")
    )
    speaker_organization_at_time = OrganizationRefSerializer(
        source="speaker_membership.organization",
        read_only=True,
        allow_null=True,
        help_text=reference_help(
            "The organization of the speaker's post when speaking (null also when that post "
            "is not public)."
        ),
    )
    on_behalf_of = OrganizationRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=reference_help("The organization the speaker spoke for."),
    )
    event = EventRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("Where it was said.")
    )
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    bills = StanceSerializer(
        source="bill_links",
        many=True,
        read_only=True,
        help_text="Stances toward the bills it concerns; bills the caller may not see are omitted.",
    )
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
            "sequence",
            "text",
            "form",
            "language",
            "topics",
            "bills",
            "sources",
            "created_at",
            "updated_at",
        ]
