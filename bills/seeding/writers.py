"""The service that creates, and the one that updates, each kind of record the seed holds."""

from bills import services
from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    Topic,
)
from sources import services as source_services
from sources.models import Citation, Source

CREATE = {
    Source: lambda values: source_services.source_register(values=values),
    Topic: lambda values: services.topic_create(values=values),
    Organization: lambda values: services.organization_create(values=values),
    Person: lambda values: services.person_create(values=values),
    PersonName: lambda values: services.person_name_create(values=values),
    Membership: lambda values: services.membership_create(values=values),
    BillPackage: lambda values: services.package_create(values=values),
    Bill: lambda values: services.bill_create(values=values),
    BillIdentifier: lambda values: services.bill_identifier_create(values=values),
    BillRelation: lambda values: services.bill_relation_create(values=values),
    Sponsorship: lambda values: services.sponsorship_create(values=values),
    Event: lambda values: services.event_create(values=values),
}
UPDATE = {
    Source: lambda record, values: source_services.source_update(source=record, values=values),
    Topic: lambda record, values: services.topic_update(topic=record, values=values),
    Organization: lambda record, values: services.organization_update(
        organization=record, values=values
    ),
    Person: lambda record, values: services.person_update(person=record, values=values),
    PersonName: lambda record, values: services.person_name_update(
        person_name=record, values=values
    ),
    Membership: lambda record, values: services.membership_update(membership=record, values=values),
    BillPackage: lambda record, values: services.package_update(package=record, values=values),
    Bill: lambda record, values: services.bill_update(bill=record, values=values),
    BillIdentifier: lambda record, values: services.bill_identifier_update(
        identifier=record, values=values
    ),
    BillRelation: lambda record, values: services.bill_relation_update(
        relation=record, values=values
    ),
    BillAction: lambda record, values: services.bill_action_update(action=record, values=values),
    Sponsorship: lambda record, values: services.sponsorship_update(
        sponsorship=record, values=values
    ),
    Event: lambda record, values: services.event_update(event=record, values=values),
    Statement: lambda record, values: services.statement_update(statement=record, values=values),
    Citation: lambda record, values: source_services.citation_update(
        citation=record, values=values
    ),
}
