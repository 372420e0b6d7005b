"""Write inputs for sources and citations (shape only)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.settings import api_settings

from policytracker.inputs import DatedInputMixin, StrictInputMixin
from sources.models import Citation, Source
from sources.services import citable_kinds

# Nested rows one write may carry (`sources`, a statement's `bills`): each is written and
# checked row by row, so an unbounded list would run past the worker's timeout.
MAX_NESTED_ITEMS = 100
NON_FIELD_ERRORS_KEY = api_settings.NON_FIELD_ERRORS_KEY


class NestedListSerializer(serializers.ListSerializer):
    """A nested input list; it must be bounded (`max_length`), and the schema says so."""

    def __init__(self, *args, **kwargs):
        if kwargs.get("max_length") is None:
            raise ImproperlyConfigured("A nested input list needs max_length.")
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        # DRF files a wrong item count under `non_field_errors`; name the list itself instead.
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict) and set(error.detail) == {NON_FIELD_ERRORS_KEY}:
                raise serializers.ValidationError(error.detail[NON_FIELD_ERRORS_KEY]) from error
            raise


class NestedListSchema(OpenApiSerializerFieldExtension):
    """Documents a nested list's bounds as `minItems`/`maxItems` (drf-spectacular leaves them
    out)."""

    target_class = NestedListSerializer

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if self.target.min_length:
            schema["minItems"] = self.target.min_length
        return {**schema, "maxItems": self.target.max_length}


class SourceInputSerializer(DatedInputMixin, serializers.ModelSerializer):
    document_url = serializers.URLField(
        source="url", max_length=1000, help_text="Address of the document (unique)."
    )

    class Meta:
        model = Source
        fields = [
            "document_url",
            "title",
            "publisher",
            "author",
            "published_on",
            "published_precision",
            "language",
            "kind",
            "archived_url",
            "accessed_on",
            "content_sha256",
            "notes",
        ]
        date_pairs = [("published_on", "published_precision")]


class CitationFieldsSerializer(StrictInputMixin, serializers.ModelSerializer):
    """The parts of a citation given inline when creating a record (`sources: [...]`)."""

    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())
    field = serializers.CharField(source="field_name", required=False, allow_blank=True)

    class Meta:
        model = Citation
        list_serializer_class = NestedListSerializer
        fields = [
            "source",
            "excerpt",
            "excerpt_kind",
            "locator",
            "field",
            "relation",
            "claimed_value",
            "resolution_note",
        ]

    def validate(self, attrs):
        if attrs.get("relation") == "contradicts" and not attrs.get("claimed_value"):
            raise serializers.ValidationError(
                {"claimed_value": "A contradicting citation must state what the source claims."}
            )
        return attrs


class CitationInputSerializer(CitationFieldsSerializer):
    """A stand-alone citation: which record it backs, and the source excerpt. Whether that
    record exists and has the cited field is the service's rule (sources.services)."""

    record_type = serializers.ChoiceField(
        choices=sorted(citable_kinds()),
        write_only=True,
        help_text="Model name of the cited record: bill, statement, person, …",
    )
    record_id = serializers.IntegerField(write_only=True, min_value=1)

    class Meta(CitationFieldsSerializer.Meta):
        fields = [*CitationFieldsSerializer.Meta.fields, "record_type", "record_id"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        record_type = attrs.pop("record_type", None)
        record_id = attrs.pop("record_id", None)
        if record_type is None and record_id is None:
            return attrs  # a partial update keeps the cited record
        if record_type is None or record_id is None:
            missing = "record_type" if record_type is None else "record_id"
            raise serializers.ValidationError({missing: "Give record_type and record_id together."})
        model = citable_kinds()[record_type]
        attrs["content_type"] = ContentType.objects.get_for_model(model)
        attrs["object_id"] = record_id
        return attrs
