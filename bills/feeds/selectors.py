"""Reads for the Atom feeds: public records only, whoever asks.

A feed reader sends no credentials and a shared cache may keep the answer for everyone, so every
query here starts from the gate's `public()` (policytracker.visibility), never from the caller's
permissions. Each feed costs a fixed number of queries: its subject, then per kind of entry one
query for the rows (with what they reference) and one per prefetched list.
"""

from django.db.models import Prefetch, Q, QuerySet

from bills.models import Bill, BillAction, Person, Statement, StatementBill, Topic
from sources.selectors import citations_prefetch

# Entries per feed; readers poll, so the newest are what matters.
FEED_LIMIT = 50

FeedRecord = BillAction | Statement


def feed_bill(*, slug: str) -> Bill:
    """The public bill a feed is about (Bill.DoesNotExist for a draft or an unknown slug)."""
    return Bill.objects.public().get(slug=slug)


def feed_person(*, slug: str) -> Person:
    """The public person a feed is about (Person.DoesNotExist for a draft or an unknown slug)."""
    return Person.objects.public().get(slug=slug)


def feed_topic(*, slug: str) -> Topic:
    """The topic a feed is about (Topic.DoesNotExist for an unknown slug)."""
    return Topic.objects.public().get(slug=slug)


def _actions() -> QuerySet[BillAction]:
    """Public status changes (of public bills), with their bill, actor and sources; the actor
    is a reference the renderer shows only when it is public itself."""
    return (
        BillAction.objects.public()
        .select_related("bill", "actor")
        .prefetch_related(citations_prefetch(see_drafts=False))
        .order_by("-updated_at", "-pk")
    )


def _statements() -> QuerySet[Statement]:
    """Public statements with the public bills they concern (stance) and their sources."""
    stances = StatementBill.objects.public().select_related("bill").order_by("bill__slug")
    return (
        Statement.objects.public()
        .prefetch_related(
            Prefetch("bill_links", queryset=stances), citations_prefetch(see_drafts=False)
        )
        .order_by("-updated_at", "-pk")
    )


def _newest(*querysets: QuerySet, limit: int) -> list[FeedRecord]:
    """The `limit` most recently recorded rows of several querysets, newest first."""
    rows = [row for queryset in querysets for row in queryset[:limit]]
    rows.sort(key=lambda row: (row.updated_at, row._meta.model_name, row.pk), reverse=True)
    return rows[:limit]


def bill_feed_records(*, bill: Bill, limit: int = FEED_LIMIT) -> list[FeedRecord]:
    """A public bill's status changes and the public statements about it."""
    return _newest(
        _actions().filter(bill=bill), _statements().filter(bill_links__bill=bill), limit=limit
    )


def topic_feed_records(*, topic: Topic, limit: int = FEED_LIMIT) -> list[FeedRecord]:
    """Status changes of the public bills in `topic`, and the public statements about those
    bills or tagged with the topic themselves."""
    about_bills = StatementBill.objects.public().filter(bill__topics=topic).values("statement")
    tagged = Statement.topics.through.objects.filter(topic=topic).values("statement")
    statements = _statements().filter(Q(pk__in=about_bills) | Q(pk__in=tagged))
    return _newest(_actions().filter(bill__topics=topic), statements, limit=limit)


def person_feed_records(*, person: Person, limit: int = FEED_LIMIT) -> list[FeedRecord]:
    """The public statements a public person made."""
    return _newest(_statements().filter(speaker_person=person), limit=limit)


def status_change_records(*, limit: int = FEED_LIMIT) -> list[FeedRecord]:
    """Every public bill's recorded status changes."""
    return _newest(_actions(), limit=limit)
