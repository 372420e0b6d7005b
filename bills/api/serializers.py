"""Read serializers. They only read prefetched data: the selectors own every query."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from bills.procedure import procedure_for
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


# -- short references embedded in other records -----------------------------------------------


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


# -- records ------------------------------------------------------------------------------------


class SponsorshipSerializer(serializers.ModelSerializer):
    """A person or organization standing behind a bill in a given role."""

    url = serializers.HyperlinkedIdentityField(view_name="sponsorship-detail")
    bill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    person = PersonRefSerializer(read_only=True, allow_null=True)
    organization = OrganizationRefSerializer(read_only=True, allow_null=True)
    chamber = OrganizationRefSerializer(read_only=True, allow_null=True)
    sources = _sources()

    class Meta:
        model = Sponsorship
        fields = [
            "id",
            "url",
            "bill",
            "role",
            "person",
            "organization",
            "chamber",
            "capacity",
            "started_on",
            "started_precision",
            "ended_on",
            "ended_precision",
            "sources",
            "created_at",
            "updated_at",
        ]


class BillActionSerializer(serializers.ModelSerializer):
    """One dated step of a bill's status history."""

    url = serializers.HyperlinkedIdentityField(view_name="bill-action-detail")
    bill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    actor = OrganizationRefSerializer(read_only=True, allow_null=True)
    sources = _sources()

    class Meta:
        model = BillAction
        fields = [
            "id",
            "url",
            "bill",
            "order",
            "occurred_on",
            "occurred_precision",
            "actor",
            "classification",
            "resulting_status",
            "description",
            "skips_unrecorded_steps",
            "sources",
            "created_at",
            "updated_at",
        ]


class StatementOnBillSerializer(serializers.ModelSerializer):
    """A statement as embedded in a bill, with its stance toward that bill."""

    id = serializers.IntegerField(source="statement.id", read_only=True)
    slug = serializers.CharField(source="statement.slug", read_only=True)
    url = serializers.HyperlinkedRelatedField(
        source="statement", view_name="statement-detail", lookup_field="slug", read_only=True
    )
    attribution = serializers.CharField(source="statement.attribution", read_only=True)
    speaker_person = PersonRefSerializer(source="statement.speaker_person", read_only=True)
    said_on = serializers.DateField(source="statement.said_on", read_only=True)
    said_precision = serializers.CharField(source="statement.said_precision", read_only=True)
    form = serializers.CharField(source="statement.form", read_only=True)
    text = serializers.CharField(source="statement.text", read_only=True)
    sources = CitationSerializer(source="statement.citations", many=True, read_only=True)

    class Meta:
        model = StatementBill
        fields = [
            "id",
            "slug",
            "url",
            "attribution",
            "speaker_person",
            "said_on",
            "said_precision",
            "form",
            "text",
            "stance",
            "sources",
        ]


class BillIdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillIdentifier
        fields = ["scheme", "identifier"]


class BillStatusSerializer(serializers.Serializer):
    """A status of the procedure, explained in plain language."""

    code = serializers.CharField()
    label = serializers.CharField()
    explanation = serializers.CharField()
    next_step = serializers.CharField()
    stage = serializers.IntegerField()
    terminal = serializers.BooleanField()
    allowed_next = serializers.ListField(child=serializers.CharField())


class BillSerializer(IncludeAwareSerializer):
    """A bill with its current status; `include` embeds sponsors, actions and statements."""

    url = serializers.HyperlinkedIdentityField(view_name="bill-detail", lookup_field="slug")
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, allow_null=True
    )
    status_explanation = serializers.SerializerMethodField()
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    package = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    originating_chamber = OrganizationRefSerializer(read_only=True, allow_null=True)
    identifiers = BillIdentifierSerializer(many=True, read_only=True)
    sources = _sources()
    sponsors = SponsorshipSerializer(source="sponsorships", many=True, read_only=True)
    actions = BillActionSerializer(many=True, read_only=True)
    statements = StatementOnBillSerializer(source="statement_links", many=True, read_only=True)

    class Meta:
        model = Bill
        include_fields = {"sponsors", "actions", "statements"}
        fields = [
            "id",
            "slug",
            "url",
            "title",
            "title_status",
            "title_ru",
            "title_kk",
            "short_title",
            "summary",
            "status",
            "status_label",
            "status_explanation",
            "status_changed_on",
            "procedure",
            "topics",
            "package",
            "originating_chamber",
            "initiator_kind",
            "introduced_on",
            "introduced_precision",
            "law_number",
            "signed_on",
            "signed_precision",
            "in_force_on",
            "in_force_precision",
            "in_force_rule",
            "identifiers",
            "sources",
            "sponsors",
            "actions",
            "statements",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status_explanation(self, bill: Bill) -> str | None:
        if not bill.status:
            return None
        return procedure_for(bill.procedure).statuses[bill.status].explanation


class PersonNameSerializer(serializers.ModelSerializer):
    sources = _sources()

    class Meta:
        model = PersonName
        fields = ["name", "kind", "language", "note", "sources"]


class MembershipSerializer(serializers.ModelSerializer):
    """A post a person held in an organization."""

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


class PersonSerializer(IncludeAwareSerializer):
    """A public figure; `include=memberships` embeds the posts they held."""

    url = serializers.HyperlinkedIdentityField(view_name="person-detail", lookup_field="slug")
    other_names = PersonNameSerializer(many=True, read_only=True)
    sources = _sources()
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        include_fields = {"memberships"}
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "given_name",
            "family_name",
            "summary",
            "other_names",
            "sources",
            "memberships",
            "created_at",
            "updated_at",
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    """A body acting in the legislative process or speaking about it."""

    url = serializers.HyperlinkedIdentityField(view_name="organization-detail", lookup_field="slug")
    parent = OrganizationRefSerializer(read_only=True, allow_null=True)
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


class EventRefSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")

    class Meta:
        model = Event
        fields = ["id", "slug", "url", "name", "starts_on"]


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
