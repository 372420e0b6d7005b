from bills.models.bill import Bill, BillPackage, InitiatorKind, TitleStatus, Topic
from bills.models.bill_parts import (
    BillAction,
    BillIdentifier,
    BillRelation,
    BillRelationKind,
    Sponsorship,
    SponsorshipRole,
)
from bills.models.people import (
    Membership,
    Organization,
    OrganizationClassification,
    Person,
    PersonName,
    PersonNameKind,
)
from bills.models.statement import Event, EventKind, Stance, Statement, StatementBill, StatementForm
from bills.procedure import ActionClassification, BillStatus

__all__ = [
    "ActionClassification",
    "Bill",
    "BillAction",
    "BillIdentifier",
    "BillPackage",
    "BillRelation",
    "BillRelationKind",
    "BillStatus",
    "Event",
    "EventKind",
    "InitiatorKind",
    "Membership",
    "Organization",
    "OrganizationClassification",
    "Person",
    "PersonName",
    "PersonNameKind",
    "Sponsorship",
    "SponsorshipRole",
    "Stance",
    "Statement",
    "StatementBill",
    "StatementForm",
    "TitleStatus",
    "Topic",
]
