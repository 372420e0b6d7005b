import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bills.models import BillAction
from bills.procedure import KZ_2013, BillStatus
from bills.services import bill_change_status
from policytracker.models import DatePrecision
from tests.bills.factories import BillFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def advance(bill, *steps):
    for to_status, occurred_on in steps:
        bill_change_status(bill=bill, to_status=to_status, occurred_on=occurred_on)
    bill.refresh_from_db()
    return bill


class TestTransitionTable:
    def test_every_status_has_an_explanation_and_a_row(self):
        assert set(KZ_2013.statuses) == set(BillStatus.values)
        assert set(KZ_2013.transitions) == set(BillStatus.values)
        assert set(KZ_2013.default_classification) == set(BillStatus.values)
        for targets in KZ_2013.transitions.values():
            assert targets <= set(BillStatus.values)

    def test_terminal_statuses_have_no_exit(self):
        for status in KZ_2013.terminal_statuses():
            assert KZ_2013.transitions[status] == frozenset()


class TestBillChangeStatus:
    def test_status_date_keeps_the_precision_of_its_action(self, api_client):
        bill = advance(BillFactory(slug="month-bill"), (BillStatus.ANNOUNCED, D(2016, 9, 1)))
        assert bill.status_changed_precision == DatePrecision.DAY
        bill_change_status(
            bill=bill,
            to_status=BillStatus.DRAFTED,
            occurred_on=D(2016, 11, 17),
            occurred_precision=DatePrecision.MONTH,
        )
        bill.refresh_from_db()
        assert (bill.status_changed_on, bill.status_changed_precision) == (D(2016, 11, 1), "month")
        shown = api_client.get("/api/v1/bills/month-bill/").json()
        assert (shown["status_changed_on"], shown["status_changed_precision"]) == (
            "2016-11-01",
            "month",
        )

    def test_main_line_records_history_and_current_status(self):
        mazhilis = OrganizationFactory(slug="mazhilis")
        bill = BillFactory()
        bill = advance(
            bill,
            (BillStatus.ANNOUNCED, D(2016, 9, 1)),
            (BillStatus.SUBMITTED, D(2016, 10, 26)),
            (BillStatus.IN_MAZHILIS_COMMITTEE, D(2016, 10, 27)),
        )
        action = bill_change_status(
            bill=bill,
            to_status=BillStatus.MAZHILIS_FIRST_READING,
            occurred_on=D(2016, 11, 30),
            actor=mazhilis,
        )
        bill.refresh_from_db()
        assert bill.status == BillStatus.MAZHILIS_FIRST_READING
        assert bill.status_changed_on == D(2016, 11, 30)
        assert action.order == 4
        assert action.classification == "reading_passed"
        assert action.actor == mazhilis
        assert [a.resulting_status for a in bill.actions.all()] == [
            "announced",
            "submitted",
            "in_mazhilis_committee",
            "mazhilis_first_reading",
        ]

    def test_invalid_transition_is_refused_and_changes_nothing(self):
        bill = advance(BillFactory(), (BillStatus.ANNOUNCED, D(2016, 9, 1)))
        with pytest.raises(ValidationError) as error:
            bill_change_status(bill=bill, to_status=BillStatus.SIGNED, occurred_on=D(2016, 12, 1))
        message = error.value.message_dict["to_status"][0]
        assert "cannot move to 'signed'" in message
        assert "Allowed: drafted, submitted, withdrawn" in message
        bill.refresh_from_db()
        assert bill.status == BillStatus.ANNOUNCED
        assert bill.actions.count() == 1

    def test_first_action_must_start_the_procedure(self):
        with pytest.raises(ValidationError, match="cannot move to 'in_senate'"):
            bill_change_status(
                bill=BillFactory(), to_status=BillStatus.IN_SENATE, occurred_on=D(2016, 9, 1)
            )

    def test_terminal_status_allows_nothing_further(self):
        bill = advance(
            BillFactory(),
            (BillStatus.ANNOUNCED, D(2016, 9, 1)),
            (BillStatus.WITHDRAWN, D(2016, 9, 2)),
        )
        with pytest.raises(ValidationError, match="none \\(final status\\)"):
            bill_change_status(bill=bill, to_status=BillStatus.DRAFTED, occurred_on=D(2016, 9, 3))
        with pytest.raises(ValidationError, match="only allowed forward"):
            bill_change_status(
                bill=bill,
                to_status=BillStatus.IN_FORCE,
                occurred_on=D(2016, 9, 3),
                skips_unrecorded_steps=True,
            )

    def test_forward_jump_over_unrecorded_steps_is_flagged(self):
        bill = advance(BillFactory(), (BillStatus.ANNOUNCED, D(2016, 9, 1)))
        action = bill_change_status(
            bill=bill,
            to_status=BillStatus.SIGNED,
            occurred_on=D(2016, 12, 28),
            skips_unrecorded_steps=True,
        )
        assert action.skips_unrecorded_steps is True
        bill.refresh_from_db()
        assert bill.status == BillStatus.SIGNED

    def test_backward_jump_is_refused_even_when_flagged(self):
        bill = advance(
            BillFactory(),
            (BillStatus.ANNOUNCED, D(2016, 9, 1)),
            (BillStatus.SUBMITTED, D(2016, 9, 2)),
        )
        with pytest.raises(ValidationError, match="only allowed forward"):
            bill_change_status(
                bill=bill,
                to_status=BillStatus.DRAFTED,
                occurred_on=D(2016, 9, 3),
                skips_unrecorded_steps=True,
            )

    def test_side_branch_senate_return_then_conciliation(self):
        bill = advance(
            BillFactory(),
            (BillStatus.ANNOUNCED, D(2016, 9, 1)),
            (BillStatus.SUBMITTED, D(2016, 9, 2)),
            (BillStatus.IN_MAZHILIS_COMMITTEE, D(2016, 9, 3)),
            (BillStatus.MAZHILIS_ADOPTED, D(2016, 9, 4)),
            (BillStatus.IN_SENATE, D(2016, 9, 5)),
            (BillStatus.SENATE_RETURNED, D(2016, 9, 6)),
            (BillStatus.CONCILIATION, D(2016, 9, 7)),
            (BillStatus.SENT_TO_PRESIDENT, D(2016, 9, 8)),
            (BillStatus.RETURNED_BY_PRESIDENT, D(2016, 9, 9)),
            (BillStatus.FAILED, D(2016, 9, 10)),
        )
        assert bill.status == BillStatus.FAILED

    def test_future_date_is_refused(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(ValidationError) as error:
            bill_change_status(
                bill=BillFactory(), to_status=BillStatus.ANNOUNCED, occurred_on=tomorrow
            )
        assert "occurred_on" in error.value.message_dict
        assert BillAction.objects.count() == 0

    def test_date_before_previous_action_is_refused(self):
        bill = advance(BillFactory(), (BillStatus.ANNOUNCED, D(2016, 9, 10)))
        with pytest.raises(ValidationError, match="before the previous action"):
            bill_change_status(bill=bill, to_status=BillStatus.SUBMITTED, occurred_on=D(2016, 9, 1))

    def test_month_precision_compares_by_its_whole_span(self):
        bill = advance(
            BillFactory(),
            (BillStatus.ANNOUNCED, D(2016, 9, 1)),
            (BillStatus.SUBMITTED, D(2016, 11, 15)),
        )
        action = bill_change_status(
            bill=bill,
            to_status=BillStatus.IN_MAZHILIS_COMMITTEE,
            occurred_on=D(2016, 11, 20),
            occurred_precision=DatePrecision.MONTH,
        )
        assert action.occurred_on == D(2016, 11, 1)
        assert action.occurred_precision == DatePrecision.MONTH

    def test_date_before_introduction_is_refused(self):
        bill = BillFactory(introduced_on=D(2016, 10, 26), introduced_precision=DatePrecision.DAY)
        advance(bill, (BillStatus.ANNOUNCED, D(2016, 9, 1)))
        with pytest.raises(ValidationError, match="before the bill's introduction"):
            bill_change_status(
                bill=bill, to_status=BillStatus.SUBMITTED, occurred_on=D(2016, 10, 1)
            )

    def test_unknown_date_is_recorded_as_unknown(self):
        bill = advance(BillFactory(), (BillStatus.ANNOUNCED, D(2016, 9, 1)))
        action = bill_change_status(bill=bill, to_status=BillStatus.DRAFTED, occurred_on=None)
        assert action.occurred_on is None
        assert action.occurred_precision == DatePrecision.UNKNOWN

    def test_dated_action_with_unknown_precision_is_refused(self):
        with pytest.raises(ValidationError) as error:
            bill_change_status(
                bill=BillFactory(),
                to_status=BillStatus.ANNOUNCED,
                occurred_on=D(2016, 9, 1),
                occurred_precision=DatePrecision.UNKNOWN,
            )
        assert "occurred_precision" in error.value.message_dict

    def test_unknown_status_is_refused(self):
        with pytest.raises(ValidationError, match="Unknown status"):
            bill_change_status(bill=BillFactory(), to_status="passed", occurred_on=D(2016, 9, 1))
