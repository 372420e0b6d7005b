"""The API docs in a real browser (Debian's Chromium, driven by Playwright) against gunicorn with
production settings (CSP included), static files served by whitenoise: Swagger UI and Redoc
load nothing from another host and log no error; Swagger's "Try it out → Execute" on *List
bills* answers 200 with its defaults; Redoc shows the operations grouped by resource."""

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.live import manage, private_postgres, running_service, service_env

CHROMIUM = shutil.which("chromium")
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytest.importorskip("pgserver")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

SCREENSHOTS = Path(tempfile.gettempdir()) / "policytracker-screenshots"
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
# Redoc renders the whole document before it shows anything; a slow, shared machine needs time.
RENDER_MS = 60_000


@pytest.fixture(scope="module")
def service():
    with private_postgres("docs_browser") as server:
        env = service_env(server.get_uri("docs_browser"))
        manage(env, "collectstatic", "--noinput", "-v0")
        with running_service(env, workers=1) as base:
            yield base


@pytest.fixture(scope="module")
def browser():
    SCREENSHOTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(service, browser):
    """A page that records every request it makes, failed loads and console errors (a CSP
    refusal is one)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.failed = []
    page.on("requestfailed", lambda request: page.failed.append(request.url))
    page.on(
        "response", lambda response: response.status >= 400 and page.failed.append(response.url)
    )
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


def other_hosts(page, service: str) -> list[str]:
    """Requests to anything but the test server (data: and blob: URLs stay in the page)."""
    host = urlsplit(service).netloc
    return [
        url
        for url in page.requests
        if urlsplit(url).scheme not in {"data", "blob"} and urlsplit(url).netloc != host
    ]


def test_swagger_try_it_out_on_list_bills_answers_200(service, page):
    page.goto(f"{service}/api/docs/")
    page.locator("#operations-tag-bills").click()
    operation = page.locator("#operations-bills-bills_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_have_text("200", timeout=RENDER_MS)
    # Nothing was pre-filled: the request is the bare list.
    request_url = operation.locator(".request-url pre").inner_text().strip()
    assert request_url == f"{service}/api/v1/bills/"
    page.screenshot(path=str(SCREENSHOTS / "docs-swagger-list-bills.png"))
    assert other_hosts(page, service) == []
    assert page.failed == [] and page.console_errors == []


def test_redoc_shows_resource_groups_and_loads_only_from_this_host(service, page):
    page.goto(f"{service}/api/redoc/")
    menu = page.locator("[role=menuitem], .menu-content label")
    expect(menu.filter(has_text="statements").first).to_be_visible(timeout=RENDER_MS)
    labels = {text.strip() for text in menu.all_inner_texts()}
    assert {"bills", "statements", "people", "organizations", "sources"} <= labels
    assert "v1" not in labels
    # Tag descriptions are shown with their group.
    assert "embeds sponsors, status history" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "docs-redoc.png"))
    assert other_hosts(page, service) == []
    assert page.failed == [] and page.console_errors == []
