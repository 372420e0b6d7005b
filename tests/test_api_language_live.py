"""Content languages as a client gets them from the seeded service under gunicorn: the headers
(Content-Language, Vary) and the texts only a real server shows end to end."""

import json

from tests.live import get, private_postgres, running_service, service_env

BILL = "/api/v1/bills/kz-2016-counter-intelligence/"


def vary(headers) -> set[str]:
    return {name.strip().lower() for name in headers.get("Vary", "").split(",")}


def test_bills_in_russian_kazakh_and_english_through_gunicorn():
    with private_postgres("live_languages") as server:
        env = service_env(server.get_uri("live_languages"))
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with running_service(env) as base:
            russian = get(f"{base}{BILL}?lang=ru")
            kazakh = get(f"{base}{BILL}", {"Accept-Language": "kk-KZ, ru;q=0.5"})
            english = get(f"{base}{BILL}")
            people = get(f"{base}/api/v1/people/", {"Accept-Language": "ru"})
            refused = get(f"{base}{BILL}?lang=de")

    status, headers, body = russian
    assert (status, headers["Content-Language"]) == (200, "ru")
    assert "accept-language" not in vary(headers)
    data = json.loads(body)
    assert data["title"] == "О контрразведывательной деятельности"
    assert data["languages"]["title"] == "ru"
    assert data["status_label"] != "Signed into law"

    status, headers, body = kazakh
    assert (status, headers["Content-Language"]) == (200, "kk")
    assert "accept-language" in vary(headers)
    assert json.loads(body)["title"] == "Қарсы барлау қызметі туралы"

    status, headers, body = english
    assert (status, headers["Content-Language"]) == (200, "en")
    assert json.loads(body)["title"] == "On counter-intelligence"

    status, headers, _ = people
    assert (status, headers["Content-Language"]) == (200, "en")

    status, headers, body = refused
    assert status == 400 and json.loads(body)["errors"]["lang"]
