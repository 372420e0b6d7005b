"""The parts of a bill: identifiers, relations, status history, sponsorships."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bills.models.bill import Bill
from bills.procedure import ActionClassification, BillStatus
from policytracker import visibility
from policytracker.models import (
    PublishableModel,
    TimeStampedModel,
    date_precision_constraints,
    precision_field,
)

RELATION_TO_SELF = "A bill cannot be related to itself."
ONE_SPONSOR = "Name the sponsor: a person or an organization (exactly one)."


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
