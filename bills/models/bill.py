"""Bills, with the topics and packages that group them; their parts are in `bill_parts`."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bills.procedure import DEFAULT_PROCEDURE, BillStatus, ProcedureCode
from policytracker import visibility
from policytracker.models import (
    DatePrecision,
    PublishableModel,
    TimeStampedModel,
    date_precision_constraints,
    precision_field,
)

TITLE_REQUIRED = "Give the title, or set the title status to 'unknown'."


class Topic(TimeStampedModel):
    """A controlled-vocabulary subject (e.g. information security)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


visibility.register(Topic)


class BillPackage(PublishableModel):
    """A set of bills announced or handled together (e.g. the President's package of seven)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    announced_on = models.DateField(null=True, blank=True)
    announced_precision = precision_field("announcement date")
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            *date_precision_constraints("announced_on", "announced_precision", "package")
        ]

    def __str__(self) -> str:
        return self.name


visibility.register(BillPackage)


class TitleStatus(models.TextChoices):
    VERIFIED = "verified", "Verified in a cited source"
    PROVISIONAL = "provisional", "Provisional working title, not verified"
    UNKNOWN = "unknown", "Title unknown"


class InitiatorKind(models.TextChoices):
    GOVERNMENT = "government", "Government"
    DEPUTIES = "deputies", "Deputies"
    PRESIDENT = "president", "President"
    UNKNOWN = "unknown", "Unknown"


class Bill(PublishableModel):
    """A bill, from announcement to entry into force; its status is derived from its actions."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable public identifier.")
    # default="": also the default of each language's column (bills/translation.py), so a
    # translation not recorded is "" like an English text, never NULL.
    title = models.CharField(
        max_length=500,
        blank=True,
        default="",
        help_text="Official or working English title; empty when no source gives one.",
    )
    title_status = models.CharField(
        max_length=16,
        choices=TitleStatus.choices,
        default=TitleStatus.UNKNOWN,
        help_text="Whether the title is verified, a provisional working title, or unknown.",
    )
    # title_en, title_ru, title_kk (and short_title_*, summary_*): bills/translation.py.
    short_title = models.CharField(
        max_length=200,
        default="",
        help_text="Curators' short label for lists (not an official title).",
    )
    summary = models.TextField(blank=True, default="")
    topics = models.ManyToManyField(Topic, blank=True, related_name="bills")
    package = models.ForeignKey(
        BillPackage,
        null=True,
        blank=True,
        # SET_NULL: a package is a grouping; deleting it must not delete its bills.
        on_delete=models.SET_NULL,
        related_name="bills",
    )
    # SET_NULL: chambers are reference data; a bill outlives a curator's clean-up.
    originating_chamber = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="originated_bills",
    )
    initiator_kind = models.CharField(
        max_length=16, choices=InitiatorKind.choices, default=InitiatorKind.UNKNOWN
    )
    introduced_on = models.DateField(
        null=True, blank=True, help_text="Date of formal submission to the Mazhilis, if known."
    )
    introduced_precision = precision_field("introduction date")
    law_number = models.CharField(
        max_length=32, blank=True, help_text="Number of the enacted law, e.g. '28-VI'."
    )
    signed_on = models.DateField(null=True, blank=True, help_text="Date the law was signed.")
    signed_precision = precision_field("signing date")
    in_force_on = models.DateField(null=True, blank=True, help_text="Date of entry into force.")
    in_force_precision = precision_field("entry-into-force date")
    in_force_rule = models.CharField(
        max_length=500, blank=True, help_text="The entry-into-force rule as the law states it."
    )
    procedure = models.CharField(
        max_length=16, choices=ProcedureCode.choices, default=DEFAULT_PROCEDURE
    )
    # NULL, not "": a bill with no recorded action has no status yet, which is not a value.
    status = models.CharField(  # noqa: DJ001
        max_length=32,
        choices=BillStatus.choices,
        null=True,
        blank=True,
        editable=False,
        help_text="Current status: the resulting status of the latest action (never set directly).",
    )
    status_changed_on = models.DateField(null=True, blank=True, editable=False)
    # The latest action's date precision: a month-precise step is not a day's news.
    status_changed_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
        editable=False,
        help_text="How precisely the date of the latest status change is known (day, month, "
        "year or unknown); the date is the first day of its span.",
    )
    # Full-text search over English and Russian/Kazakh titles and the summary, kept by PostgreSQL.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", "short_title", config="english", weight="A")
        + SearchVector("summary", config="english", weight="B")
        + SearchVector("title_ru", "title_kk", config="russian", weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    last_verified_on = models.DateField(
        null=True,
        blank=True,
        help_text="When curators last checked this bill's record against the sources; empty "
        "when the research record does not say.",
    )
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["slug"]
        permissions = [
            # Project-wide: the one gate (policytracker.visibility) asks for it on every read.
            ("view_drafts", "Can see unpublished drafts of every kind of record"),
        ]
        indexes = [
            models.Index(fields=["status", "slug"], name="bill_status_idx"),
            GinIndex(fields=["search_vector"], name="bill_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__isnull=True) | Q(status__in=BillStatus.values),
                name="bill_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(title_status__in=TitleStatus.values), name="bill_title_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(title_status=TitleStatus.UNKNOWN) | ~Q(title=""),
                name="bill_title_present_unless_unknown",
                violation_error_message=TITLE_REQUIRED,
            ),
            models.CheckConstraint(
                condition=Q(initiator_kind__in=InitiatorKind.values),
                name="bill_initiator_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(procedure__in=ProcedureCode.values), name="bill_procedure_valid"
            ),
            models.UniqueConstraint(
                fields=["law_number"],
                condition=~Q(law_number=""),
                name="bill_law_number_unique",
                # A duplicate, like any other uniqueness refusal, is a 409 (policytracker/problems).
                violation_error_code="unique",
                violation_error_message="Another bill already has this law number.",
            ),
            *date_precision_constraints("introduced_on", "introduced_precision", "bill"),
            *date_precision_constraints("signed_on", "signed_precision", "bill"),
            *date_precision_constraints("in_force_on", "in_force_precision", "bill"),
            *date_precision_constraints("status_changed_on", "status_changed_precision", "bill"),
        ]

    def __str__(self) -> str:
        return self.short_title or self.title or self.slug

    def clean(self):
        super().clean()
        if self.title_status != TitleStatus.UNKNOWN and not self.title:
            raise ValidationError({"title": TITLE_REQUIRED})


visibility.register(
    Bill,
    references=("package", "originating_chamber"),
    # Relations are not shown inside a bill, so a draft related bill does not hold it back.
    parts=("sponsorships", "actions", "identifiers"),
)
