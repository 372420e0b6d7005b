"""Building blocks shared by the read serializers: short references and `include=` support.

Visibility (the one gate, policytracker.visibility) reaches the output in two ways: lists
embedded in a record (sponsors, posts, stances, sources …) come from the selectors already
gated, so rows the caller may not see are omitted; a single reference to a record the caller
may not see (a draft package, chamber, speaker, event …) is served as `null` by
`VisibleReferenceMixin`, never its name or slug.
"""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from bills.api.name_disputes import name_dispute
from bills.api.translated import content_language
from bills.models import Bill, Event, Organization, Person, Topic
from bills.texts import text_of
from policytracker.visibility import is_visible
from sources.api.serializers import CitationSerializer

EXAMPLE_FEEDS = "https://api.example.org/api/v1/feeds"
# Appended to the description of every reference that may be hidden.
HIDDEN_IS_NULL = "Null when there is none, or when it is not public (a draft) for this caller."


def reference_help(text: str) -> str:
    return f"{text} {HIDDEN_IS_NULL}"


class VisibleReferenceMixin:
    """For reference fields: `null` when any record along the field's source is hidden.

    The source path is walked (`speaker_membership.organization` checks the post, then the
    organization) with `visibility.is_visible`; selectors select the records walked and what
    their rule requires, so this costs no query.
    """

    def get_attribute(self, instance):
        see_drafts = self.context.get("see_drafts", False)
        current = instance
        for attr in self.source_attrs:
            current = get_attribute(current, [attr])
            if current is None:
                return None
            if isinstance(current, models.Model) and not is_visible(current, see_drafts=see_drafts):
                return None
        return super().get_attribute(instance)


class VisibleSlugRelatedField(VisibleReferenceMixin, serializers.SlugRelatedField):
    """A related record's slug, or `null` when the caller may not see that record."""


def _sources(**kwargs) -> CitationSerializer:
    kwargs.setdefault(
        "help_text", "The sources backing this record, each with the supporting excerpt."
    )
    return CitationSerializer(source="citations", many=True, read_only=True, **kwargs)


def feed_link(view_name: str, what: str, example: str) -> serializers.HyperlinkedIdentityField:
    """The address of the record's Atom feed (bills/feeds); `example` is its path under
    /api/v1/feeds/ for a seed record, shown in the schema."""
    schema = {"type": "string", "format": "uri", "example": f"{EXAMPLE_FEEDS}/{example}"}
    field_class = extend_schema_field(schema)(
        type("FeedLinkField", (serializers.HyperlinkedIdentityField,), {})
    )
    return field_class(view_name=view_name, lookup_field="slug", help_text=f"Atom feed of {what}.")


class IncludeAwareSerializer(serializers.ModelSerializer):
    """Drops the fields named in `Meta.include_fields` unless `?include=` asked for them. With
    no `include` in its context (the OpenAPI schema is built so) it keeps them all, so the
    documented component lists every field an `include=` can add, as optional."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        include = self.context.get("include")
        if include is None:
            return
        for name in getattr(self.Meta, "include_fields", {}):
            if name not in include:
                self.fields.pop(name, None)


class OrganizationRefSerializer(VisibleReferenceMixin, serializers.ModelSerializer):
    """A short reference to an organization; `null` where the caller may not see it."""

    url = serializers.HyperlinkedIdentityField(view_name="organization-detail", lookup_field="slug")

    class Meta:
        model = Organization
        fields = ["id", "slug", "url", "name", "abbreviation", "classification"]


class CitedExcerptSerializer(serializers.Serializer):
    """A source named by id, address and title, with the excerpt it gives."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    title = serializers.CharField()
    excerpt = serializers.CharField()


class DisputedNameSerializer(serializers.Serializer):
    """A name a source gives a person that conflicts with the name shown."""

    name = serializers.CharField()
    sources = CitedExcerptSerializer(many=True)


class NameDisputeMixin(serializers.Serializer):
    """`name_disputed` and `disputed_names` of the person serialized (bills.api.name_disputes):
    wherever a person's name is shown, a disputed name says so."""

    name_disputed = serializers.SerializerMethodField(
        help_text="True when a source disputes this person's name: see disputed_names and the "
        "person's sources (contradicting citations)."
    )
    disputed_names = serializers.SerializerMethodField(
        help_text="Conflicting names other sources give, each with its sources."
    )

    def _dispute(self, person) -> dict:
        cache = self.context.setdefault("_name_disputes", {})
        if person.pk not in cache:
            cache[person.pk] = name_dispute(
                person, see_drafts=self.context.get("see_drafts", False)
            )
        return cache[person.pk]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_name_disputed(self, person) -> bool:
        return self._dispute(person)["name_disputed"]

    @extend_schema_field(DisputedNameSerializer(many=True))
    def get_disputed_names(self, person) -> list:
        return self._dispute(person)["disputed_names"]


class PersonRefSerializer(VisibleReferenceMixin, NameDisputeMixin, serializers.ModelSerializer):
    """A short reference to a person; `null` where the caller may not see it. A disputed name
    is flagged (`name_disputed`, `disputed_names`)."""

    url = serializers.HyperlinkedIdentityField(view_name="person-detail", lookup_field="slug")

    class Meta:
        model = Person
        fields = ["id", "slug", "url", "name", "name_disputed", "disputed_names"]


class BillRefSerializer(VisibleReferenceMixin, serializers.ModelSerializer):
    """A short reference to a bill; `null` where the caller may not see it."""

    url = serializers.HyperlinkedIdentityField(view_name="bill-detail", lookup_field="slug")

    class Meta:
        model = Bill
        fields = ["id", "slug", "url", "short_title", "status"]

    def to_representation(self, bill):
        data = super().to_representation(bill)
        if data is not None and "short_title" in data:
            language = content_language(self.context.get("request"))
            data["short_title"] = text_of(bill, "short_title", language)
        return data


class TopicSerializer(serializers.ModelSerializer):
    """A subject in the controlled vocabulary."""

    url = serializers.HyperlinkedIdentityField(view_name="topic-detail", lookup_field="slug")
    feed_url = feed_link(
        "feed-topic",
        "the status changes of its bills and the statements about them",
        "topics/information-security.atom",
    )

    class Meta:
        model = Topic
        fields = [
            "id",
            "slug",
            "url",
            "feed_url",
            "name",
            "description",
            "created_at",
            "updated_at",
        ]


class EventRefSerializer(VisibleReferenceMixin, serializers.ModelSerializer):
    """A short reference to an event; `null` where the caller may not see it."""

    url = serializers.HyperlinkedIdentityField(view_name="event-detail", lookup_field="slug")

    class Meta:
        model = Event
        fields = ["id", "slug", "url", "name", "starts_on"]
