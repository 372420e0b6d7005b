"""Lean pages of bills and statements: one query whose rows carry each record's JSON, written
by PostgreSQL (bills/api/documents.py), embedded in the page as is; field for field what
BillSerializer and StatementSerializer give (tests/test_lean.py)."""

import functools

from django.contrib.contenttypes.models import ContentType
from django.db.models.expressions import RawSQL
from orjson import Fragment

from bills import selectors
from bills.api.documents import Documents
from bills.api.translated import content_language
from bills.models import Bill, BillAction, Sponsorship, Statement, StatementBill
from policytracker.json_sql import AsText, precompiled
from policytracker.lean import SOURCE_FIELDS, Addresses, source_summary
from sources.models import Source
from sources.selectors import citations_prefetch

# What a lean row carries besides its document: every ordering field (a cursor position),
# `updated_at` (Last-Modified).
BILL_COLUMNS = ("id", "slug", "short_title", "created_at", "updated_at")
STATEMENT_COLUMNS = ("id", "slug", "said_on_key", "sequence_key", "created_at", "updated_at")


def bill_rows(*, see_drafts: bool, q: str | None):
    """The gated, searched bills a lean page is cut from (bill_list without its prefetches).
    `rewrite(False)`: `short_title` (a row's ordering column) is the original column, not
    modeltranslation's active-language one, so the prepared rows carry it under its own name."""
    bills = Bill.objects.rewrite(False).visible(see_drafts=see_drafts)
    return selectors.with_search(bills, q).order_by("slug")


def statement_rows(*, see_drafts: bool, q: str | None):
    """The gated, searched statements a lean page is cut from (statement_list without its
    prefetches)."""
    statements = selectors.with_order_keys(Statement.objects.visible(see_drafts=see_drafts))
    return selectors.with_search(statements, q).order_by("slug")


def bill_document(
    *, request, see_drafts: bool, include: frozenset, compact: bool = False
) -> RawSQL:
    """BillSerializer's output as an expression PostgreSQL evaluates per bill (`compact`:
    citations name their source by id, URL and title, see `cited_sources`)."""
    return _compiled(
        "bill", _base(request), see_drafts, include, compact, content_language(request)
    )


def statement_document(*, request, see_drafts: bool, compact: bool = False) -> RawSQL:
    """StatementSerializer's output as an expression PostgreSQL evaluates per statement."""
    return _compiled(
        "statement", _base(request), see_drafts, frozenset(), compact, content_language(request)
    )


def cited_sources(model, ids, *, see_drafts: bool, include: frozenset = frozenset()) -> dict:
    """Every source the page's records (of `model`, ids `ids`) cite, with what `include` adds,
    once, by id: the `sources` map of a `citations=compact` page. Read through the same gates
    as the documents' citations, so it holds exactly the sources they name."""
    gate = {"see_drafts": see_drafts}
    cited = [_cited_by(model, ids)]
    if model is Bill and "sponsors" in include:
        sponsorships = selectors.sponsorships_prefetch(**gate).queryset
        cited.append(_cited_by(Sponsorship, sponsorships.filter(bill_id__in=ids).values("id")))
    if model is Bill and "actions" in include:
        actions = selectors.actions_prefetch(**gate).queryset.filter(bill_id__in=ids)
        cited.append(_cited_by(BillAction, actions.values("id")))
    if model is Bill and "statements" in include:
        links = selectors.statement_links_prefetch(**gate).queryset.filter(bill_id__in=ids)
        cited.append(_cited_by(Statement, links.values("statement_id")))
        cited.append(_cited_by(StatementBill, links.values("id")))
    if model is Statement:
        # Each stance cites the excerpts that show it.
        stances = StatementBill.objects.visible(**gate).filter(statement_id__in=ids)
        cited.append(_cited_by(StatementBill, stances.values("id")))
    # One index scan per kind of cited record, as a union (an OR of them scans every citation).
    citations = citations_prefetch(**gate).queryset.order_by()
    first, *others = (citations.filter(**kind).values("source_id") for kind in cited)
    source_ids = set(first.union(*others).values_list("source_id", flat=True))
    sources = (
        Source.objects.visible(**gate)
        .filter(pk__in=source_ids)
        .order_by("pk")
        .values(*SOURCE_FIELDS)
    )
    return {str(row["id"]): source_summary(row) for row in sources}


def _cited_by(model, ids) -> dict:
    content_type = ContentType.objects.get_for_model(model)
    return {"content_type_id": content_type.pk, "object_id__in": ids}


def bill_page(rows: list[dict], **_) -> list[Fragment]:
    """The documents of bill rows read with `bill_document`, embedded in the page as is."""
    return [Fragment(row["document"]) for row in rows]


def statement_page(rows: list[dict], **_) -> list[Fragment]:
    """The documents of statement rows read with `statement_document`."""
    return [Fragment(row["document"]) for row in rows]


def _base(request) -> str:
    # Addresses depend on the scheme, host and script prefix only.
    return request.build_absolute_uri("/") if request is not None else "/"


@functools.lru_cache(maxsize=256)
def _compiled(
    kind: str, base: str, see_drafts: bool, include: frozenset, compact: bool, language: str
) -> RawSQL:
    """Built and compiled once per kind, address base, gate, include set, citation form and
    content language: compiling the nested subqueries costs more than running them."""
    addresses = Addresses(_BaseRequest(base))
    documents = Documents(addresses, see_drafts=see_drafts, compact=compact, language=language)
    if kind == "bill":
        return precompiled(Bill, AsText(documents.bill(include)))
    return precompiled(Statement, AsText(documents.statement()))


class _BaseRequest:
    """What Addresses asks of a request, for a given base address."""

    def __init__(self, base: str):
        self.base = base

    def build_absolute_uri(self, path: str) -> str:
        return self.base.rstrip("/") + path if self.base != "/" else path


def clear_compiled_documents() -> None:
    """Forget the compiled documents (tests that count a cold request's queries)."""
    _compiled.cache_clear()
