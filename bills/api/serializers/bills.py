"""Read serializers for bills, their status history, sponsors and statements about them."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bills.api.serializers.refs import (
    IncludeAwareSerializer,
    OrganizationRefSerializer,
    PersonRefSerializer,
    VisibleSlugRelatedField,
    _sources,
    feed_link,
    reference_help,
)
from bills.api.translated import LANGUAGES_HELP, content_language
from bills.fate import fate_note
from bills.models import Bill, BillAction, BillIdentifier, Sponsorship, StatementBill
from bills.procedure import procedure_for
from bills.texts import languages_of, text_of
from sources.api.serializers import CitationSerializer


class SponsorshipSerializer(serializers.ModelSerializer):
    """A person or organization standing behind a bill in a given role. A sponsorship is shown
    only with its bill and sponsor; its `chamber` is `null` when the caller may not see it."""

    url = serializers.HyperlinkedIdentityField(view_name="sponsorship-detail")
    bill = VisibleSlugRelatedField(slug_field="slug", read_only=True)
    person = PersonRefSerializer(
        read_only=True, allow_null=True, help_text="The sponsoring person, if a person."
    )
    organization = OrganizationRefSerializer(
        read_only=True, allow_null=True, help_text="The sponsoring organization, if a body."
    )
    chamber = OrganizationRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=reference_help("For presenters: the chamber the bill was presented in."),
    )
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
    """One dated step of a bill's status history; its `actor` is `null` when the caller may not
    see that organization."""

    url = serializers.HyperlinkedIdentityField(view_name="bill-action-detail")
    bill = VisibleSlugRelatedField(slug_field="slug", read_only=True)
    actor = OrganizationRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("The acting organization.")
    )
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
    """A statement as embedded in a bill, with its stance toward that bill; `speaker_person` is
    `null` when the caller may not see that person."""

    id = serializers.IntegerField(source="statement.id", read_only=True)
    slug = serializers.CharField(source="statement.slug", read_only=True)
    url = serializers.HyperlinkedRelatedField(
        source="statement", view_name="statement-detail", lookup_field="slug", read_only=True
    )
    attribution = serializers.CharField(source="statement.attribution", read_only=True)
    speaker_person = PersonRefSerializer(
        source="statement.speaker_person",
        read_only=True,
        allow_null=True,
        help_text=reference_help("The person who spoke."),
    )
    said_on = serializers.DateField(source="statement.said_on", read_only=True)
    said_precision = serializers.CharField(source="statement.said_precision", read_only=True)
    form = serializers.CharField(source="statement.form", read_only=True)
    text = serializers.CharField(source="statement.text", read_only=True)
    sources = CitationSerializer(source="statement.citations", many=True, read_only=True)
    stance_sources = CitationSerializer(
        source="citations",
        many=True,
        read_only=True,
        help_text="The excerpts showing the stance toward this bill; none when it is 'unclear'.",
    )

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
            "stance_sources",
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


class BillTextLanguagesSerializer(serializers.Serializer):
    """The language each text field of a bill is given in."""

    title = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGE_CHOICES)
    short_title = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGE_CHOICES)
    summary = serializers.ChoiceField(choices=settings.CONTENT_LANGUAGE_CHOICES)


class BillSerializer(IncludeAwareSerializer):
    """A bill with its current status; `include` embeds sponsors, actions and statements.

    Only what the caller may see is shown: a draft `package` or `originating_chamber` is `null`,
    and sponsors, actions, statements and sources the caller may not see are omitted."""

    url = serializers.HyperlinkedIdentityField(view_name="bill-detail", lookup_field="slug")
    feed_url = feed_link(
        "feed-bill",
        "the bill's status changes and the statements about it",
        "bills/kz-2016-counter-intelligence.atom",
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, allow_null=True
    )
    status_explanation = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField(help_text=LANGUAGES_HELP)
    fate = serializers.SerializerMethodField(
        help_text="Plain words on what is known of the bill's fate: 'Fate unknown after the "
        "last recorded step: …' while the last recorded step does not end the procedure and "
        "nothing later is recorded; null once it does (in force, withdrawn, not adopted)."
    )
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    package = VisibleSlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=reference_help("Slug of the package the bill belongs to."),
    )
    originating_chamber = OrganizationRefSerializer(
        read_only=True, allow_null=True, help_text=reference_help("The originating chamber.")
    )
    identifiers = BillIdentifierSerializer(many=True, read_only=True)
    sources = _sources()
    sponsors = SponsorshipSerializer(
        source="sponsorships",
        many=True,
        read_only=True,
        help_text="With include=sponsors: the sponsorships the caller may see.",
    )
    actions = BillActionSerializer(
        many=True, read_only=True, help_text="With include=actions: the status history."
    )
    statements = StatementOnBillSerializer(
        source="statement_links",
        many=True,
        read_only=True,
        help_text="With include=statements: the statements the caller may see about the bill.",
    )

    class Meta:
        model = Bill
        include_fields = {"sponsors", "actions", "statements"}
        fields = [
            "id",
            "slug",
            "url",
            "feed_url",
            "title",
            "title_status",
            "title_ru",
            "title_kk",
            "short_title",
            "summary",
            "languages",
            "status",
            "status_label",
            "status_explanation",
            "status_changed_on",
            "status_changed_precision",
            "fate",
            "last_verified_on",
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

    def to_representation(self, bill: Bill) -> dict:
        """The texts in the caller's content language (English where none is recorded) and the
        status vocabulary in it, as the lean documents give them."""
        data = super().to_representation(bill)
        language = self._language()
        for name in ("title", "short_title", "summary"):
            if name in data:
                data[name] = text_of(bill, name, language)
        if data.get("status_label") and bill.status:
            with translation.override(language):
                data["status_label"] = gettext(bill.get_status_display())
        return data

    def _language(self) -> str:
        return content_language(self.context.get("request"))

    @extend_schema_field(BillTextLanguagesSerializer)
    def get_languages(self, bill: Bill) -> dict:
        return languages_of(bill, self._language())

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_fate(self, bill: Bill) -> str | None:
        return fate_note(bill)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_status_explanation(self, bill: Bill) -> str | None:
        if not bill.status:
            return None
        explanation = procedure_for(bill.procedure).statuses[bill.status].explanation
        with translation.override(self._language()):
            return gettext(explanation)
