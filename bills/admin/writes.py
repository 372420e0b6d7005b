"""Which services write each bills model, as its admin and the inlines showing it call them."""

from bills import services
from policytracker.admin import RecordWrites

TOPIC = RecordWrites(
    add=services.topic_create,
    change=services.topic_update,
    remove=services.topic_delete,
    record="topic",
)
PACKAGE = RecordWrites(
    add=services.package_create,
    change=services.package_update,
    remove=services.package_delete,
    record="package",
)
BILL = RecordWrites(
    add=services.bill_create,
    change=services.bill_update,
    remove=services.bill_delete,
    record="bill",
)
BILL_IDENTIFIER = RecordWrites(
    add=services.bill_identifier_create,
    change=services.bill_identifier_update,
    remove=services.bill_identifier_delete,
    record="identifier",
)
BILL_RELATION = RecordWrites(
    add=services.bill_relation_create,
    change=services.bill_relation_update,
    remove=services.bill_relation_delete,
    record="relation",
)
SPONSORSHIP = RecordWrites(
    add=services.sponsorship_create,
    change=services.sponsorship_update,
    remove=services.sponsorship_delete,
    record="sponsorship",
)
ORGANIZATION = RecordWrites(
    add=services.organization_create,
    change=services.organization_update,
    remove=services.organization_delete,
    record="organization",
)
PERSON = RecordWrites(
    add=services.person_create,
    change=services.person_update,
    remove=services.person_delete,
    record="person",
)
PERSON_NAME = RecordWrites(
    add=services.person_name_create,
    change=services.person_name_update,
    remove=services.person_name_delete,
    record="person_name",
)
MEMBERSHIP = RecordWrites(
    add=services.membership_create,
    change=services.membership_update,
    remove=services.membership_delete,
    record="membership",
)
EVENT = RecordWrites(
    add=services.event_create,
    change=services.event_update,
    remove=services.event_delete,
    record="event",
)
STATEMENT = RecordWrites(
    add=services.statement_create,
    change=services.statement_update,
    remove=services.statement_delete,
    record="statement",
)
