"""Atom feeds: valid Atom 1.0 (as a feed library parses it), public records only, bounded, and a
fixed number of queries whatever the number of entries."""

import datetime
import time

import feedparser
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bills.feeds.selectors import FEED_LIMIT
from bills.feeds.views import describe_date
from bills.models import BillAction, Stance, StatementBill
from bills.services import bill_change_status
from policytracker.models import DatePrecision
from tests.bills.factories import BillFactory, PersonFactory, StatementFactory, TopicFactory
from tests.sources.factories import CitationFactory, SourceFactory
from tests.test_drafts_gate import MARKER, build_world

pytestmark = pytest.mark.django_db
D = datetime.date
ATOM = "application/atom+xml; charset=utf-8"
FEEDS = "/api/v1/feeds"


def read(client, path: str, **headers) -> feedparser.FeedParserDict:
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == ATOM
    parsed = feedparser.parse(response.content)
    assert parsed.version == "atom10"
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids))
    for entry in parsed.entries:
        assert entry.title
        assert entry.link.startswith("http://testserver/api/v1/")
        assert entry.updated_parsed is not None
        assert entry.published_parsed is not None
        assert entry.id.startswith("tag:testserver,")
    assert parsed.feed.id and parsed.feed.title and parsed.feed.updated
    return parsed


def newest_first(parsed) -> bool:
    stamps = [entry.updated_parsed for entry in parsed.entries]
    return stamps == sorted(stamps, reverse=True)


# -- a small world ------------------------------------------------------------------------------


@pytest.fixture
def bill_world():
    topic = TopicFactory(slug="security", name="Security")
    bill = BillFactory(slug="counter-bill", short_title="Counter bill")
    bill.topics.add(topic)
    announced = bill_change_status(
        bill=bill,
        to_status="announced",
        occurred_on=D(2016, 11, 1),
        occurred_precision=DatePrecision.MONTH,
        description="Announced in the <b>address</b>.",
    )
    source = SourceFactory(
        url="https://news.example.org/counter", title="Counter article", publisher="Tengri"
    )
    CitationFactory(record=announced, source=source, excerpt="The bill was announced.")
    speaker = PersonFactory(slug="speaker", name="Public Speaker")
    quote = StatementFactory(
        slug="quote",
        speaker_person=speaker,
        attribution="Public Speaker",
        text="We need this bill.",
        said_on=D(2016, 1, 1),
        said_precision=DatePrecision.YEAR,
    )
    StatementBill.objects.create(statement=quote, bill=bill, stance=Stance.SUPPORT)
    CitationFactory(record=quote, source=source, excerpt="We need this bill, he said.")
    return {"topic": topic, "bill": bill, "speaker": speaker, "quote": quote, "action": announced}


def test_bill_feed_has_its_status_changes_and_statements(client, bill_world):
    parsed = read(client, f"{FEEDS}/bills/counter-bill.atom")
    titles = [entry.title for entry in parsed.entries]
    assert "Counter bill: Announced" in titles
    assert "Public Speaker on Counter bill" in titles
    action = next(e for e in parsed.entries if e.title == "Counter bill: Announced")
    assert action.link == f"http://testserver/api/v1/bill-actions/{bill_world['action'].pk}/"
    assert "November 2016" in action.summary
    # Stored text is escaped, never markup of its own.
    assert "&lt;b&gt;address&lt;/b&gt;" in action.summary or "<b>" not in action.summary
    assert "The bill was announced." in action.summary
    assert "https://news.example.org/counter" in action.summary
    assert "Tengri" in action.summary
    quote = next(e for e in parsed.entries if e.title.startswith("Public Speaker"))
    assert quote.link == "http://testserver/api/v1/statements/quote/"
    assert "We need this bill." in quote.summary
    assert "2016" in quote.summary and "Support" in quote.summary
    assert parsed.feed.link == "http://testserver/api/v1/bills/counter-bill/"
    assert newest_first(parsed)


def test_entry_ids_and_times_name_the_record_not_the_legislative_date(client, bill_world):
    action = bill_world["action"]
    parsed = read(client, f"{FEEDS}/bills/counter-bill.atom")
    entry = next(e for e in parsed.entries if "bill-action" in e.id)
    assert entry.id == f"tag:testserver,{action.created_at:%Y-%m-%d}:bill-action/{action.pk}"
    assert entry.updated_parsed[:6] == action.updated_at.utctimetuple()[:6]
    # Reading again gives the same ids (a reader keeps them to spot new entries).
    assert [e.id for e in read(client, f"{FEEDS}/bills/counter-bill.atom").entries] == [
        e.id for e in parsed.entries
    ]


def test_topic_person_and_status_change_feeds(client, bill_world):
    topic = read(client, f"{FEEDS}/topics/security.atom")
    assert {e.title for e in topic.entries} == {
        "Counter bill: Announced",
        "Public Speaker on Counter bill",
    }
    person = read(client, f"{FEEDS}/people/speaker.atom")
    assert [e.title for e in person.entries] == ["Public Speaker on Counter bill"]
    everything = read(client, f"{FEEDS}/status-changes.atom")
    assert [e.title for e in everything.entries] == ["Counter bill: Announced"]
    assert everything.feed.link == "http://testserver/api/v1/bill-actions/"


def test_statement_tagged_with_a_topic_is_in_its_feed(client, bill_world):
    tagged = StatementFactory(slug="tagged", attribution="A tagger", text="On security.")
    tagged.topics.add(bill_world["topic"])
    parsed = read(client, f"{FEEDS}/topics/security.atom")
    assert "A tagger" in [e.title for e in parsed.entries]


def test_drafts_never_appear(client, bill_world):
    bill, speaker = bill_world["bill"], bill_world["speaker"]
    draft_statement = StatementFactory(
        slug="draft-quote", speaker_person=speaker, attribution="Hidden words", is_published=False
    )
    StatementBill.objects.create(statement=draft_statement, bill=bill, stance=Stance.OPPOSE)
    draft_bill = BillFactory(slug="draft-bill", short_title="Hidden bill", is_published=False)
    draft_bill.topics.add(bill_world["topic"])
    bill_change_status(bill=draft_bill, to_status="announced", occurred_on=D(2016, 9, 1))
    draft_person = PersonFactory(slug="draft-person", is_published=False)
    StatementFactory(slug="by-draft", speaker_person=draft_person, is_published=False)
    # A public person's statement made a draft again.
    quote = bill_world["quote"]
    quote.is_published = False
    quote.save()

    for path in [
        f"{FEEDS}/bills/counter-bill.atom",
        f"{FEEDS}/topics/security.atom",
        f"{FEEDS}/people/speaker.atom",
        f"{FEEDS}/status-changes.atom",
    ]:
        parsed = read(client, path)
        text = str(parsed)
        assert "Hidden" not in text and "draft-" not in text, path
        assert "Public Speaker on" not in text, path
    assert read(client, f"{FEEDS}/people/speaker.atom").entries == []
    for path in [
        f"{FEEDS}/bills/draft-bill.atom",
        f"{FEEDS}/people/draft-person.atom",
        f"{FEEDS}/bills/no-such-bill.atom",
        f"{FEEDS}/people/no-such-person.atom",
        f"{FEEDS}/topics/no-such-topic.atom",
    ]:
        assert client.get(path).status_code == 404, path


def test_drafts_linked_every_way_never_appear(client):
    """The drafts gate's world: draft actors, stances toward draft bills, draft sources cited by
    public records, statements by draft people — none of it reaches any feed."""
    world = build_world()
    for path in [
        f"{FEEDS}/bills/{world.bill.slug}.atom",
        f"{FEEDS}/topics/{world.topic.slug}.atom",
        f"{FEEDS}/people/{world.speaker.slug}.atom",
        f"{FEEDS}/status-changes.atom",
    ]:
        body = client.get(path).content.decode().lower()
        assert MARKER not in body, path
        assert read(client, path).entries, path
    for slug in [world.draft_bill.slug, world.draft_person.slug]:
        assert client.get(f"{FEEDS}/bills/{slug}.atom").status_code == 404
        assert client.get(f"{FEEDS}/people/{slug}.atom").status_code == 404


def test_a_curator_gets_the_public_feed(client, bill_world):
    """Feeds are the same for everyone (readers send no credentials; caches share them)."""
    from django.contrib.auth.models import Permission, User

    curator = User.objects.create_user("curator", password="pw")
    curator.user_permissions.add(Permission.objects.get(codename="view_drafts"))
    StatementFactory(slug="draft-quote", attribution="Hidden words", is_published=False)
    client.force_login(curator)
    assert "Hidden" not in str(read(client, f"{FEEDS}/status-changes.atom"))
    assert "Hidden" not in str(read(client, f"{FEEDS}/people/speaker.atom"))


def test_feeds_are_bounded_and_need_a_fixed_number_of_queries(client):
    topic = TopicFactory(slug="busy")
    speaker = PersonFactory(slug="busy-speaker")
    source = SourceFactory()
    for index in range(30):
        bill = BillFactory(slug=f"busy-{index}")
        bill.topics.add(topic)
        for status in ("announced", "drafted"):
            action = bill_change_status(bill=bill, to_status=status, occurred_on=D(2016, 9, 1))
            CitationFactory(record=action, source=source)
        statement = StatementFactory(speaker_person=speaker)
        StatementBill.objects.create(statement=statement, bill=bill)
        CitationFactory(record=statement, source=source)
    assert BillAction.objects.count() == 60

    # subject + actions + their citations + statements + stances + their citations, and the
    # change log's newest date (Last-Modified)
    expected = {
        f"{FEEDS}/status-changes.atom": 3,
        f"{FEEDS}/bills/busy-0.atom": 7,
        f"{FEEDS}/topics/busy.atom": 7,
        f"{FEEDS}/people/busy-speaker.atom": 5,
    }
    for path, queries in expected.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        assert len(captured) <= queries, (path, [q["sql"] for q in captured.captured_queries])
        parsed = feedparser.parse(response.content)
        assert len(parsed.entries) <= FEED_LIMIT
    assert len(read(client, f"{FEEDS}/status-changes.atom").entries) == FEED_LIMIT
    assert len(read(client, f"{FEEDS}/topics/busy.atom").entries) == FEED_LIMIT
    assert len(read(client, f"{FEEDS}/people/busy-speaker.atom").entries) == 30
    assert newest_first(read(client, f"{FEEDS}/topics/busy.atom"))


def test_seeded_bill_feed_has_its_actions(client):
    call_command("load_seed", stdout=open("/dev/null", "w"))  # noqa: SIM115
    bill = BillAction.objects.public().order_by("bill__slug").first().bill
    parsed = read(client, f"{FEEDS}/bills/{bill.slug}.atom")
    action_ids = {e.id for e in parsed.entries if ":bill-action/" in e.id}
    assert len(action_ids) == bill.actions.count() > 0
    assert read(client, f"{FEEDS}/status-changes.atom").entries


def test_feeds_are_cached_like_the_public_api(client, bill_world):
    time.sleep(1.1)  # past the second of the last change (policytracker.api.last_modified_of)
    response = client.get(f"{FEEDS}/bills/counter-bill.atom")
    assert response["Cache-Control"].startswith("public")
    assert response["Last-Modified"]
    again = client.get(
        f"{FEEDS}/bills/counter-bill.atom", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("value", "precision", "words"),
    [
        (D(2016, 11, 7), DatePrecision.DAY, "7 November 2016"),
        (D(2016, 11, 1), DatePrecision.MONTH, "November 2016"),
        (D(2016, 1, 1), DatePrecision.YEAR, "2016"),
        (None, DatePrecision.UNKNOWN, "date unknown"),
    ],
)
def test_legislative_dates_are_described_as_precisely_as_known(value, precision, words):
    assert describe_date(value, precision) == words


def test_the_api_links_each_feed(client, bill_world):
    bill = client.get("/api/v1/bills/counter-bill/")
    feed = "http://testserver/api/v1/feeds/bills/counter-bill.atom"
    assert bill.json()["feed_url"] == feed
    assert bill["Link"] == f'<{feed}>; rel="alternate"; type="application/atom+xml"'
    person = client.get("/api/v1/people/speaker/")
    assert person.json()["feed_url"] == "http://testserver/api/v1/feeds/people/speaker.atom"
    assert "people/speaker.atom" in person["Link"]
    topic = client.get("/api/v1/topics/security/")
    assert topic.json()["feed_url"] == "http://testserver/api/v1/feeds/topics/security.atom"
    assert "topics/security.atom" in topic["Link"]
    actions = client.get("/api/v1/bill-actions/")
    assert "feeds/status-changes.atom" in actions["Link"]
    for path in ["/api/v1/bills/", "/api/v1/people/", "/api/v1/topics/"]:
        assert all(row["feed_url"].endswith(".atom") for row in client.get(path).json()["results"])
    # Every advertised feed is served.
    for url in [feed, person.json()["feed_url"], topic.json()["feed_url"]]:
        read(client, url.removeprefix("http://testserver"))


def test_a_feed_through_the_real_server():
    """Under gunicorn (the deployed server), with the seed: the Atom type and body arrive whole."""
    pytest.importorskip("pgserver")
    from tests.live import get, private_postgres, running_service, service_env

    with private_postgres("live_feeds") as server:
        env = service_env(server.get_uri("live_feeds"))
        with running_service(env) as base:
            status, headers, body = get(f"{base}/api/v1/feeds/status-changes.atom")
            missing, _, _ = get(f"{base}/api/v1/feeds/bills/no-such-bill.atom")
    assert status == 200
    assert headers["Content-Type"] == ATOM
    assert headers["Cache-Control"].startswith("public")
    parsed = feedparser.parse(body)
    assert parsed.version == "atom10" and parsed.bozo == 0
    assert parsed.entries and all(e.link.startswith(base) for e in parsed.entries)
    assert missing == 404
