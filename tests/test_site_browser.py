"""The public site in a real browser (Debian's Chromium, driven by Playwright) against gunicorn
with production settings and the seed: each page type in each language renders without a request
to another host, the keyboard reaches the skip link, the language switcher and the page's links,
the switcher works with JavaScript off, and axe-core (bundled with axe-playwright-python) finds
no serious or critical violation. Screenshots of every page type and language are left in
<tempdir>/policytracker-screenshots/site/ for review."""

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.live import manage, private_postgres, running_service, service_env

CHROMIUM = shutil.which("chromium")
playwright = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
pytest.importorskip("pgserver")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

SCREENSHOTS = Path(tempfile.gettempdir()) / "policytracker-screenshots" / "site"
# Flags for a headless run as root on a machine with no outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "/",
    "bill": "/bills/kz-2016-counter-intelligence/",
    "person": "/people/nurlan-bilisbekov/",
    "event": "/events/mazhilis-roundtable-2016-09-22/",
    "search": "/search/?q=security",
}
LANGUAGES = {"ru": "ru-RU", "kk": "kk-KZ", "en": "en-GB"}
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def service():
    with private_postgres("site_browser") as server:
        env = service_env(server.get_uri("site_browser"))
        manage(env, "collectstatic", "--noinput", "-v0")
        if shutil.which("msgfmt"):  # else the catalogs `make messages` compiled with Babel
            manage(env, "compilemessages", "--ignore", ".venv", "--ignore", ".pgdata", "-v0")
        with running_service(env, workers=2) as base:
            yield base


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def axe():
    return axe_playwright.Axe()


def open_page(browser, base: str, path: str, language: str, **options):
    """A new page in `language` (the browser's Accept-Language) that records every request and
    every failed response, at `path`."""
    context = browser.new_context(locale=LANGUAGES[language], **options)
    page = context.new_page()
    page.requests, page.failed = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("response", lambda r: r.status >= 400 and page.failed.append(f"{r.status} {r.url}"))
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    return page


def blocking_violations(results) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_locally_and_accessibly(service, browser, axe, name, language):
    page = open_page(browser, service, PAGES[name], language)
    try:
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("main h1").count() == 1
        assert page.locator("link[rel=stylesheet]").count() == 1  # styled, from our static files
        assert page.failed == []
        elsewhere = [url for url in page.requests if not url.startswith(service)]
        assert elsewhere == [], elsewhere
        if page.locator("details.sources").count():
            page.locator("details.sources summary").first.click()  # a source, shown
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{language}.png"), full_page=True)
        results = axe.run(page)
        assert results.response["testEngine"]["name"] == "axe-core"  # it ran, in the page
        assert blocking_violations(results) == []
    finally:
        page.context.close()


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {tag: el.tagName.toLowerCase(), cls: el.className || "",
                    name: el.getAttribute("name") || "", href: el.getAttribute("href") || "",
                    inMain: !!el.closest("main")};
        }"""
    )


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_keyboard_reaches_skip_link_switcher_and_main_links(service, browser, language):
    page = open_page(browser, service, "/", language)
    try:
        page.keyboard.press("Tab")
        assert "skip-link" in focused(page)["cls"]
        page.keyboard.press("Enter")  # the skip link: the next Tab is inside the main content
        # The jump is a same-page navigation the page reports a moment later on a busy machine.
        page.wait_for_function("location.hash === '#main'", timeout=10_000)
        page.keyboard.press("Tab")
        assert focused(page)["inMain"], focused(page)
        # From the top, Tab passes the site's links and the language switcher, then the bills.
        page.goto(f"{service}/")
        reached = []
        for _ in range(12):
            page.keyboard.press("Tab")
            reached.append(focused(page))
        languages = [i for i, item in enumerate(reached) if item["name"] == "language"]
        bills = [i for i, item in enumerate(reached) if item["href"].startswith("/bills/")]
        assert len(languages) == 3 and bills, reached
        assert reached[bills[0]]["inMain"] and languages[-1] < bills[0]
        # Enter on a focused bill link opens the bill's page.
        page.focus("main a[href^='/bills/']")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{service}/bills/**")
        assert page.locator("main h1").count() == 1
    finally:
        page.context.close()


def test_language_switcher_works_without_javascript(service, browser):
    page = open_page(browser, service, PAGES["bill"], "en", java_script_enabled=False)
    try:
        page.locator("button[name=language][value=kk]").click()
        page.wait_for_load_state()
        assert page.url == f"{service}{PAGES['bill']}"
        assert page.locator("html").get_attribute("lang") == "kk"
        page.goto(f"{service}/")  # the choice is kept (a cookie) over Accept-Language
        assert page.locator("html").get_attribute("lang") == "kk"
    finally:
        page.context.close()
