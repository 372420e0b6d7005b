"""The legislative procedure as data: statuses, what each means, and the allowed transitions.

Labels, explanations and next steps are English here and everywhere the API serves them; they
are marked with `gettext_noop` so that the public site shows them translated
(`gettext(label)` when rendering, site_pages/formatting.py) while the API, the exports and the
lean SQL documents keep plain strings.

One table per procedure version. The 2016 rules (Constitutional Law on Parliament, 2013 wording;
see the seed record §3) are `KZ_2013`; the 2023 reform (Mazhilis adopts, Senate approves) can be
added as another `Procedure` without touching the models or the services.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_noop


class BillStatus(models.TextChoices):
    ANNOUNCED = "announced", gettext_noop("Announced")
    DRAFTED = "drafted", gettext_noop("Drafted")
    SUBMITTED = "submitted", gettext_noop("Submitted to the Mazhilis")
    IN_MAZHILIS_COMMITTEE = "in_mazhilis_committee", gettext_noop("In Mazhilis committee")
    MAZHILIS_FIRST_READING = (
        "mazhilis_first_reading",
        gettext_noop("Approved in first reading (Mazhilis)"),
    )
    MAZHILIS_ADOPTED = "mazhilis_adopted", gettext_noop("Adopted by the Mazhilis")
    IN_SENATE = "in_senate", gettext_noop("In the Senate")
    SENATE_ADOPTED = "senate_adopted", gettext_noop("Adopted by the Senate")
    SENATE_RETURNED = "senate_returned", gettext_noop("Returned by the Senate with amendments")
    CONCILIATION = "conciliation", gettext_noop("In conciliation between the chambers")
    SENATE_REJECTED = "senate_rejected", gettext_noop("Rejected by the Senate")
    SENT_TO_PRESIDENT = "sent_to_president", gettext_noop("Sent to the President")
    RETURNED_BY_PRESIDENT = (
        "returned_by_president",
        gettext_noop("Returned by the President with objections"),
    )
    SIGNED = "signed", gettext_noop("Signed into law")
    DEEMED_SIGNED = "deemed_signed", gettext_noop("Deemed signed")
    IN_FORCE = "in_force", gettext_noop("In force")
    WITHDRAWN = "withdrawn", gettext_noop("Withdrawn by the initiator")
    FAILED = "failed", gettext_noop("Not adopted")


class ActionClassification(models.TextChoices):
    ANNOUNCEMENT = "announcement", "Announcement of a planned bill"
    DRAFTING = "drafting", "Drafting by the lead agency"
    INTRODUCTION = "introduction", "Submission to the Mazhilis (e.g. Government decree)"
    COMMITTEE_REFERRAL = "committee_referral", "Referral to a Mazhilis committee"
    READING_PASSED = "reading_passed", "Reading passed"
    PASSAGE = "passage", "Passage by a chamber"
    REFERRAL_TO_SENATE = "referral_to_senate", "Transmission to the Senate"
    AMENDMENT_RETURN = "amendment_return", "Returned with amendments"
    CONCILIATION = "conciliation", "Conciliation procedure"
    REJECTION = "rejection", "Rejection"
    OVERRIDE = "override", "Two-thirds override"
    AMENDMENTS_ACCEPTED = "amendments_accepted", "Amendments accepted"
    TRANSMISSION_TO_PRESIDENT = "transmission_to_president", "Transmission to the President"
    EXECUTIVE_SIGNATURE = "executive_signature", "Signature by the President"
    EXECUTIVE_VETO = "executive_veto", "Return by the President (objections)"
    DEEMED_SIGNATURE = "deemed_signature", "Deemed signed (no action within a month)"
    ENTRY_INTO_FORCE = "entry_into_force", "Entry into force"
    WITHDRAWAL = "withdrawal", "Withdrawal by the initiator"
    FAILURE = "failure", "Failure"


@dataclass(frozen=True)
class StatusInfo:
    """What a status means in plain language, and what usually comes next."""

    explanation: str
    next_step: str
    stage: int  # position on the main line; side branches share the stage they leave from
    terminal: bool = False


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    statuses: dict[str, StatusInfo]
    transitions: dict[str, frozenset[str]]
    default_classification: dict[str, str] = field(default_factory=dict)

    def allowed_next(self, status: str | None) -> frozenset[str]:
        if status is None:
            return frozenset({BillStatus.ANNOUNCED, BillStatus.DRAFTED, BillStatus.SUBMITTED})
        return self.transitions.get(status, frozenset())

    def is_forward_on_main_line(self, status: str | None, to_status: str) -> bool:
        """A jump forward past unrecorded steps: used when the record lacks intermediate actions."""
        current = -1 if status is None else self.statuses[status].stage
        target = self.statuses[to_status]
        return target.stage > current and status not in self.terminal_statuses()

    def terminal_statuses(self) -> frozenset[str]:
        return frozenset(code for code, info in self.statuses.items() if info.terminal)


S = BillStatus
C = ActionClassification

KZ_2013 = Procedure(
    code="kz-2013",
    name="Kazakhstan, Constitutional Law on Parliament (2013 wording, in force 2013–2022)",
    statuses={
        S.ANNOUNCED: StatusInfo(
            gettext_noop(
                "The initiator has said publicly that this bill will be proposed; no text is "
                "before Parliament yet."
            ),
            gettext_noop("The lead agency drafts the text."),
            0,
        ),
        S.DRAFTED: StatusInfo(
            gettext_noop("A ministry or agency is drafting the bill, often with public hearings."),
            gettext_noop(
                "The Government approves the draft by decree and submits it to the Mazhilis."
            ),
            1,
        ),
        S.SUBMITTED: StatusInfo(
            gettext_noop(
                "The initiator has formally submitted the bill to the Mazhilis, where every bill "
                "starts (for a Government bill, by a decree 'On the draft Law…')."
            ),
            gettext_noop("The Mazhilis sends it to a standing committee."),
            2,
        ),
        S.IN_MAZHILIS_COMMITTEE: StatusInfo(
            gettext_noop(
                "A Mazhilis standing committee is examining the bill; it cannot go to the plenary "
                "before the committee gives its conclusions."
            ),
            gettext_noop("The Mazhilis votes on it in first reading."),
            3,
        ),
        S.MAZHILIS_FIRST_READING: StatusInfo(
            gettext_noop(
                "The Mazhilis approved the bill's concept in first reading; amendments are being "
                "prepared for the second reading."
            ),
            gettext_noop("The Mazhilis votes on the final text in second reading."),
            4,
        ),
        S.MAZHILIS_ADOPTED: StatusInfo(
            gettext_noop("A majority of all Mazhilis deputies approved the bill."),
            gettext_noop("The bill goes to the Senate."),
            5,
        ),
        S.IN_SENATE: StatusInfo(
            gettext_noop("The Senate is considering the bill; it has at most 60 days."),
            gettext_noop("The Senate adopts it, returns it with amendments, or rejects it."),
            6,
        ),
        S.SENATE_RETURNED: StatusInfo(
            gettext_noop("The Senate made amendments and returned the bill to the Mazhilis."),
            gettext_noop(
                "If the Mazhilis agrees the law is adopted; if not, the chambers go to "
                "conciliation."
            ),
            6,
        ),
        S.CONCILIATION: StatusInfo(
            gettext_noop(
                "The chambers disagree on the Senate's amendments and are working out a joint text."
            ),
            gettext_noop("An agreed text is sent to the President, or the bill fails."),
            6,
        ),
        S.SENATE_REJECTED: StatusInfo(
            gettext_noop(
                "The Senate rejected the bill as a whole and returned it to the Mazhilis."
            ),
            gettext_noop(
                "A two-thirds Mazhilis vote sends it back to the Senate; otherwise the bill dies."
            ),
            6,
        ),
        S.SENATE_ADOPTED: StatusInfo(
            gettext_noop(
                "A majority of all senators adopted the bill: it has become a law awaiting "
                "signature."
            ),
            gettext_noop("The law goes to the President within 10 days."),
            7,
        ),
        S.SENT_TO_PRESIDENT: StatusInfo(
            gettext_noop(
                "The law is with the President, who has one month to sign it or return it."
            ),
            gettext_noop(
                "The President signs it, or returns all or some articles with objections."
            ),
            8,
        ),
        S.RETURNED_BY_PRESIDENT: StatusInfo(
            gettext_noop(
                "The President returned the law with objections; Parliament has one month to "
                "re-debate it."
            ),
            gettext_noop(
                "Two-thirds of each chamber overcome the objections, or the law is adopted in the "
                "President's wording, or it is not adopted."
            ),
            8,
        ),
        S.SIGNED: StatusInfo(
            gettext_noop(
                "The President signed the law; it has a law number (e.g. 28-VI) and a date."
            ),
            gettext_noop(
                "The law enters into force on the date it sets, usually after publication."
            ),
            9,
        ),
        S.DEEMED_SIGNED: StatusInfo(
            gettext_noop(
                "The President neither signed nor returned the law within a month, so it is deemed "
                "signed."
            ),
            gettext_noop("The law enters into force on the date it sets."),
            9,
        ),
        S.IN_FORCE: StatusInfo(
            gettext_noop("The law is in force."),
            gettext_noop("Nothing further in this procedure."),
            10,
            terminal=True,
        ),
        S.WITHDRAWN: StatusInfo(
            gettext_noop("The initiator withdrew the bill (for the Government, by decree)."),
            gettext_noop("Nothing further; a new bill would start over."),
            11,
            terminal=True,
        ),
        S.FAILED: StatusInfo(
            gettext_noop("The bill was not adopted and cannot proceed."),
            gettext_noop("Nothing further in this session."),
            11,
            terminal=True,
        ),
    },
    transitions={
        S.ANNOUNCED: frozenset({S.DRAFTED, S.SUBMITTED, S.WITHDRAWN}),
        S.DRAFTED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
        S.SUBMITTED: frozenset({S.IN_MAZHILIS_COMMITTEE, S.WITHDRAWN}),
        S.IN_MAZHILIS_COMMITTEE: frozenset(
            {S.MAZHILIS_FIRST_READING, S.MAZHILIS_ADOPTED, S.WITHDRAWN, S.FAILED}
        ),
        S.MAZHILIS_FIRST_READING: frozenset(
            {S.MAZHILIS_ADOPTED, S.IN_MAZHILIS_COMMITTEE, S.WITHDRAWN, S.FAILED}
        ),
        S.MAZHILIS_ADOPTED: frozenset({S.IN_SENATE}),
        S.IN_SENATE: frozenset({S.SENATE_ADOPTED, S.SENATE_RETURNED, S.SENATE_REJECTED}),
        S.SENATE_RETURNED: frozenset({S.SENT_TO_PRESIDENT, S.CONCILIATION}),
        S.CONCILIATION: frozenset({S.SENT_TO_PRESIDENT, S.FAILED}),
        S.SENATE_REJECTED: frozenset({S.IN_SENATE, S.FAILED}),
        S.SENATE_ADOPTED: frozenset({S.SENT_TO_PRESIDENT}),
        S.SENT_TO_PRESIDENT: frozenset({S.SIGNED, S.RETURNED_BY_PRESIDENT, S.DEEMED_SIGNED}),
        S.RETURNED_BY_PRESIDENT: frozenset({S.SENT_TO_PRESIDENT, S.SIGNED, S.FAILED}),
        S.SIGNED: frozenset({S.IN_FORCE}),
        S.DEEMED_SIGNED: frozenset({S.IN_FORCE}),
        S.IN_FORCE: frozenset(),
        S.WITHDRAWN: frozenset(),
        S.FAILED: frozenset(),
    },
    default_classification={
        S.ANNOUNCED: C.ANNOUNCEMENT,
        S.DRAFTED: C.DRAFTING,
        S.SUBMITTED: C.INTRODUCTION,
        S.IN_MAZHILIS_COMMITTEE: C.COMMITTEE_REFERRAL,
        S.MAZHILIS_FIRST_READING: C.READING_PASSED,
        S.MAZHILIS_ADOPTED: C.PASSAGE,
        S.IN_SENATE: C.REFERRAL_TO_SENATE,
        S.SENATE_ADOPTED: C.PASSAGE,
        S.SENATE_RETURNED: C.AMENDMENT_RETURN,
        S.CONCILIATION: C.CONCILIATION,
        S.SENATE_REJECTED: C.REJECTION,
        S.SENT_TO_PRESIDENT: C.TRANSMISSION_TO_PRESIDENT,
        S.RETURNED_BY_PRESIDENT: C.EXECUTIVE_VETO,
        S.SIGNED: C.EXECUTIVE_SIGNATURE,
        S.DEEMED_SIGNED: C.DEEMED_SIGNATURE,
        S.IN_FORCE: C.ENTRY_INTO_FORCE,
        S.WITHDRAWN: C.WITHDRAWAL,
        S.FAILED: C.FAILURE,
    },
)

PROCEDURES: dict[str, Procedure] = {KZ_2013.code: KZ_2013}
DEFAULT_PROCEDURE = KZ_2013.code


class ProcedureCode(models.TextChoices):
    KZ_2013 = KZ_2013.code, KZ_2013.name


def procedure_for(code: str) -> Procedure:
    return PROCEDURES[code]
