"""Organizations, people, their other names and their posts (Popolo shaped)."""

from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.fields import ArrayField
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

END_BEFORE_START = "The end date is before the start date."


def name_search_vector(*fields: str, weight: str) -> models.GeneratedField:
    """A stored, GIN-indexed full-text vector over a row's own name fields, kept by PostgreSQL on
    every write. The `russian` configuration stems Cyrillic words with the Russian stemmer and
    Latin ones with the English stemmer, so one vector serves names in either script."""
    return models.GeneratedField(
        expression=SearchVector(*fields, config="russian", weight=weight),
        output_field=SearchVectorField(),
        db_persist=True,
    )


class OrganizationClassification(models.TextChoices):
    LEGISLATURE = "legislature", "Legislature"
    CHAMBER = "chamber", "Chamber"
    COMMITTEE = "committee", "Committee"
    EXECUTIVE = "executive", "Executive / Government"
    MINISTRY = "ministry", "Ministry"
    AGENCY = "agency", "Agency"
    COURT_PROSECUTION = "court_prosecution", "Court or prosecution"
    PARTY = "party", "Political party"
    NGO = "ngo", "NGO"
    INTERNATIONAL = "international", "International organization"
    MEDIA = "media", "Media"
    LOCAL_GOVERNMENT = "local_government", "Regional or local government"
    HEAD_OF_STATE = "head_of_state", "Head of state and office"


class Organization(PublishableModel):
    """A body that acts in the legislative process or speaks about it."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable public identifier.")
    name = models.CharField(max_length=300)
    abbreviation = models.CharField(max_length=40, blank=True, help_text="e.g. KNB, OSCE.")
    classification = models.CharField(max_length=32, choices=OrganizationClassification.choices)
    # SET_NULL: removing a parent body must not delete its committees' history.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    other_names = ArrayField(
        models.CharField(max_length=300), default=list, blank=True, help_text="Other names."
    )
    description = models.TextField(blank=True)
    # `other_names` is an array, which no immutable expression turns into text: not searched.
    search_vector = name_search_vector("name", "abbreviation", weight="A")
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["name", "pk"]
        indexes = [GinIndex(fields=["search_vector"], name="organization_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(classification__in=OrganizationClassification.values),
                name="organization_classification_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def clean(self):
        super().clean()
        if self.pk is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "An organization cannot be its own parent."})


visibility.register(Organization, references=("parent",))


class Person(PublishableModel):
    """A public figure, named as commonly written in English."""

    slug = models.SlugField(max_length=120, unique=True, help_text="Stable public identifier.")
    name = models.CharField(max_length=200, help_text="Name as commonly written in English.")
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True)
    # Other names are rows of their own (PersonName, with its own vector): a generated column
    # sees only its row, so the search joins them (bills.selectors.with_person_search).
    search_vector = name_search_vector("name", "given_name", "family_name", weight="A")
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["family_name", "name", "pk"]
        verbose_name_plural = "people"
        indexes = [GinIndex(fields=["search_vector"], name="person_search_idx")]

    def __str__(self) -> str:
        return self.name


visibility.register(Person, parts=("other_names",))


class PersonNameKind(models.TextChoices):
    ALTERNATE = "alternate", "Alternate name"
    TRANSLITERATION = "transliteration", "Other transliteration"
    NATIVE = "native", "Name in native script"
    CONFLICTING = "conflicting", "Conflicting name reported by a source"


class PersonName(TimeStampedModel):
    """Another name or spelling of a person, each kept with its own citation."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=16, choices=PersonNameKind.choices, default=PersonNameKind.ALTERNATE
    )
    language = models.CharField(max_length=16, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # Weight B: a match on another name ranks below one on the person's own name.
    search_vector = name_search_vector("name", weight="B")
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["person_id", "name", "pk"]
        indexes = [GinIndex(fields=["search_vector"], name="person_name_search_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="person_name_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=PersonNameKind.values), name="person_name_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


visibility.register(PersonName, requires=("person",))


class Membership(PublishableModel):
    """A post a person holds in an organization, with the dates the sources give."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=200, help_text="Title, e.g. 'Chairman of the Mazhilis'.")
    start_on = models.DateField(null=True, blank=True)
    start_precision = precision_field("start date")
    end_on = models.DateField(null=True, blank=True)
    end_precision = precision_field("end date")
    citations = GenericRelation("sources.Citation")

    class Meta:
        ordering = ["person_id", "start_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization", "role", "start_on"],
                name="membership_unique_post",
                nulls_distinct=False,
                violation_error_message="This person already holds this post from this date.",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=models.F("start_on")),
                name="membership_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            *date_precision_constraints("start_on", "start_precision", "membership"),
            *date_precision_constraints("end_on", "end_precision", "membership"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}, {self.organization}"

    def clean(self):
        super().clean()
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": END_BEFORE_START})


visibility.register(Membership, requires=("person", "organization"))
