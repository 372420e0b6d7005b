"""Gated prefetches of a record's related lists, shared by the list selectors and the lean
read path (bills/api): each starts from the visibility gate, so a hidden row is never embedded."""

from django.db.models import Prefetch

from bills.models import BillAction, Sponsorship, StatementBill, Topic
from sources.selectors import citations_prefetch


def topics_prefetch(*, see_drafts: bool) -> Prefetch:
    """Visible topics of a bill or statement, by slug."""
    topics = Topic.objects.visible(see_drafts=see_drafts).order_by("slug")
    return Prefetch("topics", queryset=topics)


def sponsorships_prefetch(*, see_drafts: bool, lookup: str = "sponsorships") -> Prefetch:
    """Visible sponsorships (of a visible bill, by a visible sponsor), with their chamber."""
    queryset = (
        Sponsorship.objects.visible(see_drafts=see_drafts)
        .select_related("person", "organization", "chamber")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
    )
    return Prefetch(lookup, queryset=queryset)


def actions_prefetch(*, see_drafts: bool) -> Prefetch:
    """Visible status-history rows of a bill, in order, with their actor."""
    queryset = (
        BillAction.objects.visible(see_drafts=see_drafts)
        .select_related("actor")
        .prefetch_related(citations_prefetch(see_drafts=see_drafts))
    )
    return Prefetch("actions", queryset=queryset.order_by("order"))


def statement_links_prefetch(*, see_drafts: bool) -> Prefetch:
    """Visible statements about a bill, each with its stance toward it."""
    queryset = (
        StatementBill.objects.visible(see_drafts=see_drafts)
        .select_related("statement__speaker_person")
        .prefetch_related(
            Prefetch(
                "statement__citations",
                queryset=citations_prefetch(see_drafts=see_drafts).queryset,
            ),
            citations_prefetch(see_drafts=see_drafts),
        )
        .order_by("statement__said_on", "statement_id")
    )
    return Prefetch("statement_links", queryset=queryset)
