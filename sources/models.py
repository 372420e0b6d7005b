"""Source documents and the citations that tie any record to them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from policytracker import visibility
from policytracker.models import (
    DatePrecision,
    PublishableModel,
    TimeStampedModel,
    date_precision_constraints,
    precision_field,
)


class SourceKind(models.TextChoices):
    NEWS_ARTICLE = "news_article", "News article"
    OFFICIAL_RECORD = "official_record", "Official record (law text, government decree)"
    PARLIAMENTARY_RECORD = "parliamentary_record", "Parliamentary record"
    PRESS_RELEASE = "press_release", "Press release"
    NGO_REPORT = "ngo_report", "NGO report"
    GOVERNMENT_REPORT = "government_report", "Government report"
    LEGAL_DATABASE = "legal_database", "Legal database or mirror of official texts"
    OTHER = "other", "Other"


class Source(PublishableModel):
    """A document that asserts facts: an article, a law text, a decree, a press release."""

    url = models.URLField(
        max_length=1000, unique=True, help_text="Canonical address of the document."
    )
    title = models.CharField(max_length=500, help_text="Title as the document gives it.")
    publisher = models.CharField(max_length=200, blank=True, help_text="Outlet or issuing body.")
    author = models.CharField(max_length=300, blank=True, help_text="Author(s), as credited.")
    published_on = models.DateField(null=True, blank=True, help_text="Publication date, if known.")
    published_precision = precision_field("publication date")
    language = models.CharField(
        max_length=16, blank=True, help_text="BCP 47 language code of the document (en, ru, kk)."
    )
    kind = models.CharField(max_length=32, choices=SourceKind.choices, default=SourceKind.OTHER)
    archived_url = models.URLField(
        max_length=1000, blank=True, help_text="Address of an archived snapshot."
    )
    accessed_on = models.DateField(
        null=True, blank=True, help_text="When a curator last read the document."
    )
    content_sha256 = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the document text as read, if kept."
    )
    notes = models.TextField(blank=True, help_text="Curators' notes on reliability or caveats.")

    class Meta:
        ordering = ["-published_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            *date_precision_constraints("published_on", "published_precision", "source"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher or self.url})"

    @property
    def archived(self) -> bool:
        """Whether an archived copy is recorded (a reader is told "not archived" otherwise)."""
        return bool(self.archived_url)


visibility.register(Source)


class ExcerptKind(models.TextChoices):
    QUOTE = "quote", "Verbatim quote from the source"
    PARAPHRASE = "paraphrase", "Paraphrase of the source"


class CitationRelation(models.TextChoices):
    SUPPORTS = "supports", "Supports the recorded fact"
    CONTRADICTS = "contradicts", "Contradicts the recorded fact (a conflicting claim)"


CLAIM_REQUIRED = "A contradicting citation must state what the source claims."


@dataclass(frozen=True)
class CitationRequirement:
    """Which records of a model must cite a source: all (`when` is None) or those `when`
    accepts; `which` narrows the record's name in the refusal (" other than 'unclear'")."""

    when: Callable[[models.Model], bool] | None = None
    which: str = ""

    def applies(self, record: models.Model | None) -> bool:
        return self.when is None or record is None or self.when(record)


# Models whose records must cite at least one source (registered by their app).
CITATION_REQUIRED: dict[type[models.Model], CitationRequirement] = {}


def require_citation(
    model: type[models.Model],
    *,
    when: Callable[[models.Model], bool] | None = None,
    which: str = "",
) -> None:
    """Declare that every record of `model` (or every one `when` accepts) cites at least one
    source, from creation on."""
    CITATION_REQUIRED[model] = CitationRequirement(when=when, which=which)


def citable_content_types() -> Q:
    """The content types a citation may point at: the registered models with citations."""
    return Q(
        pk__in=[
            ContentType.objects.get_for_model(model).pk for model in visibility.citable_models()
        ]
    )


class CitationQuerySet(visibility.VisibilityQuerySet):
    def under_visible_record(self, *, see_drafts: bool) -> "CitationQuerySet":
        """Citations embedded in a record the caller already passed the gate for: only their
        source's visibility is left to check."""
        return self if see_drafts else self.filter(visibility.public_q(Source, "source__"))

    def for_object(self, obj: models.Model) -> "CitationQuerySet":
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def conflicts(self) -> "CitationQuerySet":
        return self.filter(relation=CitationRelation.CONTRADICTS)


class Citation(TimeStampedModel):
    """Ties one record (or one of its fields) to a Source, with the excerpt that supports it.

    A citation that *contradicts* the record keeps the conflicting claim as data: curators resolve
    it explicitly (resolution_note), and the API shows both claims.
    """

    # PROTECT: a source that still backs a fact must not vanish with it.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, limit_choices_to=citable_content_types
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field_name = models.CharField(
        max_length=64,
        blank=True,
        help_text="The field this citation backs (e.g. 'occurred_on'); blank for the whole record.",
    )
    excerpt = models.TextField(help_text="The sentence in the source that supports the fact.")
    excerpt_kind = models.CharField(
        max_length=16, choices=ExcerptKind.choices, default=ExcerptKind.QUOTE
    )
    locator = models.CharField(
        max_length=200, blank=True, help_text="Where in the source: paragraph, page, article."
    )
    relation = models.CharField(
        max_length=16, choices=CitationRelation.choices, default=CitationRelation.SUPPORTS
    )
    claimed_value = models.CharField(
        max_length=500,
        blank=True,
        help_text="What this source claims for the field, when it differs from the record.",
    )
    resolution_note = models.TextField(
        blank=True, help_text="How curators weighed a conflicting claim; blank while unresolved."
    )

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["content_type_id", "object_id", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_record_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(excerpt_kind__in=ExcerptKind.values), name="citation_excerpt_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=CitationRelation.values), name="citation_relation_valid"
            ),
            models.CheckConstraint(condition=~Q(excerpt=""), name="citation_excerpt_not_empty"),
            models.CheckConstraint(
                condition=Q(relation=CitationRelation.SUPPORTS) | ~Q(claimed_value=""),
                name="citation_contradiction_states_claim",
                violation_error_message=CLAIM_REQUIRED,
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "source", "field_name", "excerpt"],
                name="citation_unique_per_record_source_excerpt",
                violation_error_message="This record already cites this excerpt of this source.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.content_type.model} #{self.object_id}"

    def clean(self):
        super().clean()
        if self.relation == CitationRelation.CONTRADICTS and not self.claimed_value:
            raise ValidationError({"claimed_value": CLAIM_REQUIRED})

    @property
    def is_conflict(self) -> bool:
        return self.relation == CitationRelation.CONTRADICTS


visibility.register(Citation, requires=("source",), generic_record=True)


__all__ = [
    "CITATION_REQUIRED",
    "Citation",
    "CitationRequirement",
    "CitationRelation",
    "DatePrecision",
    "ExcerptKind",
    "Source",
    "SourceKind",
    "require_citation",
]
