"""No draft reaches the public site: every page that could embed one (the home page, the bill,
person and event pages of published records pointing at drafts, search for the drafts' words)
is rendered for an anonymous reader and a curator who may see drafts, and none shows a draft's
marker; a draft's own address is a 404."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from tests.bills.factories import PersonFactory, StatementFactory
from tests.sources.factories import CitationFactory
from tests.test_drafts_gate import build_world

MARKER = "zqx"


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(params=["anonymous", "curator"])
def reader(request, db) -> Client:
    client = Client()
    if request.param == "curator":
        user = User.objects.create_user("site-curator", password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name="Curators"))
        client.force_login(user)
    return client


def public_pages(w) -> list[str]:
    return [
        "/",
        f"/bills/{w.bill.slug}/",
        f"/people/{w.speaker.slug}/",
        f"/events/{w.event.slug}/",
        f"/events/{w.organized_event.slug}/",
        "/search/?q=zqxbill",
        "/search/?q=zqxperson",
        "/search/?q=zqxstatement",
        "/search/?q=bill",
    ]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_page_shows_a_draft(world, reader, language):
    for path in public_pages(world):
        response = reader.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, path
        html = response.content.decode().lower()
        # The search page repeats the reader's own words (in the form and the switcher's link).
        html = html.replace(path.partition("?q=")[2], "") if "?q=" in path else html
        assert MARKER not in html, path


def test_the_public_records_are_there(world, reader):
    """The pages above are not empty: they show the published records that link to drafts."""
    bill_page = reader.get(f"/bills/{world.bill.slug}/").content.decode()
    assert "On public order" in bill_page and "The bill is needed." in bill_page
    assert "A public excerpt." in bill_page and "Ministry of Justice" in bill_page
    assert "Public Speaker" in reader.get(f"/people/{world.speaker.slug}/").content.decode()
    event_page = reader.get(f"/events/{world.event.slug}/").content.decode()
    assert "The bill is needed." in event_page


@pytest.mark.parametrize(
    "path",
    ["/bills/zqx-bill/", "/people/zqx-person/", "/events/zqx-event/"],
)
def test_a_draft_address_is_not_found(world, reader, path):
    response = reader.get(path)
    assert response.status_code == 404
    # Only the address asked for is repeated (the language switcher returns to it).
    assert MARKER not in response.content.decode().lower().replace(path, "")


def test_a_name_contradicted_only_by_a_draft_source_is_not_flagged(world, reader):
    person = PersonFactory(slug="plain-person", name="Plain Person")
    StatementFactory(
        slug="plain-person-says", speaker_person=person, event=world.event, text="Agreed."
    )
    CitationFactory(
        record=person,
        source=world.draft_source,
        field_name="given_name",
        relation="contradicts",
        claimed_value="Zqxname",
        excerpt="Zqxexcerpt naming the person otherwise.",
    )
    for path in (f"/events/{world.event.slug}/", f"/people/{person.slug}/"):
        html = reader.get(path).content.decode()
        link = html.index('href="/people/plain-person/"')
        assert "name disputed" not in html[link : link + 200], path
        assert MARKER not in html.lower(), path
    assert "disagree" not in reader.get(f"/people/{person.slug}/").content.decode()
