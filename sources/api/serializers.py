"""Read serializers for sources and the citations embedded in every record."""

from rest_framework import serializers

from sources.models import Citation, Source

ARCHIVED_HELP = "Whether an archived copy of the document is recorded (false: not archived)."


class SourceSummarySerializer(serializers.ModelSerializer):
    """The fields of a source a reader needs next to a cited fact: where it is, when it was
    read, and its archived copy (or `archived: false` when none is recorded)."""

    archived = serializers.BooleanField(read_only=True, help_text=ARCHIVED_HELP)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "title",
            "publisher",
            "published_on",
            "published_precision",
            "kind",
            "accessed_on",
            "archived_url",
            "archived",
        ]


class CitationSerializer(serializers.ModelSerializer):
    """One source backing a record (or one field of it), with the supporting excerpt. Citations
    of a source the caller may not see (a draft) are omitted, never shown without their source."""

    source = SourceSummarySerializer(read_only=True)
    field = serializers.CharField(
        source="field_name", help_text="The field this citation backs; empty for the whole record."
    )

    class Meta:
        model = Citation
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


class SourceSerializer(serializers.HyperlinkedModelSerializer):
    """A source document."""

    url = serializers.HyperlinkedIdentityField(view_name="source-detail")
    document_url = serializers.URLField(source="url", help_text="Address of the document.")
    archived = serializers.BooleanField(read_only=True, help_text=ARCHIVED_HELP)

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "document_url",
            "title",
            "publisher",
            "author",
            "published_on",
            "published_precision",
            "language",
            "kind",
            "archived_url",
            "archived",
            "accessed_on",
            "content_sha256",
            "notes",
            "created_at",
            "updated_at",
        ]


class CitationRecordSerializer(CitationSerializer):
    """A citation as its own resource: which record it backs, and the excerpt. Listed only when
    the caller may see both its source and the record it backs."""

    url = serializers.HyperlinkedIdentityField(view_name="citation-detail")
    record_type = serializers.CharField(source="content_type.model", read_only=True)
    record_id = serializers.IntegerField(source="object_id", read_only=True)

    class Meta(CitationSerializer.Meta):
        fields = [
            "id",
            "url",
            "record_type",
            "record_id",
            *CitationSerializer.Meta.fields,
            "created_at",
            "updated_at",
        ]
