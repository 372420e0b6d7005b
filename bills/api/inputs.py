"""Write inputs for the curation API. They check shape; services enforce the rules."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bills.models import (
    Bill,
    BillPackage,
    BillStatus,
    Event,
    Membership,
    Organization,
    Person,
    Stance,
    Statement,
    Topic,
)
from bills.procedure import ActionClassification
from bills.translation import TRANSLATED_BILL_FIELDS
from policytracker.aliases.selectors import record_for_alias
from policytracker.filters import SLUG_PATTERN
from policytracker.inputs import (
    NO_UNIQUE_VALIDATORS,
    DatedInputMixin,
    StrictInputMixin,
    slug_field,
)
from policytracker.models import DatePrecision
from sources.api.inputs import MAX_NESTED_ITEMS, CitationFieldsSerializer, NestedListSerializer
from sources.services import NEEDS_CITATION

SOURCE_NEEDED = NEEDS_CITATION.format(record=Statement._meta.verbose_name)


class BillInputSerializer(DatedInputMixin, serializers.ModelSerializer):
    """A bill's curated fields. Status is not among them: it changes only through actions."""

    topics = slug_field(Topic.objects.all(), many=True, required=False)
    package = slug_field(BillPackage.objects.all(), required=False, allow_null=True)
    originating_chamber = slug_field(Organization.objects.all(), required=False, allow_null=True)
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, write_only=True
    )

    class Meta:
        model = Bill
        fields = [
            "slug",
            "title",
            "title_status",
            "title_ru",
            "title_kk",
            "short_title",
            "short_title_ru",
            "short_title_kk",
            "summary",
            "summary_ru",
            "summary_kk",
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
            "procedure",
            "sources",
        ]
        extra_kwargs = {
            "slug": NO_UNIQUE_VALIDATORS,
            "law_number": NO_UNIQUE_VALIDATORS,
            # Translations (bills/translation.py): "" when none is recorded, as in English.
            **{
                f"{name}_{language}": {"allow_null": False}
                for name in TRANSLATED_BILL_FIELDS
                for language in ("ru", "kk")
            },
        }
        date_pairs = [
            ("introduced_on", "introduced_precision"),
            ("signed_on", "signed_precision"),
            ("in_force_on", "in_force_precision"),
        ]


class BillActionInputSerializer(StrictInputMixin, serializers.Serializer):
    """A status change to record; the transition rules decide whether it is allowed."""

    to_status = serializers.ChoiceField(choices=BillStatus.choices)
    occurred_on = serializers.DateField(allow_null=True, required=False, default=None)
    occurred_precision = serializers.ChoiceField(
        choices=DatePrecision.choices, required=False, default=DatePrecision.DAY
    )
    actor = slug_field(Organization.objects.all(), required=False, allow_null=True)
    classification = serializers.ChoiceField(
        choices=ActionClassification.choices, required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    skips_unrecorded_steps = serializers.BooleanField(required=False, default=False)
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, default=list
    )


class PersonInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, write_only=True
    )

    class Meta:
        model = Person
        fields = ["slug", "name", "given_name", "family_name", "summary", "sources"]
        extra_kwargs = {"slug": NO_UNIQUE_VALIDATORS}


@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN})
class VisiblePersonSlugField(serializers.SlugRelatedField):
    """A person the caller may see, by current slug or by an old one (an alias)."""

    def get_queryset(self):
        user = getattr(self.context.get("request"), "user", None)
        return Person.objects.visible_to(user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            if isinstance(data, str):
                record = record_for_alias(Person, data, self.get_queryset())
                if record is not None:
                    return record
            raise


class PersonMergeInputSerializer(StrictInputMixin, serializers.Serializer):
    into = VisiblePersonSlugField(
        slug_field="slug",
        help_text="Slug of the person record that stays; this one is folded into it.",
    )


class OrganizationInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    parent = slug_field(Organization.objects.all(), required=False, allow_null=True)
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, write_only=True
    )

    class Meta:
        model = Organization
        fields = [
            "slug",
            "name",
            "abbreviation",
            "classification",
            "parent",
            "other_names",
            "description",
            "sources",
        ]
        extra_kwargs = {"slug": NO_UNIQUE_VALIDATORS}


class MembershipInputSerializer(DatedInputMixin, serializers.ModelSerializer):
    person = slug_field(Person.objects.all())
    organization = slug_field(Organization.objects.all())
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, write_only=True
    )

    class Meta:
        model = Membership
        fields = [
            "person",
            "organization",
            "role",
            "start_on",
            "start_precision",
            "end_on",
            "end_precision",
            "sources",
        ]
        validators = []  # uniqueness of the post is checked by the service (409)
        date_pairs = [("start_on", "start_precision"), ("end_on", "end_precision")]


class EventInputSerializer(DatedInputMixin, serializers.ModelSerializer):
    organizer = slug_field(Organization.objects.all(), required=False, allow_null=True)
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, write_only=True
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "kind",
            "starts_on",
            "starts_precision",
            "place",
            "organizer",
            "description",
            "sources",
        ]
        extra_kwargs = {"slug": NO_UNIQUE_VALIDATORS}
        date_pairs = [("starts_on", "starts_precision")]


class StanceInputSerializer(StrictInputMixin, serializers.Serializer):
    """A stance toward one bill: a claim of its own, so anything but `unclear` cites the
    excerpt that shows it (`sources`; given, they replace the stance's sources)."""

    bill = slug_field(Bill.objects.all())
    stance = serializers.ChoiceField(choices=Stance.choices, default=Stance.UNCLEAR)
    sources = CitationFieldsSerializer(
        many=True,
        max_length=MAX_NESTED_ITEMS,
        required=False,
        help_text="The excerpts showing this stance (needed unless it is 'unclear'); they "
        "replace the stance's sources. Left out, the stance keeps its sources.",
    )

    class Meta:
        list_serializer_class = NestedListSerializer


class StatementInputSerializer(DatedInputMixin, serializers.ModelSerializer):
    """A statement. On create, `sources` must hold at least one citation."""

    speaker_person = slug_field(Person.objects.all(), required=False, allow_null=True)
    speaker_organization = slug_field(Organization.objects.all(), required=False, allow_null=True)
    speaker_membership = serializers.PrimaryKeyRelatedField(
        queryset=Membership.objects.all(), required=False, allow_null=True
    )
    on_behalf_of = slug_field(Organization.objects.all(), required=False, allow_null=True)
    event = slug_field(Event.objects.all(), required=False, allow_null=True)
    topics = slug_field(Topic.objects.all(), many=True, required=False)
    bills = StanceInputSerializer(many=True, max_length=MAX_NESTED_ITEMS, required=False)
    sources = CitationFieldsSerializer(
        many=True, max_length=MAX_NESTED_ITEMS, required=False, write_only=True
    )

    class Meta:
        model = Statement
        fields = [
            "slug",
            "speaker_person",
            "speaker_organization",
            "attribution",
            "speaker_role",
            "speaker_membership",
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
        ]
        extra_kwargs = {"slug": NO_UNIQUE_VALIDATORS}
        # (event, sequence) is unique: the service and the constraint say so, naming the field;
        # DRF's validator would make both required.
        validators = []
        date_pairs = [("said_on", "said_precision")]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        person = attrs.get("speaker_person", getattr(self.instance, "speaker_person", None))
        organization = attrs.get(
            "speaker_organization", getattr(self.instance, "speaker_organization", None)
        )
        if person and organization:
            raise serializers.ValidationError(
                {"speaker_organization": "Give a speaking person or an organization, not both."}
            )
        return attrs


class StatementCreateInputSerializer(StatementInputSerializer):
    """A new statement: it is created with at least one source (the rule the service keeps),
    so the input, and the schema, require `sources`."""

    sources = CitationFieldsSerializer(
        many=True,
        min_length=1,
        max_length=MAX_NESTED_ITEMS,
        write_only=True,
        error_messages={"required": SOURCE_NEEDED, "min_length": SOURCE_NEEDED},
    )

    class Meta(StatementInputSerializer.Meta):
        pass
