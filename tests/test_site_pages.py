"""The public site through the Django test client, on the seed: what each page shows (status
and its explanation, precision-aware dates, what is not known, sources and conflicts, quotes in
their language), HTML 404s, pinned query counts, caching for anonymous readers, the language
chosen from Accept-Language and the switcher's cookie, and no draft on any page."""

import re
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from bills.models import Bill, Event, Person, Statement, StatementBill
from bills.procedure import KZ_2013
from bills.services import bill_update
from tests.site_i18n import compiled_catalogs

ROUNDTABLE = "/events/mazhilis-roundtable-2016-09-22/"
COUNTER_INTELLIGENCE = "/bills/kz-2016-counter-intelligence/"
UNKNOWN_TITLE = "/bills/kz-2016-seventh-bill/"
BILISBEKOV = "/people/nurlan-bilisbekov/"
PAGES = {
    "home": "/",
    "bill": COUNTER_INTELLIGENCE,
    "person": BILISBEKOV,
    "event": ROUNDTABLE,
    "search": "/search/?q=security",
}


@pytest.fixture(scope="module")
def _seed_for_the_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        with transaction.atomic():
            call_command("load_seed", stdout=StringIO())
            yield
            transaction.set_rollback(True)
        ContentType.objects.clear_cache()


@pytest.fixture
def seeded(_seed_for_the_module, db):
    pass


@pytest.fixture(scope="module", autouse=True)
def _compiled_translations():
    with compiled_catalogs():
        yield


def page(path: str, language: str = "en", client: Client | None = None) -> str:
    response = (client or Client()).get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- what the pages show ----------------------------------------------------------------------


def test_home_lists_every_public_bill_with_status_explanation_and_date(seeded):
    html = page("/")
    for bill in Bill.objects.filter(is_published=True):
        assert f'href="/bills/{bill.slug}/"' in html
    text = text_of(html)
    assert text.count("Last recorded status") == Bill.objects.filter(is_published=True).count()
    assert KZ_2013.statuses["signed"].explanation in text
    assert "as of 28 December 2016" in text
    assert "/api/docs/" in html and "/api/redoc/" in html
    assert "/api/v1/bills/?format=csv" in html and "/api/v1/exports/" in html
    assert "/api/v1/feeds/status-changes.atom" in html


def test_root_is_a_page_and_the_admin_links_to_it(seeded):
    from django.contrib.auth.models import User

    response = Client().get("/")
    assert response.status_code == 200 and b"<!DOCTYPE html>" in response.content
    curator = Client()
    curator.force_login(User.objects.create_superuser("site-admin", password="pw"))
    admin_index = curator.get("/admin/").content.decode()
    assert re.search(r'<a href="/">\s*View site\s*</a>', admin_index)


def test_bill_page_shows_timeline_sponsors_statements_and_sources(seeded):
    html = page(COUNTER_INTELLIGENCE)
    text = text_of(html)
    assert "Recorded steps" in text and "Sponsors" in text
    assert "Statements about this bill" in text
    assert "Stance toward this bill:" in text
    assert "<details" in html and "Publisher" in text
    assert "not archived" in text or "archived copy" in text
    assert re.search(r"Signed 28 December 2016", text)  # key facts, to their precision
    assert re.search(r"Law number 35-VI", text)
    assert 'href="/api/v1/bills/kz-2016-counter-intelligence/?include=' in html
    assert 'href="/api/v1/feeds/bills/kz-2016-counter-intelligence.atom"' in html


def test_unknown_title_and_fate_are_said_as_unknown(seeded):
    text = text_of(page(UNKNOWN_TITLE))
    assert "What is not known" in text
    assert "Title unknown" in text
    assert "Fate unknown after" in text


def test_conflicting_name_is_flagged_with_both_claims(seeded):
    text = text_of(page(BILISBEKOV))
    assert "Sources disagree" in text
    assert "(dates unknown)" in text and "from date unknown" not in text  # a post's open dates
    assert "Nurgali" in text and "Nurlan" in text
    assert re.search(r"gives the given name as “Nurgali”; \d+ other sources? gives? “Nurlan”", text)


def test_event_page_lists_statements_in_the_order_spoken_with_their_language(seeded):
    html = page(ROUNDTABLE)
    event_statements = Statement.objects.filter(
        event__slug="mazhilis-roundtable-2016-09-22", is_published=True
    )
    order = event_statements.order_by("sequence", "said_on", "pk")
    slugs = list(order.values_list("slug", flat=True))
    positions = [html.index(f'id="statement-{slug}"') for slug in slugs]
    assert positions == sorted(positions) and len(slugs) > 1
    for statement in event_statements:
        assert f'<blockquote lang="{statement.language}">' in html
    assert "Reported in Russian" in text_of(html) or "Reported in English" in text_of(html)


def test_search_finds_bills_and_links_them(seeded):
    html = page("/search/?q=counter-intelligence")
    assert 'href="/bills/kz-2016-counter-intelligence/"' in html
    assert "result" in text_of(html)


def test_search_without_words_shows_the_form_and_refuses_an_overlong_query(seeded):
    assert 'name="q"' in page("/search/")
    response = Client().get("/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert b"(q)" in response.content


def test_an_unknown_address_is_a_page_for_a_browser_and_a_problem_for_the_api(seeded):
    browser = Client(HTTP_ACCEPT="text/html,application/xhtml+xml")
    page_404 = browser.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ru")
    assert page_404.status_code == 404 and page_404["Content-Type"].startswith("text/html")
    assert '<html lang="ru">' in page_404.content.decode()
    for client, path in ((browser, "/api/v1/no-such-list/"), (Client(), "/no-such-page/")):
        problem = client.get(path)
        assert problem.status_code == 404
        assert problem["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("words", ["'", '"unclosed', "a:b & !c", "-", "OR", "ы" * 200, "<b>x</b>"])
def test_odd_search_words_are_answered_not_failed(seeded, words):
    response = Client().get("/search/", {"q": words})
    assert response.status_code == 200
    assert b"<b>x</b>" not in response.content  # the reader's words are escaped


@pytest.mark.parametrize(
    "path", ["/bills/no-such-bill/", "/people/no-such-person/", "/events/no-such-event/"]
)
def test_unknown_slugs_are_html_404s(seeded, path):
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Not found" in response.content


def test_the_bills_folder_leads_to_the_list_of_bills(seeded):
    response = Client().get("/bills/")
    assert (response.status_code, response["Location"]) == (302, "/")


def test_a_bill_page_shows_the_summary_in_the_readers_language_or_marks_it(seeded):
    slug = "kz-2016-counter-intelligence"
    Bill.objects.filter(slug=slug).update(summary_ru="Закон о контрразведывательной деятельности.")
    russian = page(f"/bills/{slug}/", "ru")
    assert '<p class="summary" lang="ru">Закон о контрразведывательной деятельности.</p>' in russian
    kazakh = page(f"/bills/{slug}/", "kk")  # no Kazakh summary: the English one, marked
    assert '<p class="summary" lang="en">A law on counter-intelligence activity' in kazakh


# -- languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "word"), [("ru", "Законопроекты"), ("kk", "Заң жобалары")])
def test_accept_language_chooses_the_page_language(seeded, language, word):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    assert word in html
    assert "accept-language" in response["Vary"].lower()


def test_status_explanations_are_translated(seeded):
    english = KZ_2013.statuses["signed"].explanation
    for language in ("ru", "kk"):
        text = text_of(page("/", language))
        assert english not in text


def test_the_switcher_sets_a_cookie_that_wins_over_accept_language(seeded):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "kk", "next": COUNTER_INTELLIGENCE})
    assert response.status_code == 302 and response["Location"] == COUNTER_INTELLIGENCE
    html = client.get(COUNTER_INTELLIGENCE, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<html lang="kk">' in html


def test_the_switcher_is_a_form_that_works_without_javascript(seeded):
    html = page("/")
    assert '<form class="language-switcher" action="/i18n/setlang/" method="post">' in html
    for code in ("ru", "kk", "en"):
        assert f'name="language" value="{code}"' in html
    assert "<script" not in html


def test_titles_follow_the_language_and_mark_a_fallback(seeded):
    bill = Bill.objects.get(slug="kz-2016-counter-intelligence")
    assert bill.title_ru in page(COUNTER_INTELLIGENCE, "ru")
    companion = "/bills/kz-2016-counter-intelligence-companion/"
    html = page(companion, "ru")
    assert '<h1 lang="en">' in html


# -- speed and caching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "queries"), [("home", 1), ("bill", 5), ("person", 7), ("event", 4), ("search", 6)]
)
def test_each_page_reads_a_fixed_number_of_queries(
    seeded, name, queries, django_assert_num_queries
):
    Client().get(PAGES[name])  # warm: content types, translations
    with django_assert_num_queries(queries):
        page(PAGES[name])


def test_anonymous_pages_are_public_and_vary_on_language_and_cookie(seeded):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Cache-Control"].startswith("public, max-age=")
    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_pages_are_served_from_the_cache_until_a_public_change(
    seeded, settings, django_assert_num_queries
):
    settings.RESPONSE_CACHE_ENABLED = True
    client = Client()
    first = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert first["X-Response-Cache"] == "miss"
    with django_assert_num_queries(1):  # the change log's newest public event, no rendering
        again = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert again["X-Response-Cache"] == "hit" and again.content == first.content
    russian = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert russian["X-Response-Cache"] == "miss" and russian.content != first.content
    chooser = Client()
    chooser.cookies["django_language"] = "kk"  # the switcher's choice, whatever the browser asks
    kazakh = chooser.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert kazakh["X-Response-Cache"] == "miss" and '<html lang="kk">' in kazakh.content.decode()

    bill = Bill.objects.get(slug="kz-2016-counter-intelligence")
    bill_update(bill=bill, values={"title": "On counter-intelligence activity"})
    changed = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert changed["X-Response-Cache"] == "miss"
    assert b"On counter-intelligence activity" in changed.content


# -- truth as a reader sees it ------------------------------------------------------------------


def test_a_disputed_name_is_flagged_wherever_the_person_speaks(seeded):
    for path in (ROUNDTABLE, BILISBEKOV):
        html = page(path)
        link = html.index('href="/people/nurlan-bilisbekov/"')
        assert "(name disputed)" in html[link : link + 200], path


def test_a_stance_shows_the_excerpt_that_supports_it(seeded):
    cited = [
        link
        for link in StatementBill.objects.filter(
            statement__is_published=True, bill__is_published=True
        ).exclude(stance="unclear")
        if link.citations.filter(source__is_published=True).exists()
    ]
    assert cited, "the seed has cited stances"
    for link in cited:
        html = page(f"/bills/{link.bill.slug}/")
        assert link.citations.first().excerpt in html


def test_the_api_and_the_site_share_the_status_vocabulary(seeded):
    """The API's status words are the site's: English by default, the site's translation with
    `?lang=` (or Accept-Language)."""
    signed = KZ_2013.statuses["signed"]
    english = {row["code"]: row for row in Client().get("/api/v1/statuses/").json()}
    assert english["signed"]["label"] == "Signed into law"
    assert english["signed"]["explanation"] == signed.explanation
    assert english["signed"]["next_step"] == signed.next_step
    slug = COUNTER_INTELLIGENCE.split("/")[2]
    for language in ("ru", "kk"):
        with translation.override(language):
            expected = gettext(signed.explanation)
        assert expected != signed.explanation
        rows = Client().get("/api/v1/statuses/", HTTP_ACCEPT_LANGUAGE=language).json()
        assert {row["code"]: row for row in rows}["signed"]["explanation"] == expected
        bill = Client().get(f"/api/v1/bills/{slug}/?lang={language}").json()
        assert bill["status_explanation"] == expected
        assert expected in page(f"/bills/{slug}/", language)


def test_every_published_record_of_the_seed_has_a_page(seeded):
    client = Client()
    for model, prefix in ((Bill, "bills"), (Person, "people"), (Event, "events")):
        for slug in model.objects.filter(is_published=True).values_list("slug", flat=True):
            for language in ("ru", "kk", "en"):
                page(f"/{prefix}/{slug}/", language, client)


def test_a_signed_in_reader_gets_a_private_page_rendered_each_time(seeded, settings):
    from django.contrib.auth.models import User

    settings.RESPONSE_CACHE_ENABLED = True
    client = Client()
    client.force_login(User.objects.create_user("reader", password="pw", is_staff=True))
    for _ in range(2):
        response = client.get("/")
        assert "X-Response-Cache" not in response  # not looked up, not stored
        assert response["Cache-Control"] == "private, no-store"


def test_a_bills_statements_are_by_date_then_in_the_order_spoken(seeded):
    html = page(COUNTER_INTELLIGENCE)
    spoken = Statement.objects.filter(
        is_published=True, bill_links__bill__slug="kz-2016-counter-intelligence"
    ).order_by("said_on", "event_id", "sequence", "pk")
    positions = [
        html.index(f'id="statement-{slug}"') for slug in spoken.values_list("slug", flat=True)
    ]
    assert positions == sorted(positions) and len(positions) > 1
