"""Atom 1.0 feeds (Django's syndication framework): what was recorded, newest first.

Each entry is one record: a bill's status change or a statement. Its `id` is a tag URI naming the
record by primary key (stable when slugs change), `published` and `updated` are when the record was
created and last changed here (the legislative date is often unknown or only a month, so it is
stated in words in the summary instead), and its link is the record in the API. Summaries are
HTML built with `format_html`, so every stored text is escaped.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db import models
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.http import parse_http_date
from django.utils.safestring import SafeString, mark_safe

from bills.feeds import selectors
from bills.models import BillAction, BillStatus, Statement
from policytracker.api import last_modified_of
from policytracker.changes.selectors import latest_change_time
from policytracker.models import DatePrecision
from policytracker.visibility import is_public

PUBLISHER = "policytracker"
DNS_NAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")


def describe_date(value: datetime.date | None, precision: str) -> str:
    """A legislative date as precisely as it is known: "7 November 2016", "November 2016",
    "2016", or "date unknown"."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return "date unknown"
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{MONTHS[value.month]} {value.year}"
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def _sources_html(record: models.Model) -> SafeString:
    """The record's public sources (prefetched), each with its excerpt, publisher and address."""
    citations = list(record.citations.all())
    if not citations:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li>“{}” — <a href="{}">{}</a>{}</li>',
        (
            (
                citation.excerpt,
                citation.source.url,
                citation.source.title,
                f", {citation.source.publisher}" if citation.source.publisher else "",
            )
            for citation in citations
        ),
    )
    return format_html("<p>Sources:</p><ul>{}</ul>", items)


@dataclass(frozen=True)
class Subject:
    """What a feed is about (None for every status change), with the host that names its ids."""

    record: models.Model | None
    host: str
    feed_url: str


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    summary: str
    published: datetime.datetime
    updated: datetime.datetime


def tag_authority(request) -> str:
    """The request's host name without its port: a tag URI's authority must be a DNS name (an
    IPv6 literal is not one, so a feed read that way names its entries under "localhost")."""
    domain, _port = split_domain_port(request.get_host())
    return domain if DNS_NAME.fullmatch(domain) else "localhost"


def _tag(host: str, kind: str, record: models.Model) -> str:
    # RFC 4151: the authority and the day it minted the name, then the record's kind and key.
    return f"tag:{host},{record.created_at:%Y-%m-%d}:{kind}/{record.pk}"


def action_entry(action: BillAction, host: str) -> Entry:
    bill = action.bill
    status = BillStatus(action.resulting_status).label
    actor = action.actor if action.actor is not None and is_public(action.actor) else None
    summary = format_html(
        "<p>{} — status: <strong>{}</strong> ({}{}).</p>{}{}{}",
        bill.title or bill.short_title,
        status,
        describe_date(action.occurred_on, action.occurred_precision),
        f", {actor}" if actor else "",
        format_html("<p>{}</p>", action.description) if action.description else "",
        mark_safe("<p>The sources do not record the steps before this one.</p>")
        if action.skips_unrecorded_steps
        else "",
        _sources_html(action),
    )
    return Entry(
        id=_tag(host, "bill-action", action),
        title=f"{bill.short_title or bill.slug}: {status}",
        link=reverse("bill-action-detail", args=[action.pk]),
        summary=summary,
        published=action.created_at,
        updated=action.updated_at,
    )


def statement_entry(statement: Statement, host: str) -> Entry:
    links = list(statement.bill_links.all())
    title = statement.attribution
    if links:
        first = links[0].bill.short_title or links[0].bill.slug
        others = len(links) - 1
        title += f" on {first}"
        if others:
            title += f" and {others} other bill" + ("s" if others > 1 else "")
    stances = format_html_join(
        "",
        "<li>{}: {}</li>",
        ((link.bill.short_title or link.bill.slug, link.get_stance_display()) for link in links),
    )
    summary = format_html(
        "<p>{} ({}; {}):</p><blockquote>{}</blockquote>{}{}",
        statement.attribution,
        describe_date(statement.said_on, statement.said_precision),
        statement.get_form_display().lower(),
        statement.text,
        format_html("<p>Stance:</p><ul>{}</ul>", stances) if links else "",
        _sources_html(statement),
    )
    return Entry(
        id=_tag(host, "statement", statement),
        title=title,
        link=reverse("statement-detail", kwargs={"slug": statement.slug}),
        summary=summary,
        published=statement.created_at,
        updated=statement.updated_at,
    )


def to_entry(record: selectors.FeedRecord, host: str) -> Entry:
    if isinstance(record, BillAction):
        return action_entry(record, host)
    return statement_entry(record, host)


class RecordFeed(Feed):
    """The shared shape: Atom 1.0, entries built from records, ids from the request's host."""

    feed_type = Atom1Feed
    language = "en"
    author_name = PUBLISHER

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        if response.status_code == 200:
            # A feed loses entries when records leave public view: it dates from the change
            # log too, so its Last-Modified never moves backwards (as the API's lists).
            stamps = [latest_change_time(request.user)]
            if response.has_header("Last-Modified"):
                seconds = parse_http_date(response["Last-Modified"])
                stamps.append(datetime.datetime.fromtimestamp(seconds, datetime.UTC))
            stamps = [stamp for stamp in stamps if stamp is not None]
            if stamps:
                response["Last-Modified"] = last_modified_of([], not_before=max(stamps))
        return response

    def get_object(self, request, *args, **kwargs) -> Subject:
        return Subject(
            self.subject(**kwargs), tag_authority(request), request.build_absolute_uri(request.path)
        )

    def subject(self, **kwargs) -> models.Model | None:
        return None

    def feed_guid(self, subject: Subject) -> str:
        return subject.feed_url

    def items(self, subject: Subject) -> list[Entry]:
        return [to_entry(record, subject.host) for record in self.records(subject.record)]

    def item_title(self, entry: Entry) -> str:
        return entry.title

    def item_description(self, entry: Entry) -> str:
        return entry.summary

    def item_link(self, entry: Entry) -> str:
        return entry.link

    def item_guid(self, entry: Entry) -> str:
        return entry.id

    def item_pubdate(self, entry: Entry) -> datetime.datetime:
        return entry.published

    def item_updateddate(self, entry: Entry) -> datetime.datetime:
        return entry.updated


class BillFeed(RecordFeed):
    """A bill's recorded status changes and the statements about it."""

    def subject(self, *, slug: str):
        return selectors.feed_bill(slug=slug)

    def records(self, bill):
        return selectors.bill_feed_records(bill=bill)

    def title(self, subject: Subject) -> str:
        return f"{subject.record}: status changes and statements"

    def subtitle(self, subject: Subject) -> str:
        return "Recorded status changes of the bill and public statements about it, newest first."

    def link(self, subject: Subject) -> str:
        return reverse("bill-detail", kwargs={"slug": subject.record.slug})


class TopicFeed(RecordFeed):
    """Status changes and statements of the bills in a topic, and statements tagged with it."""

    def subject(self, *, slug: str):
        return selectors.feed_topic(slug=slug)

    def records(self, topic):
        return selectors.topic_feed_records(topic=topic)

    def title(self, subject: Subject) -> str:
        return f"{subject.record}: status changes and statements"

    def subtitle(self, subject: Subject) -> str:
        return (
            "Recorded status changes of the bills in this topic, and public statements about "
            "them or tagged with the topic, newest first."
        )

    def link(self, subject: Subject) -> str:
        return reverse("topic-detail", kwargs={"slug": subject.record.slug})


class PersonFeed(RecordFeed):
    """The public statements a person made."""

    def subject(self, *, slug: str):
        return selectors.feed_person(slug=slug)

    def records(self, person):
        return selectors.person_feed_records(person=person)

    def title(self, subject: Subject) -> str:
        return f"{subject.record}: statements"

    def subtitle(self, subject: Subject) -> str:
        return "Public statements recorded for this person, newest first."

    def link(self, subject: Subject) -> str:
        return reverse("person-detail", kwargs={"slug": subject.record.slug})


class StatusChangeFeed(RecordFeed):
    """Every recorded status change of every public bill."""

    title = "policytracker: bill status changes"
    subtitle = "Every recorded status change of every public bill, newest first."

    def records(self, _):
        return selectors.status_change_records()

    def link(self) -> str:
        return reverse("bill-action-list")
