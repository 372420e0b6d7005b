import datetime

import pytest
from django.db import IntegrityError, transaction

from bills.models import (
    Bill,
    BillAction,
    BillRelation,
    BillRelationKind,
    Sponsorship,
    SponsorshipRole,
    Statement,
    StatementBill,
    TitleStatus,
)
from policytracker.models import DatePrecision
from tests.bills.factories import (
    BillFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def assert_violates(constraint_name: str, create) -> None:
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        create()
    assert constraint_name in str(error.value)


class TestDatePrecision:
    def test_month_precision_must_be_first_of_month(self):
        assert_violates(
            "bill_introduced_precision_month_first_day",
            lambda: BillFactory(
                introduced_on=datetime.date(2016, 11, 9),
                introduced_precision=DatePrecision.MONTH,
            ),
        )

    def test_year_precision_must_be_first_of_year(self):
        assert_violates(
            "bill_signed_precision_year_first_day",
            lambda: BillFactory(
                signed_on=datetime.date(2016, 3, 1), signed_precision=DatePrecision.YEAR
            ),
        )

    def test_known_date_needs_known_precision(self):
        assert_violates(
            "bill_introduced_precision_unknown_iff_null",
            lambda: BillFactory(
                introduced_on=datetime.date(2016, 10, 26),
                introduced_precision=DatePrecision.UNKNOWN,
            ),
        )

    def test_unknown_date_with_day_precision_is_refused(self):
        assert_violates(
            "bill_introduced_precision_unknown_iff_null",
            lambda: BillFactory(introduced_on=None, introduced_precision=DatePrecision.DAY),
        )

    def test_month_precision_on_first_day_is_accepted(self):
        bill = BillFactory(
            introduced_on=datetime.date(2016, 11, 1), introduced_precision=DatePrecision.MONTH
        )
        assert Bill.objects.get(pk=bill.pk).introduced_precision == "month"


class TestBill:
    def test_slug_is_unique(self):
        BillFactory(slug="kz-2016-x")
        assert_violates("bills_bill_slug_key", lambda: BillFactory(slug="kz-2016-x"))

    def test_title_may_be_empty_only_when_unknown(self):
        assert_violates(
            "bill_title_present_unless_unknown",
            lambda: BillFactory(title="", title_status=TitleStatus.VERIFIED),
        )
        bill = BillFactory(title="", title_status=TitleStatus.UNKNOWN, short_title="Seventh bill")
        assert str(bill) == "Seventh bill"

    def test_law_number_is_unique_when_present(self):
        BillFactory(law_number="28-VI")
        BillFactory(law_number="")
        BillFactory(law_number="")
        assert_violates("bill_law_number_unique", lambda: BillFactory(law_number="28-VI"))

    def test_status_must_be_in_vocabulary(self):
        bill = BillFactory()
        assert_violates(
            "bill_status_valid", lambda: Bill.objects.filter(pk=bill.pk).update(status="passed")
        )

    def test_relation_to_itself_is_refused(self):
        bill = BillFactory()
        assert_violates(
            "bill_relation_not_self",
            lambda: BillRelation.objects.create(
                bill=bill, related_bill=bill, kind=BillRelationKind.COMPANION
            ),
        )


class TestBillAction:
    def test_order_is_unique_per_bill(self):
        bill = BillFactory()
        BillAction.objects.create(
            bill=bill, order=1, classification="announcement", resulting_status="announced"
        )
        assert_violates(
            "bill_action_order_unique",
            lambda: BillAction.objects.create(
                bill=bill, order=1, classification="drafting", resulting_status="drafted"
            ),
        )


class TestSponsorship:
    def test_needs_exactly_one_sponsor(self):
        bill = BillFactory()
        assert_violates(
            "sponsorship_person_xor_organization",
            lambda: Sponsorship.objects.create(bill=bill, role=SponsorshipRole.INITIATOR),
        )
        assert_violates(
            "sponsorship_person_xor_organization",
            lambda: Sponsorship.objects.create(
                bill=bill,
                role=SponsorshipRole.INITIATOR,
                person=PersonFactory(),
                organization=OrganizationFactory(),
            ),
        )

    def test_same_sponsor_role_and_chamber_once(self):
        bill, agency = BillFactory(), OrganizationFactory()
        Sponsorship.objects.create(bill=bill, organization=agency, role=SponsorshipRole.DRAFTER)
        assert_violates(
            "sponsorship_unique",
            lambda: Sponsorship.objects.create(
                bill=bill, organization=agency, role=SponsorshipRole.DRAFTER
            ),
        )

    def test_str_names_sponsor_role_and_bill(self):
        bill = BillFactory(short_title="Counter-intelligence bill")
        sponsorship = Sponsorship.objects.create(
            bill=bill, organization=OrganizationFactory(name="KNB"), role=SponsorshipRole.DRAFTER
        )
        assert str(sponsorship) == "KNB — Drafter / lead agency of Counter-intelligence bill"


class TestMembership:
    def test_end_not_before_start(self):
        assert_violates(
            "membership_end_after_start",
            lambda: MembershipFactory(
                start_on=datetime.date(2016, 3, 25),
                start_precision=DatePrecision.DAY,
                end_on=datetime.date(2016, 1, 1),
                end_precision=DatePrecision.DAY,
            ),
        )


class TestStatement:
    def test_cannot_have_both_person_and_organization_speaker(self):
        assert_violates(
            "statement_one_speaker",
            lambda: StatementFactory(speaker_organization=OrganizationFactory()),
        )

    def test_group_statement_without_named_speaker_keeps_attribution(self):
        statement = StatementFactory(speaker_person=None, attribution="Roundtable participants")
        assert Statement.objects.get(pk=statement.pk).attribution == "Roundtable participants"

    def test_empty_text_is_refused(self):
        assert_violates("statement_text_not_empty", lambda: StatementFactory(text=""))

    def test_stance_must_be_in_vocabulary(self):
        statement, bill = StatementFactory(), BillFactory()
        assert_violates(
            "statement_bill_stance_valid",
            lambda: StatementBill.objects.create(statement=statement, bill=bill, stance="love"),
        )
