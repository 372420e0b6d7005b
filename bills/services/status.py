"""Status changes: the only writer of a bill's `status` and of its history (actions)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bills.models import Bill, BillAction, Organization
from bills.procedure import BillStatus, procedure_for
from policytracker.changes.models import ChangeKind
from policytracker.changes.services import change_record, changed_values, hold_change_log
from policytracker.dates import span_end, span_start
from policytracker.models import DatePrecision
from policytracker.services import check_version, touch_embedding
from sources.services import citations_add

TRANSITION_NOT_ALLOWED = (
    "A bill in status '{current}' cannot move to '{target}'. Allowed: {allowed}."
)
SKIP_NOT_FORWARD = (
    "Skipping unrecorded steps is only allowed forward along the main procedure line, "
    "not from '{current}' to '{target}'."
)
DATE_IN_FUTURE = "The action date {date} is in the future."
DATE_BEFORE_PREVIOUS = "The action date {date} is before the previous action ({previous})."
DATE_BEFORE_INTRODUCTION = (
    "The action date {date} is before the bill's introduction ({introduced})."
)
PRECISION_WITHOUT_DATE = "Give a date, or set the precision to 'unknown'."

# Actions that may legitimately precede the formal introduction of a bill.
PRE_INTRODUCTION_STATUSES = frozenset({BillStatus.ANNOUNCED, BillStatus.DRAFTED})


def _check_transition(bill: Bill, to_status: str, skips_unrecorded_steps: bool) -> None:
    procedure = procedure_for(bill.procedure)
    allowed = procedure.allowed_next(bill.status)
    if to_status in allowed:
        return
    if skips_unrecorded_steps:
        if procedure.is_forward_on_main_line(bill.status, to_status):
            return
        message = SKIP_NOT_FORWARD.format(current=bill.status or "none", target=to_status)
    else:
        message = TRANSITION_NOT_ALLOWED.format(
            current=bill.status or "none",
            target=to_status,
            allowed=", ".join(sorted(allowed)) or "none (final status)",
        )
    raise ValidationError({"to_status": message})


def _check_date(
    bill: Bill, to_status: str, occurred_on: datetime.date | None, precision: str
) -> None:
    if occurred_on is None:
        if precision != DatePrecision.UNKNOWN:
            raise ValidationError({"occurred_precision": PRECISION_WITHOUT_DATE})
        return
    if span_start(occurred_on, precision) > timezone.localdate():
        raise ValidationError({"occurred_on": DATE_IN_FUTURE.format(date=occurred_on)})
    previous = bill.actions.exclude(occurred_on__isnull=True).order_by("-order").first()
    if previous and span_end(occurred_on, precision) < previous.occurred_on:
        raise ValidationError(
            {
                "occurred_on": DATE_BEFORE_PREVIOUS.format(
                    date=occurred_on, previous=previous.occurred_on
                )
            }
        )
    if (
        bill.introduced_on
        and to_status not in PRE_INTRODUCTION_STATUSES
        and span_end(occurred_on, precision) < bill.introduced_on
    ):
        raise ValidationError(
            {
                "occurred_on": DATE_BEFORE_INTRODUCTION.format(
                    date=occurred_on, introduced=bill.introduced_on
                )
            }
        )


@transaction.atomic
def bill_change_status(
    *,
    bill: Bill,
    to_status: str,
    occurred_on: datetime.date | None,
    occurred_precision: str = DatePrecision.DAY,
    actor: Organization | None = None,
    classification: str | None = None,
    description: str = "",
    skips_unrecorded_steps: bool = False,
    expected_version: int | None = None,
) -> BillAction:
    """Record a dated action moving `bill` to `to_status`.

    Enforces the procedure's transition table (a forward jump is allowed only when flagged as
    skipping steps the sources do not record), a date that is not in the future and not before
    the previous action, and keeps `bill.status` equal to the latest action's resulting status.
    """
    hold_change_log()  # before the row lock, as every writer (policytracker.services.lock)
    bill = Bill._base_manager.select_for_update().get(pk=bill.pk)
    check_version(bill, expected_version)
    if occurred_on is None:
        occurred_precision = DatePrecision.UNKNOWN
    elif occurred_precision == DatePrecision.UNKNOWN:
        raise ValidationError({"occurred_precision": "A dated action needs a known precision."})
    else:
        occurred_on = span_start(occurred_on, occurred_precision)
    if to_status not in BillStatus.values:
        raise ValidationError({"to_status": f"Unknown status '{to_status}'."})
    _check_transition(bill, to_status, skips_unrecorded_steps)
    _check_date(bill, to_status, occurred_on, occurred_precision)

    procedure = procedure_for(bill.procedure)
    last = bill.actions.order_by("-order").values_list("order", flat=True).first() or 0
    action = BillAction(
        bill=bill,
        order=last + 1,
        occurred_on=occurred_on,
        occurred_precision=occurred_precision,
        actor=actor,
        classification=classification or procedure.default_classification[to_status],
        resulting_status=to_status,
        description=description,
        skips_unrecorded_steps=skips_unrecorded_steps,
    )
    action.full_clean()
    action.save()

    bill.status = to_status
    bill.status_changed_on = occurred_on
    bill.status_changed_precision = occurred_precision
    bill.version += 1
    bill.save(
        update_fields=[
            "status",
            "status_changed_on",
            "status_changed_precision",
            "version",
            "updated_at",
        ]
    )
    # The change log: the new action, then the bill's status (recorded now, whatever date the
    # action carries), then the records showing the bill's status (a statement's stance).
    change_record(
        action,
        ChangeKind.CREATED,
        changed=changed_values(
            action,
            ["order", "occurred_on", "occurred_precision", "actor", "classification"]
            + ["resulting_status", "description", "skips_unrecorded_steps"],
        ),
    )
    change_record(
        bill,
        ChangeKind.STATUS_CHANGED,
        changed=changed_values(bill, ["status", "status_changed_on", "status_changed_precision"]),
    )
    touch_embedding(bill, skip=frozenset({(action._meta.label, action.pk)}))
    return action


@transaction.atomic
def bill_record_action(*, bill: Bill, citations: list[dict], **action_values) -> BillAction:
    """Record a status change through the transition rules, with the sources that prove it."""
    action = bill_change_status(bill=bill, **action_values)
    citations_add(record=action, citations=citations, touch=False)
    return action
