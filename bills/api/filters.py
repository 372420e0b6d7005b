"""Filters for the public API. Every filter validates its value: unknown values answer 400.

Filters see only what the caller may see (the one gate, policytracker.visibility): a draft's slug
is refused like a slug that does not exist, and a filter never matches through a hidden row (a
draft post, sponsorship or stance)."""

import django_filters
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from bills.models import (
    ActionClassification,
    Bill,
    BillAction,
    BillPackage,
    BillStatus,
    Event,
    EventKind,
    Membership,
    Organization,
    OrganizationClassification,
    Person,
    PersonName,
    Sponsorship,
    SponsorshipRole,
    Stance,
    Statement,
    StatementBill,
    StatementForm,
    TitleStatus,
    Topic,
)
from policytracker.changes.models import ChangeEvent, ChangeKind
from policytracker.filters import (
    AliasModelChoiceFilter,
    TimestampedFilterSet,
    UTCDateTimeFilter,
    slug_or_alias,
    slug_schema,
    utc_instant,
    visible,
)


def _slug_choice(model, field_name: str, help_text: str, **kwargs):
    return slug_schema(
        AliasModelChoiceFilter(
            field_name=field_name,
            to_field_name="slug",
            queryset=visible(model),
            help_text=help_text,
            **kwargs,
        )
    )


class BillFilter(TimestampedFilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=BillStatus.choices, help_text="Current status; repeat to match any of several."
    )
    topic = _slug_choice(Topic, "topics", "Topic slug (see /api/v1/topics/).")
    chamber = _slug_choice(Organization, "originating_chamber", "Originating chamber slug.")
    package = _slug_choice(BillPackage, "package", "Package slug.")
    sponsor = slug_schema(
        django_filters.CharFilter(
            method="filter_sponsor",
            help_text="Slug of a person or organization sponsoring the bill in any role.",
        )
    )
    sponsor_role = django_filters.ChoiceFilter(
        method="filter_sponsor_role",
        choices=SponsorshipRole.choices,
        help_text="Only bills with a sponsor in this role (with `sponsor`: that sponsor's role).",
    )
    title_status = django_filters.ChoiceFilter(
        choices=TitleStatus.choices, help_text="Whether the title is verified."
    )
    law_number = django_filters.CharFilter(help_text="Number of the enacted law, e.g. 28-VI.")
    introduced_after = django_filters.DateFilter(
        field_name="introduced_on", lookup_expr="gte", help_text="Introduced on or after."
    )
    introduced_before = django_filters.DateFilter(
        field_name="introduced_on", lookup_expr="lte", help_text="Introduced on or before."
    )
    status_changed_since = django_filters.DateFilter(
        field_name="status_changed_on",
        lookup_expr="gte",
        help_text="Status last changed on or after this date (the legislative date of the "
        "latest action; a backdated action recorded today has an old date: see "
        "status_recorded_since).",
    )
    status_recorded_since = UTCDateTimeFilter(
        method="filter_status_recorded_since",
        help_text="A status change was recorded at or after this ISO 8601 date-time (server "
        "time, whatever date the action carries), e.g. 2016-10-01T00:00:00Z.",
    )

    class Meta:
        model = Bill
        fields = []

    def filter_status_recorded_since(self, queryset, name, value):
        # From the change log: when the change was recorded, not the date it is about.
        value = utc_instant(value)
        recorded = ChangeEvent.objects.filter(
            record_type="bill", event=ChangeKind.STATUS_CHANGED, recorded_at__gte=value
        ).values("record_id")
        return queryset.filter(pk__in=recorded)

    def filter_sponsor(self, queryset, name, value):
        # A current slug or an old one (an alias of a renamed or merged record).
        people = slug_or_alias(self.visible_rows(Person), value)
        organizations = slug_or_alias(self.visible_rows(Organization), value)
        if not people.exists() and not organizations.exists():
            raise ValidationError({"sponsor": [f"No person or organization with slug '{value}'."]})
        sponsorships = self.visible_rows(Sponsorship).filter(
            Q(person__in=people.values("pk")) | Q(organization__in=organizations.values("pk"))
        )
        role = self.form.cleaned_data.get("sponsor_role")
        if role:
            sponsorships = sponsorships.filter(role=role)
        return queryset.filter(pk__in=sponsorships.values("bill_id"))

    def filter_sponsor_role(self, queryset, name, value):
        if self.form.cleaned_data.get("sponsor"):
            return queryset  # applied together with `sponsor`
        sponsorships = self.visible_rows(Sponsorship).filter(role=value)
        return queryset.filter(pk__in=sponsorships.values("bill_id"))


class BillActionFilter(TimestampedFilterSet):
    bill = _slug_choice(Bill, "bill", "Bill slug.")
    classification = django_filters.MultipleChoiceFilter(
        choices=ActionClassification.choices, help_text="What happened; repeatable."
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="resulting_status",
        choices=BillStatus.choices,
        help_text="Status the action led to; repeatable.",
    )
    actor = _slug_choice(Organization, "actor", "Slug of the acting organization.")
    occurred_after = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", help_text="On or after this date."
    )
    occurred_before = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", help_text="On or before this date."
    )

    class Meta:
        model = BillAction
        fields = []


class SponsorshipFilter(TimestampedFilterSet):
    bill = _slug_choice(Bill, "bill", "Bill slug.")
    person = _slug_choice(Person, "person", "Sponsoring person's slug.")
    organization = _slug_choice(Organization, "organization", "Sponsoring organization's slug.")
    role = django_filters.ChoiceFilter(choices=SponsorshipRole.choices, help_text="Role.")

    class Meta:
        model = Sponsorship
        fields = []


class PersonFilter(TimestampedFilterSet):
    organization = _slug_choice(
        Organization,
        "memberships__organization",
        "Slug of an organization the person held a post in.",
        method="filter_organization",
    )
    role = django_filters.CharFilter(
        method="filter_role", help_text="Words in the title of a post the person held."
    )
    name = django_filters.CharFilter(
        method="filter_name", help_text="Part of the person's name or of another name of theirs."
    )

    class Meta:
        model = Person
        fields = []

    def filter_organization(self, queryset, name, value):
        posts = self.visible_rows(Membership).filter(organization=value)
        return queryset.filter(pk__in=posts.values("person_id"))

    def filter_role(self, queryset, name, value):
        posts = self.visible_rows(Membership).filter(role__icontains=value)
        return queryset.filter(pk__in=posts.values("person_id"))

    def filter_name(self, queryset, name, value):
        other_names = self.visible_rows(PersonName).filter(name__icontains=value)
        other_names = other_names.values("person_id")
        return queryset.filter(Q(name__icontains=value) | Q(pk__in=other_names))


class OrganizationFilter(TimestampedFilterSet):
    classification = django_filters.MultipleChoiceFilter(
        choices=OrganizationClassification.choices, help_text="Kind of body; repeatable."
    )
    parent = _slug_choice(Organization, "parent", "Parent organization's slug.")

    class Meta:
        model = Organization
        fields = []


class MembershipFilter(TimestampedFilterSet):
    person = _slug_choice(Person, "person", "Person slug.")
    organization = _slug_choice(Organization, "organization", "Organization slug.")
    role = django_filters.CharFilter(lookup_expr="icontains", help_text="Words in the title.")

    class Meta:
        model = Membership
        fields = []


class EventFilter(TimestampedFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, help_text="Kind.")
    organizer = _slug_choice(Organization, "organizer", "Organizer slug.")
    starts_after = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="gte", help_text="On or after this date."
    )
    starts_before = django_filters.DateFilter(
        field_name="starts_on", lookup_expr="lte", help_text="On or before this date."
    )

    class Meta:
        model = Event
        fields = []


class TopicFilter(TimestampedFilterSet):
    """Topics offer `updated_since` like every other list."""

    class Meta:
        model = Topic
        fields = []


class StatementFilter(TimestampedFilterSet):
    speaker = _slug_choice(Person, "speaker_person", "Slug of the person who spoke.")
    organization = _slug_choice(
        Organization,
        "speaker_organization",
        "Organization slug: the speaking body, the body spoken for, or the body of the "
        "speaker's post at the time.",
        method="filter_organization",
    )
    bill = _slug_choice(
        Bill, "bill_links__bill", "Slug of a bill the statement concerns.", method="filter_bill"
    )
    stance = django_filters.ChoiceFilter(
        method="filter_stance",
        choices=Stance.choices,
        help_text="Stance toward a bill (with `bill`: toward that bill).",
    )
    topic = _slug_choice(Topic, "topics", "Topic slug.")
    event = _slug_choice(Event, "event", "Event slug.")
    form = django_filters.ChoiceFilter(choices=StatementForm.choices, help_text="Form.")
    said_after = django_filters.DateFilter(
        field_name="said_on", lookup_expr="gte", help_text="Said on or after this date."
    )
    said_before = django_filters.DateFilter(
        field_name="said_on", lookup_expr="lte", help_text="Said on or before this date."
    )

    class Meta:
        model = Statement
        fields = []

    def filter_organization(self, queryset, name, value):
        # The post at the time counts only when the caller may see that post.
        posts = self.visible_rows(Membership).filter(organization=value)
        return queryset.filter(
            Q(speaker_organization=value) | Q(on_behalf_of=value) | Q(speaker_membership__in=posts)
        )

    def _links(self):
        links = self.visible_rows(StatementBill)
        bill = self.form.cleaned_data.get("bill")
        stance = self.form.cleaned_data.get("stance")
        if bill:
            links = links.filter(bill=bill)
        if stance:
            links = links.filter(stance=stance)
        return links

    def filter_bill(self, queryset, name, value):
        # Bill and stance refer to the same link: "opposes bill X", not "mentions X, opposes Y".
        return queryset.filter(pk__in=self._links().values("statement_id"))

    def filter_stance(self, queryset, name, value):
        if self.form.cleaned_data.get("bill"):
            return queryset
        return queryset.filter(pk__in=self._links().values("statement_id"))
