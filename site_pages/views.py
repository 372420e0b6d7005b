"""The public pages: each view reads one selector (through the gate) and renders a template.
A missing or draft record is an HTML 404 in the reader's language, never a JSON problem."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext

from policytracker import problems
from site_pages import selectors
from site_pages.caching import cached_page

SEARCH_MAX_LENGTH = 200


def not_found(request, message: str) -> TemplateResponse:
    context = {"message": message}
    return TemplateResponse(request, "site_pages/not_found.html", context, status=404)


def page_not_found(request, exception=None):
    """The project's 404 (handler404): the API's problem JSON under /api/ and for clients that
    do not ask for HTML; a page in the reader's language for a browser anywhere else."""
    wants_page = "text/html" in request.headers.get("Accept", "")
    if request.path.startswith("/api/") or not wants_page:
        return problems.not_found(request, exception)
    response = not_found(request, gettext("There is no page at this address."))
    return response.render()


@cached_page
def home(request):
    """The bills with their status, what it means and when it was last recorded."""
    return TemplateResponse(request, "site_pages/home.html", {"bills": selectors.home_bills()})


@cached_page
def bill(request, slug: str):
    """One bill: its recorded steps, sponsors, statements about it and what is not known."""
    page = selectors.bill_page(slug)
    if page is None:
        return not_found(request, gettext("There is no published bill at this address."))
    return TemplateResponse(request, "site_pages/bill.html", {"page": page, "bill": page.bill})


@cached_page
def person(request, slug: str):
    """One person: other names, posts, bills sponsored, statements."""
    page = selectors.person_page(slug)
    if page is None:
        return not_found(request, gettext("There is no published person at this address."))
    return TemplateResponse(
        request, "site_pages/person.html", {"page": page, "person": page.person}
    )


@cached_page
def event(request, slug: str):
    """One event, its statements in the order they were spoken."""
    page = selectors.event_page(slug)
    if page is None:
        return not_found(request, gettext("There is no published event at this address."))
    return TemplateResponse(request, "site_pages/event.html", {"page": page, "event": page.event})


@cached_page
def search(request):
    """Search over bills, statements, people and organizations (`q`); an empty query shows the
    form only, an over-long one is refused naming the field."""
    text = request.GET.get("q", "").strip()
    if len(text) > SEARCH_MAX_LENGTH:
        context = {"q": text[:SEARCH_MAX_LENGTH], "error": True, "max": SEARCH_MAX_LENGTH}
        return TemplateResponse(request, "site_pages/search.html", context, status=400)
    hits = selectors.search(text) if text else []
    return TemplateResponse(request, "site_pages/search.html", {"q": text, "hits": hits})
