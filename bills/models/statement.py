"""Events and the public statements made at them or reported about the bills."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from policytracker import visibility
from policytracker.models import (
    PublishableModel,
    TimeStampedModel,
    date_precision_constraints,
    precision_field,
)
from sources.models import require_citation

ONE_SPEAKER = "Give a speaking person or an organization, not both."
SEQUENCE_NEEDS_EVENT = (
    "A position in the order spoken is a position within an event: set the event."
)
SEQUENCE_TAKEN = "Another statement at this event already has this position in the order spoken."


class EventKind(models.TextChoices):
    ROUNDTABLE = "roundtable", "Roundtable"
    HEARING = "hearing", "Hearing"
    PLENARY_SITTING = "plenary_sitting", "Plenary sitting"
    COMMITTEE_MEETING = "committee_meeting", "Committee meeting"
    PRESS_CONFERENCE = "press_conference", "Press conference"
    ADDRESS = "address", "Address or speech"
    INTERVIEW = "interview", "Interview"
    INCIDENT = "incident", "Incident"
    OTHER = "other", "Other"


class Event(PublishableModel):
    """Something that happened on a date: a roundtable, a sitting, an address."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable public identifier.")
    name = models.CharField(max_length=400, help_text="Name as the organizer gave it.")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    starts_on = models.DateField(null=True, blank=True)
    starts_precision = precision_field("event date")
    place = models.CharField(max_length=200, blank=True)
    # SET_NULL: the event stays on record even if its organizer entry is removed.
    organizer = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organized_events",
    )
    description = models.TextField(blank=True)
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            *date_precision_constraints("starts_on", "starts_precision", "event"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on or 'date unknown'})"


visibility.register(Event, references=("organizer",))


class StatementForm(models.TextChoices):
    DIRECT_QUOTE = "direct_quote", "Direct quote"
    PARAPHRASE = "paraphrase", "Paraphrase by the source"
    REPORTED_FIGURE = "reported_figure", "Reported figure or fact"


class Stance(models.TextChoices):
    SUPPORT = "support", "Support"
    OPPOSE = "oppose", "Oppose"
    NEUTRAL = "neutral", "Neutral"
    MIXED = "mixed", "Mixed"
    UNCLEAR = "unclear", "Unclear"


class Statement(PublishableModel):
    """What a person or organization said, as a source reports it (after Popolo `Speech`).

    The speaker is a person, an organization (press offices, delegations), or neither when the
    source names only a group ("participants said"); `attribution` always keeps the source's words.
    """

    slug = models.SlugField(max_length=160, unique=True, help_text="Stable public identifier.")
    speaker_person = models.ForeignKey(
        "bills.Person",
        null=True,
        blank=True,
        # PROTECT: a quote must never silently lose its speaker.
        on_delete=models.PROTECT,
        related_name="statements",
    )
    speaker_organization = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
        help_text="The speaking organization (e.g. a press office), when no person is named.",
    )
    attribution = models.CharField(
        max_length=300, help_text="The speaker as the source wrote it, e.g. 'Mazhilis Speaker ...'."
    )
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="The speaker's role when speaking."
    )
    # SET_NULL: the post is context; the statement stands without it.
    speaker_membership = models.ForeignKey(
        "bills.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements",
        help_text="The post the speaker held when speaking, where recorded.",
    )
    on_behalf_of = models.ForeignKey(
        "bills.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statements_on_behalf",
        help_text="The organization the speaker spoke for.",
    )
    said_on = models.DateField(null=True, blank=True)
    said_precision = precision_field("statement date")
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    sequence = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Position within its event in the order spoken (from 1), as the source reports "
        "it; empty when not at an event or the order is not known.",
    )
    text = models.TextField(help_text="The quote verbatim, or the source's paraphrase.")
    form = models.CharField(max_length=16, choices=StatementForm.choices)
    language = models.CharField(max_length=16, default="en")
    topics = models.ManyToManyField("bills.Topic", blank=True, related_name="statements")
    bills = models.ManyToManyField(
        "bills.Bill", through="StatementBill", blank=True, related_name="statements"
    )
    # The attribution carries the speaker's name as the source wrote it.
    search_vector = models.GeneratedField(
        expression=SearchVector("attribution", "speaker_role", config="english", weight="A")
        + SearchVector("text", config="english", weight="B")
        + SearchVector("text", config="russian", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    citations = GenericRelation("sources.Citation")

    class Meta:
        # Statements of one day at one event in the order spoken; nulls (no order) last.
        ordering = ["said_on", "event_id", "sequence", "pk"]
        indexes = [
            models.Index(fields=["said_on"], name="statement_date_idx"),
            GinIndex(fields=["search_vector"], name="statement_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker_person__isnull=True) | Q(speaker_organization__isnull=True),
                name="statement_one_speaker",
                violation_error_message=ONE_SPEAKER,
            ),
            models.CheckConstraint(
                condition=Q(form__in=StatementForm.values), name="statement_form_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(attribution=""), name="statement_attribution_not_empty"
            ),
            *date_precision_constraints("said_on", "said_precision", "statement"),
            models.CheckConstraint(
                condition=Q(sequence__isnull=True) | Q(sequence__gte=1),
                name="statement_sequence_positive",
                violation_error_message="The position in the order spoken starts at 1.",
            ),
            models.UniqueConstraint(
                fields=["event", "sequence"],
                name="statement_sequence_unique",
                violation_error_message=SEQUENCE_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribution}: {self.text[:60]}"

    def clean(self):
        super().clean()
        if self.speaker_person_id is not None and self.speaker_organization_id is not None:
            raise ValidationError({"speaker_organization": ONE_SPEAKER})
        if self.sequence is not None and self.event_id is None:
            raise ValidationError({"sequence": SEQUENCE_NEEDS_EVENT})


visibility.register(
    Statement,
    references=(
        "speaker_person",
        "speaker_organization",
        "speaker_membership",
        "on_behalf_of",
        "event",
    ),
    parts=("bill_links",),
)
# A statement without a source is hearsay: it is created with one and keeps at least one.
require_citation(Statement)


class StatementBill(TimeStampedModel):
    """The stance a statement takes toward one bill it concerns: a claim of its own, backed by
    the excerpt that shows it (its citations), or `unclear`."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="bill_links")
    bill = models.ForeignKey("bills.Bill", on_delete=models.CASCADE, related_name="statement_links")
    stance = models.CharField(
        max_length=16,
        choices=Stance.choices,
        default=Stance.UNCLEAR,
        help_text="Support, oppose, neutral or mixed only with a cited excerpt that shows it; "
        "otherwise unclear.",
    )
    citations = GenericRelation("sources.Citation")

    class Meta:
        verbose_name = "stance"
        ordering = ["statement_id", "bill_id"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "bill"], name="statement_bill_unique"),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="statement_bill_stance_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.bill}: {self.stance}"


visibility.register(StatementBill, requires=("statement", "bill"))
# A stance is a claim about what was said: anything but `unclear` cites the excerpt showing it.
require_citation(
    StatementBill,
    when=lambda link: link.stance != Stance.UNCLEAR,
    which=" other than 'unclear'",
)
