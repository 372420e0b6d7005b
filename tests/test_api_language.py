"""The API's content in the caller's language: bills' titles, short titles and summaries stored
per language (bills/translation.py) and the status vocabulary, chosen by `?lang=` or else
Accept-Language and named in Content-Language. The API's own words stay English; the site
follows the reader.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from bills.models import Bill, StatementBill
from bills.services import bill_update
from tests.bills.factories import BillFactory, StatementFactory

pytestmark = pytest.mark.django_db

RU_TITLE = "О контрразведывательной деятельности"
KK_TITLE = "Қарсы барлау қызметі туралы"
RU_SUMMARY = "Закон о контрразведке."


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


@pytest.fixture
def bill():
    return BillFactory(
        slug="counter-intelligence",
        title="On counter-intelligence",
        title_ru=RU_TITLE,
        title_kk=KK_TITLE,
        short_title="Counter-intelligence law",
        summary="A law on counter-intelligence.",
        summary_ru=RU_SUMMARY,
    )


def detail(path="/api/v1/bills/counter-intelligence/", **headers):
    response = Client().get(path, **headers)
    assert response.status_code == 200, response.content
    return response


def test_english_by_default(bill):
    response = detail()
    data = response.json()
    assert response["Content-Language"] == "en"
    assert data["title"] == "On counter-intelligence"
    assert data["summary"] == "A law on counter-intelligence."
    assert data["languages"] == {"title": "en", "short_title": "en", "summary": "en"}
    # The translations stay readable by name whatever the language.
    assert (data["title_ru"], data["title_kk"]) == (RU_TITLE, KK_TITLE)


def test_lang_chooses_the_texts_and_names_the_language(bill):
    response = detail("/api/v1/bills/counter-intelligence/?lang=ru")
    data = response.json()
    assert response["Content-Language"] == "ru"
    assert (data["title"], data["summary"]) == (RU_TITLE, RU_SUMMARY)
    # No Russian short title is recorded: the English one, said to be English.
    assert data["short_title"] == "Counter-intelligence law"
    assert data["languages"] == {"title": "ru", "short_title": "en", "summary": "ru"}
    # `?lang=` decides alone, so the answer does not vary on Accept-Language.
    assert "accept-language" not in vary(response)


def test_accept_language_chooses_when_lang_is_absent(bill):
    response = detail(HTTP_ACCEPT_LANGUAGE="de-DE, kk;q=0.9, ru;q=0.8")
    data = response.json()
    assert response["Content-Language"] == "kk"
    assert data["title"] == KK_TITLE
    assert data["summary"] == "A law on counter-intelligence."  # no Kazakh summary recorded
    assert data["languages"] == {"title": "kk", "short_title": "en", "summary": "en"}
    assert "accept-language" in vary(response)


def test_lang_wins_over_accept_language(bill):
    response = detail("/api/v1/bills/counter-intelligence/?lang=en", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "On counter-intelligence"


def test_an_unserved_accept_language_gets_english(bill):
    response = detail(HTTP_ACCEPT_LANGUAGE="de, fr;q=0.5")
    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "On counter-intelligence"


def test_lists_search_and_references_follow_the_language(bill):
    statement = StatementFactory(text="We support it.")
    StatementBill.objects.create(statement=statement, bill=bill, stance="unclear")
    Bill.objects.filter(pk=bill.pk).update(short_title_ru="Закон о контрразведке")
    listed = Client().get("/api/v1/bills/?lang=ru").json()["results"]
    assert [row["title"] for row in listed] == [RU_TITLE]
    found = Client().get("/api/v1/bills/?q=counter&lang=kk").json()["results"]
    assert [row["title"] for row in found] == [KK_TITLE]
    statements = Client().get("/api/v1/statements/?lang=ru").json()["results"]
    (stance,) = statements[0]["bills"]
    assert stance["bill"]["short_title"] == "Закон о контрразведке"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("lang=de", "Unknown language. Allowed: en, ru, kk."),
        ("lang=RU", "Unknown language. Allowed: en, ru, kk."),
        ("lang=", "Unknown language. Allowed: en, ru, kk."),
        ("lang=ru&lang=kk", "Give this parameter once (it takes one value)."),
    ],
)
def test_an_unknown_lang_is_a_400_naming_it(bill, query, message):
    response = Client().get(f"/api/v1/bills/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"lang": [message]}
    assert response["Content-Language"] == "en"


def test_the_status_vocabulary_follows_the_language():
    english = detail("/api/v1/statuses/signed/").json()
    russian = detail("/api/v1/statuses/signed/?lang=ru").json()
    kazakh = detail("/api/v1/statuses/signed/", HTTP_ACCEPT_LANGUAGE="kk").json()
    assert english["label"] == "Signed into law"
    assert russian["code"] == kazakh["code"] == "signed"
    for words in (russian, kazakh):
        for field in ("label", "explanation", "next_step"):
            assert words[field] != english[field]
            assert any("\u0400" <= char <= "\u04ff" for char in words[field]), words


def test_the_api_root_and_refusals_keep_english_words():
    response = Client().delete("/api/v1/bills/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code in (401, 403, 405)
    assert response["Content-Language"] == "en"
    assert not any("\u0400" <= char <= "\u04ff" for char in response.content.decode())


def test_the_switchers_cookie_does_not_change_the_api(bill):
    client = Client()
    client.cookies["django_language"] = "kk"
    response = client.get("/api/v1/bills/counter-intelligence/")
    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "On counter-intelligence"


def test_a_write_in_another_language_sets_the_english_original(bill, django_user_model):
    """`title` is the English original whatever the caller reads in; a translation is written
    by its own name."""
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client = APIClient()
    client.force_authenticate(user)
    path = "/api/v1/bills/counter-intelligence/?lang=ru"
    etag = client.get(path)["ETag"]
    response = client.patch(
        path,
        {"title": "On counter-intelligence activity", "summary_ru": "Новое описание."},
        format="json",
        HTTP_IF_MATCH=etag,
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200, response.content
    bill.refresh_from_db()
    assert (bill.title_en, bill.title_ru) == ("On counter-intelligence activity", RU_TITLE)
    assert Bill.objects.filter(title="On counter-intelligence activity").exists()
    assert bill.summary_ru == "Новое описание."


def test_the_services_write_english_whatever_language_is_active(bill):
    from django.utils import translation

    with translation.override("ru"):
        bill_update(bill=bill, values={"title": "Counter-intelligence"})
    stored = Bill.objects.values("title", "title_en", "title_ru").get(pk=bill.pk)
    assert stored == {
        "title": "Counter-intelligence",
        "title_en": "Counter-intelligence",
        "title_ru": RU_TITLE,
    }


def test_a_drafts_translations_never_show(bill):
    BillFactory(slug="zqx-draft", title_ru="Черновик zqx", summary_kk="zqx", is_published=False)
    for query in ("lang=ru", "lang=kk", "lang=ru&q=zqx", "lang=kk&include=statements"):
        body = Client().get(f"/api/v1/bills/?{query}").content.decode()
        assert "zqx" not in body.lower(), query
    assert Client().get("/api/v1/bills/zqx-draft/?lang=ru").status_code == 404


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_site_pages_follow_the_readers_language(language):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "accept-language" in vary(response)
    assert f'lang="{language}"' in response.content.decode()


def test_the_response_cache_keeps_the_languages_apart(settings):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_seed", stdout=StringIO())
    settings.RESPONSE_CACHE_ENABLED = True
    path = "/api/v1/bills/kz-2016-counter-intelligence/"
    client = Client()
    russian = client.get(f"{path}?lang=ru")
    again = client.get(f"{path}?lang=ru")
    assert again["X-Response-Cache"] == "hit" and again.content == russian.content
    assert again["Content-Language"] == "ru"
    assert russian.json()["title"] == "О контрразведывательной деятельности"
    english = client.get(path)
    assert english["X-Response-Cache"] == "miss"
    assert english.json()["title"] == "On counter-intelligence"
    kazakh = client.get(path, HTTP_ACCEPT_LANGUAGE="kk")
    assert kazakh["X-Response-Cache"] == "miss" and kazakh["Content-Language"] == "kk"
    assert kazakh.json()["title"] == "Қарсы барлау қызметі туралы"
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="kk")["X-Response-Cache"] == "hit"


def test_a_csv_download_follows_the_language_and_a_feed_says_it_is_english(bill):
    csv = Client().get("/api/v1/bills/?format=csv&lang=ru")
    assert (csv.status_code, csv["Content-Language"]) == (200, "ru")
    rows = b"".join(csv.streaming_content).decode()
    assert f"/api/v1/bills/counter-intelligence/,{RU_TITLE},verified," in rows
    feed = Client().get(reverse("feed-bill", args=[bill.slug]) + "?lang=ru")
    assert (feed.status_code, feed["Content-Language"]) == (200, "en")
    assert 'xml:lang="en"' in feed.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/people/", "/api/v1/sources/", "/api/v1/topics/"])
def test_records_with_no_translated_text_say_they_are_english(bill, path):
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "accept-language" not in vary(response)


def test_search_and_the_change_feed_follow_the_language(bill):
    from policytracker.services import record_update

    record_update(instance=bill, values={"short_title_ru": "Закон о контрразведке"})
    hits = Client().get("/api/v1/search/?q=counter&lang=ru")
    assert hits["Content-Language"] == "ru"
    assert [hit["title"] for hit in hits.json()["results"]] == ["Закон о контрразведке"]
    feed = Client().get("/api/v1/changes/?record_type=bill&lang=ru")
    assert feed["Content-Language"] == "ru"
    assert feed.json()["results"][-1]["data"]["title"] == RU_TITLE
