"""Bills, their status history (actions), sponsors, topics and relations."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bills.procedure import DEFAULT_PROCEDURE, ActionClassification, BillStatus, ProcedureCode
from policytracker import visibility
from policytracker.models import (
    PublishableModel,
    TimeStampedModel,
    date_precision_constraints,
    precision_field,
)

TITLE_REQUIRED = "Give the title, or set the title status to 'unknown'."
RELATION_TO_SELF = "A bill cannot be related to itself."
ONE_SPONSOR = "Name the sponsor: a person or an organization (exactly one)."


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
    title = models.CharField(
        max_length=500,
        blank=True,
        help_text="Official or working English title; empty when no source gives one.",
    )
    title_status = models.CharField(
        max_length=16,
        choices=TitleStatus.choices,
        default=TitleStatus.UNKNOWN,
        help_text="Whether the title is verified, a provisional working title, or unknown.",
    )
    title_ru = models.CharField(max_length=500, blank=True, help_text="Russian title.")
    title_kk = models.CharField(max_length=500, blank=True, help_text="Kazakh title.")
    short_title = models.CharField(
        max_length=200, help_text="Curators' short label for lists (not an official title)."
    )
    summary = models.TextField(blank=True)
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
    # Full-text search over English and Russian/Kazakh titles and the summary, kept by PostgreSQL.
    search_vector = models.GeneratedField(
        expression=SearchVector("title", "short_title", config="english", weight="A")
        + SearchVector("summary", config="english", weight="B")
        + SearchVector("title_ru", "title_kk", config="russian", weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
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
                violation_error_message="Another bill already has this law number.",
            ),
            *date_precision_constraints("introduced_on", "introduced_precision", "bill"),
            *date_precision_constraints("signed_on", "signed_precision", "bill"),
            *date_precision_constraints("in_force_on", "in_force_precision", "bill"),
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


class BillIdentifier(TimeStampedModel):
    """Another identifier of the bill or law, e.g. its adilet.zan.kz document code."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=40, help_text="e.g. 'adilet'.")
    identifier = models.CharField(max_length=100)
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["bill_id", "scheme", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "identifier"], name="bill_identifier_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme}:{self.identifier}"


visibility.register(BillIdentifier, requires=("bill",))


class BillRelationKind(models.TextChoices):
    COMPANION = "companion", "Companion bill (amends other acts to fit this one)"
    AMENDS = "amends", "Amends"
    REPLACES = "replaces", "Replaces"


class BillRelation(TimeStampedModel):
    """A directed link between two bills, e.g. a companion amendments bill."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="relations")
    related_bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="inverse_relations"
    )
    kind = models.CharField(max_length=16, choices=BillRelationKind.choices)
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["bill_id", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "related_bill", "kind"], name="bill_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(bill=models.F("related_bill")),
                name="bill_relation_not_self",
                violation_error_message=RELATION_TO_SELF,
            ),
            models.CheckConstraint(
                condition=Q(kind__in=BillRelationKind.values), name="bill_relation_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill} {self.kind} {self.related_bill}"

    def clean(self):
        super().clean()
        if self.bill_id is not None and self.bill_id == self.related_bill_id:
            raise ValidationError({"related_bill": RELATION_TO_SELF})


visibility.register(BillRelation, requires=("bill", "related_bill"))


class BillAction(TimeStampedModel):
    """One dated step of the procedure; the ordered actions are the bill's status history."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField(help_text="Position in the bill's history, from 1.")
    occurred_on = models.DateField(null=True, blank=True)
    occurred_precision = precision_field("action date")
    # PROTECT: an actor named in history must be merged or renamed, not deleted.
    actor = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    classification = models.CharField(max_length=32, choices=ActionClassification.choices)
    resulting_status = models.CharField(max_length=32, choices=BillStatus.choices)
    description = models.TextField(blank=True)
    skips_unrecorded_steps = models.BooleanField(
        default=False,
        help_text="True when the sources do not record the steps between the previous status "
        "and this one.",
    )
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["bill_id", "order"]
        indexes = [
            models.Index(fields=["occurred_on"], name="bill_action_date_idx"),
            models.Index(fields=["classification"], name="bill_action_class_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["bill", "order"], name="bill_action_order_unique"),
            models.CheckConstraint(
                condition=Q(resulting_status__in=BillStatus.values),
                name="bill_action_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(classification__in=ActionClassification.values),
                name="bill_action_classification_valid",
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="bill_action_order_positive"),
            *date_precision_constraints("occurred_on", "occurred_precision", "bill_action"),
        ]

    def __str__(self) -> str:
        return f"{self.bill} #{self.order}: {self.get_resulting_status_display()}"


visibility.register(BillAction, requires=("bill",), references=("actor",))


class SponsorshipRole(models.TextChoices):
    INITIATOR = "initiator", "Initiator (holder of legislative initiative)"
    DRAFTER = "drafter", "Drafter / lead agency"
    PRESENTER = "presenter", "Presented the bill in a chamber"
    COSPONSOR = "cosponsor", "Co-sponsor"


class Sponsorship(PublishableModel):
    """Who stands behind a bill: a person or an organization (exactly one), in a role."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="sponsorships")
    person = models.ForeignKey(
        "bills.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="sponsorships"
    )
    organization = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sponsorships",
    )
    role = models.CharField(max_length=16, choices=SponsorshipRole.choices)
    # SET_NULL: the chamber is context for a presentation, not an owner of it.
    chamber = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presented_sponsorships",
        help_text="For presenters: the chamber the bill was presented in.",
    )
    capacity = models.CharField(
        max_length=200, blank=True, help_text="The sponsor's title at the time, as the source says."
    )
    started_on = models.DateField(null=True, blank=True)
    started_precision = precision_field("start date")
    ended_on = models.DateField(null=True, blank=True, help_text="Withdrawal date, if any.")
    ended_precision = precision_field("withdrawal date")
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["bill_id", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="sponsorship_person_xor_organization",
                violation_error_message=ONE_SPONSOR,
            ),
            models.CheckConstraint(
                condition=Q(role__in=SponsorshipRole.values), name="sponsorship_role_valid"
            ),
            models.UniqueConstraint(
                fields=["bill", "person", "organization", "role", "chamber"],
                name="sponsorship_unique",
                nulls_distinct=False,
                violation_error_message="This sponsor already has this role on this bill.",
            ),
            *date_precision_constraints("started_on", "started_precision", "sponsorship"),
            *date_precision_constraints("ended_on", "ended_precision", "sponsorship"),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organization} — {self.get_role_display()} of {self.bill}"

    def clean(self):
        super().clean()
        if (self.person_id is None) == (self.organization_id is None):
            raise ValidationError({"person": ONE_SPONSOR})

    @property
    def sponsor(self):
        return self.person or self.organization


visibility.register(
    Sponsorship, requires=("bill", "person", "organization"), references=("chamber",)
)
