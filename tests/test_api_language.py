"""The API answers in English whatever the reader's language; the site follows the reader."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def vary(response) -> set[str]:
    return {name.strip().lower() for name in response.get("Vary", "").split(",") if name.strip()}


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/bills/", "/api/v1/statuses/"])
def test_api_answers_are_english_and_do_not_vary_on_the_language(path, language):
    response = Client().get(path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "accept-language" not in vary(response)


def test_api_refusals_are_english_for_a_russian_reader():
    response = Client().delete("/api/v1/bills/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code in (401, 403, 405)
    assert response["Content-Language"] == "en"
    assert not any("\u0400" <= char <= "\u04ff" for char in response.content.decode())


def test_the_switchers_cookie_does_not_change_the_api():
    client = Client()
    client.cookies["django_language"] = "kk"
    response = client.get("/api/v1/statuses/")
    assert response["Content-Language"] == "en"
    assert response.json()[0]["label"].isascii()


@pytest.mark.parametrize("language", ["ru", "kk", "en"])
def test_site_pages_follow_the_readers_language(language):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert "accept-language" in vary(response)
    assert f'lang="{language}"' in response.content.decode()
