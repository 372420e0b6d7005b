"""Read-only public endpoints. Views translate HTTP; selectors own the queries."""

from bills.api.views.bills import (
    BillActionViewSet,
    BillStatusViewSet,
    BillViewSet,
    SponsorshipViewSet,
)
from bills.api.views.people import MembershipViewSet, OrganizationViewSet, PersonViewSet
from bills.api.views.statements import EventViewSet, StatementViewSet, TopicViewSet

__all__ = [
    "BillActionViewSet",
    "BillStatusViewSet",
    "BillViewSet",
    "EventViewSet",
    "MembershipViewSet",
    "OrganizationViewSet",
    "PersonViewSet",
    "SponsorshipViewSet",
    "StatementViewSet",
    "TopicViewSet",
]
