"""Admin for organizations, people, their other names and their posts."""

from django.contrib import admin

from bills.admin.inlines import MembershipInline, PersonNameInline
from bills.admin.person_merge import PersonMergeMixin
from bills.admin.writes import MEMBERSHIP, ORGANIZATION, PERSON, PERSON_NAME
from bills.models import Membership, Organization, Person, PersonName, PersonNameKind
from policytracker.admin import CuratedAdmin, PublishableAdmin
from sources.admin import CitationInline


@admin.register(Organization)
class OrganizationAdmin(PublishableAdmin):
    """Bodies that act in the process or speak about it."""

    writes = ORGANIZATION
    list_display = ["name", "abbreviation", "classification", "parent", "is_published"]
    list_filter = ["classification", "is_published"]
    list_select_related = ["parent"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]
    inlines = [CitationInline]


@admin.register(Person)
class PersonAdmin(PersonMergeMixin, PublishableAdmin):
    """Public figures, with their other names and posts; a duplicate is merged into the record
    that stays (person_merge)."""

    writes = PERSON
    actions = [*PublishableAdmin.actions, "merge_into_another"]
    list_display = ["name", "names_elsewhere", "slug", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "given_name", "family_name", "other_names__name"]
    inlines = [PersonNameInline, MembershipInline, CitationInline]

    def get_queryset(self, request):
        # The other names of every listed person in one query.
        return super().get_queryset(request).prefetch_related("other_names")

    @admin.display(description="Other names (disputed ones flagged)")
    def names_elsewhere(self, person: Person) -> str:
        names = [
            f"{other.name} (disputed)" if other.kind == PersonNameKind.CONFLICTING else other.name
            for other in person.other_names.all()
        ]
        return "; ".join(names) or "—"


@admin.register(PersonName)
class PersonNameAdmin(CuratedAdmin):
    """Other names and spellings of people."""

    writes = PERSON_NAME
    list_display = ["name", "person", "kind", "language"]
    list_filter = ["kind"]
    list_select_related = ["person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]
    inlines = [CitationInline]


@admin.register(Membership)
class MembershipAdmin(PublishableAdmin):
    """Posts people hold in organizations."""

    writes = MEMBERSHIP
    list_display = ["person", "role", "organization", "start_on", "end_on", "is_published"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter), "is_published"]
    list_select_related = ["person", "organization"]
    search_fields = ["role", "person__name", "organization__name", "organization__abbreviation"]
    autocomplete_fields = ["person", "organization"]
    inlines = [CitationInline]
