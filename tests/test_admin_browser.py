"""The admin's rules in a real browser (Debian's Chromium, driven by Playwright) against gunicorn
with production settings, static files served by whitenoise: a curator cannot create a
statement without a source or remove its last one, and is told why in plain words."""

import json
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
from django.contrib import admin

from tests.live import ROOT, curator_token, manage, private_postgres, running_service, service_env

CHROMIUM = shutil.which("chromium")
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect
pytest.importorskip("pgserver")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

PASSWORD = "a-long-browser-test-password"
# Where the test leaves what a curator saw, for a person to look at.
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


RELATE_TWO_BILLS = """
import django
django.setup()
from bills.models import Bill
from bills.services import bill_relation_create
first, second = Bill.objects.order_by("pk")[:2]
bill_relation_create(values={"bill": first, "related_bill": second, "kind": "companion"})
"""


def run_script(env: dict, script: str) -> None:
    subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "policytracker.settings"},
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def service():
    with private_postgres("admin_browser") as server:
        env = service_env(server.get_uri("admin_browser"))
        manage(env, "collectstatic", "--noinput", "-v0")
        with running_service(env, workers=2) as base:
            curator_token(env, "browser-curator", PASSWORD)
            # The seed relates no bills: one relation, so its change page can be visited.
            run_script(env, RELATE_TWO_BILLS)
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
    context = browser.new_context()
    page = context.new_page()
    page.failed = []  # static files or pages that did not load
    page.on(
        "response",
        lambda response: response.status >= 400 and page.failed.append(response.url),
    )
    page.console_errors = []
    page.on("console", lambda message: record_console_error(page, message))
    page.goto(f"{service}/admin/login/")
    page.fill("input[name=username]", "browser-curator")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{service}/admin/")
    yield page
    context.close()


def record_console_error(page, message) -> None:
    # The browser's own favicon request is not the admin's: the site has no favicon yet.
    url = (message.location or {}).get("url", "")
    if message.type == "error" and not url.endswith("/favicon.ico"):
        page.console_errors.append(f"{message.text} ({url})")


def statement_with_one_source(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/api/v1/statements/?page_size=200", timeout=20) as reply:
        statements = json.load(reply)["results"]
    return next(s for s in statements if len(s["sources"]) == 1)


def test_a_statement_without_a_source_is_refused_in_words(service, page):
    page.goto(f"{service}/admin/bills/statement/add/")
    page.fill("input[name=slug]", "browser-statement")
    page.fill("input[name=attribution]", "A deputy")
    page.fill("textarea[name=text]", "Said in a browser.")
    page.select_option("select[name=form]", "paraphrase")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert any("must cite at least one source" in text for text in errors), errors
    assert "Constraint" not in page.content()
    page.goto(f"{service}/admin/bills/statement/?q=browser-statement")
    assert "0 statements" in page.content()
    assert page.failed == [] and page.console_errors == []


def test_the_last_source_of_a_statement_cannot_be_removed(service, page):
    statement = statement_with_one_source(service)
    page.goto(f"{service}/admin/bills/statement/{statement['id']}/change/")
    page.check("input[name$='-0-DELETE'][name*='citation']")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert any("must keep at least one source" in text for text in errors), errors
    assert len(statement_with_one_source(service)["sources"]) == 1
    assert page.failed == [] and page.console_errors == []


def test_publishing_a_draft_with_draft_dependents_says_what_to_publish(service, page):
    page.goto(f"{service}/admin/sources/source/add/")
    page.fill("input[name=url]", "https://example.org/browser-draft-source")
    page.fill("input[name=title]", "A draft source")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(f"{service}/admin/sources/source/?q=browser-draft-source")
    link = page.locator("#result_list a[href*='/change/']").first.get_attribute("href")
    source_id = re.search(r"/source/(\d+)/change/", link).group(1)
    page.goto(f"{service}/admin/bills/statement/add/")
    page.fill("input[name=slug]", "browser-cited")
    page.fill("input[name=attribution]", "A deputy")
    page.fill("textarea[name=text]", "Said with a draft source.")
    page.select_option("select[name=form]", "paraphrase")
    # The inline's "Add another" is the admin's own JavaScript, served by whitenoise.
    page.locator(".inline-group", has_text="Citation").locator(".add-row a").click()
    row = page.locator(".dynamic-sources-citation-content_type-object_id").first
    row.locator("select[name$='-source']").evaluate(
        "(select, id) => { select.add(new Option('draft', id, true, true)); }", source_id
    )
    row.locator("textarea[name$='-excerpt']").fill("Said with a draft source.")
    page.click("input[name=_save]")
    # A click waits only for the next page to start arriving; expect() waits for its words.
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(f"{service}/admin/bills/statement/?q=with+a+draft+source")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    page.wait_for_load_state()
    page.screenshot(path=SCREENSHOTS / "admin-publish-refused.png", full_page=True)
    message = page.locator(".messagelist").inner_text()
    assert "A draft source" in message and "unpublished" in message, message
    assert page.failed == [] and page.console_errors == []


# Every page fits a 1400 px window ----------------------------------------------------------------

WIDTH, HEIGHT = 1400, 900
CHANGE_LINKS = "#result_list a[href*='/change/']"
CURATED = sorted(
    f"{model._meta.app_label}/{model._meta.model_name}"
    for model in admin.site._registry
    if model._meta.app_label in {"bills", "sources"}
)


def assert_fits(page, name: str) -> None:
    """The page needs no horizontal scrolling at 1400 px; its screenshot is kept for review."""
    page.wait_for_load_state("networkidle")
    # Folded sections count too: open them (and show them on the screenshot).
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.screenshot(path=SCREENSHOTS / f"admin-{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{name} is {width} px wide"
    # A list or an inline table scrolls inside its box rather than widen the page: it must not
    # need to (a column cut off at the box's edge is as unreadable as a wide page).
    hidden = page.evaluate(
        "[...document.querySelectorAll('.results, .inline-group')]"
        ".map(box => box.scrollWidth - box.clientWidth)"
    )
    assert all(extra <= 1 for extra in hidden), f"{name}: a table is {hidden} px too wide"
    assert page.failed == [] and page.console_errors == []


def change_links(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator(CHANGE_LINKS).all()]


@pytest.fixture
def wide_page(page):
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    return page


@pytest.mark.parametrize("path", CURATED)
def test_every_admin_page_fits_the_window(service, wide_page, path):
    page, name = wide_page, path.replace("/", "-")
    page.goto(f"{service}/admin/{path}/")
    assert_fits(page, f"{name}-list")
    links = page.locator(CHANGE_LINKS)
    assert links.count(), f"the seed has no {path} to open"
    page.goto(f"{service}{links.first.get_attribute('href')}")
    assert_fits(page, f"{name}-change")
    page.goto(f"{service}/admin/{path}/")
    if page.locator(".object-tools a.addlink").count():
        page.goto(f"{service}/admin/{path}/add/")
        assert_fits(page, f"{name}-add")


def test_bill_pages_fit_the_window(service, wide_page):
    """Every seed bill (their inlines hold the most rows), its status page and the dashboard."""
    page = wide_page
    page.goto(f"{service}/admin/bills/bill/")
    hrefs = change_links(page)
    for number, href in enumerate(hrefs):
        page.goto(f"{service}{href}")
        assert_fits(page, f"bill-{number}")
    page.goto(f"{service}{hrefs[0].replace('/change/', '/record-status-change/')}")
    expect(page.locator("h1")).to_have_text("Record status change")
    assert_fits(page, "bill-record-status-change")
    page.goto(f"{service}/admin/bills/bill/drafts/")
    assert_fits(page, "drafts")
    page.goto(f"{service}/admin/")
    assert_fits(page, "index")


def test_statement_pages_fit_the_window(service, wide_page):
    page = wide_page
    page.goto(f"{service}/admin/bills/statement/")
    hrefs = change_links(page)
    for number, href in enumerate(hrefs):
        page.goto(f"{service}{href}")
        assert_fits(page, f"statement-{number}")


# The citation target picker, with the admin's own JavaScript ----------------------------------


def choose_in_autocomplete(page, field: str, term: str, option: str) -> None:
    """In the Select2 autocomplete of `field`, type `term` and pick the option showing `option`."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(term)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_a_citation_target_is_chosen_by_kind_then_by_name(service, wide_page):
    page = wide_page
    page.goto(f"{service}/admin/sources/citation/add/")
    kinds = page.locator("select[name=content_type] option").all_inner_texts()
    assert "Bill" in kinds and "User" not in kinds and len(kinds) < 20, kinds
    page.select_option("select[name=content_type]", label="Person")
    choose_in_autocomplete(page, "object_id", "Nigmatulin", "Person: Nurlan Nigmatulin")
    choose_in_autocomplete(page, "source", "terrorism", "terrorism")
    page.fill("textarea[name=excerpt]", "Chosen in a browser.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    page.goto(f"{service}/admin/sources/citation/?q=Chosen+in+a+browser")
    cited = page.locator("#result_list td.field-cited a")
    expect(cited).to_have_text(re.compile(r"^Person: Nurlan Nigmatulin \(#\d+\)$"))
    assert_fits(page, "citation-chosen-by-name")


def test_a_status_change_cites_its_source(service, wide_page):
    page = wide_page
    page.goto(f"{service}/admin/bills/bill/?status__exact=announced")  # may be withdrawn
    bill_url = f"{service}{change_links(page)[0].split('?')[0]}"
    page.goto(bill_url.replace("/change/", "/record-status-change/"))
    page.select_option("select[name=to_status]", "withdrawn")
    page.select_option("select[name=occurred_precision]", "unknown")
    choose_in_autocomplete(page, "source", "terrorism", "terrorism")
    page.fill("textarea[name=excerpt]", "Withdrawn, in a browser.")
    assert_fits(page, "bill-record-status-change-filled")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.url == bill_url, page.locator(".errorlist, .errornote").all_inner_texts()
    page.goto(f"{service}/admin/sources/citation/?q=Withdrawn%2C+in+a+browser")
    expect(page.locator("#result_list td.field-cited a")).to_contain_text("Bill action: ")


def test_other_curation_pages_fit_the_window(service, wide_page):
    """A record's history, its delete confirmation and a person's merge page."""
    page = wide_page
    page.goto(f"{service}/admin/bills/bill/")
    bill = change_links(page)[0].split("?")[0]
    for name, path in [("history", "history/"), ("delete", "delete/")]:
        page.goto(f"{service}{bill.replace('/change/', f'/{path}')}")
        assert_fits(page, f"bill-{name}")
    page.goto(f"{service}/admin/bills/person/")
    person = change_links(page)[0].split("?")[0]
    page.goto(f"{service}{person.replace('/change/', '/merge/')}")
    expect(page.locator("h1")).to_have_text("Merge into another person")
    assert_fits(page, "person-merge")
