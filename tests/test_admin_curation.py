"""What curators read in the admin: statements with their words and stances, citations with the
record they back and its excerpt, the statements about a bill on its page, and the citation
target picker (citable kinds only, the record by autocomplete)."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bills.models import Bill, Event, Person, Statement
from bills.services import bill_change_status, person_name_create, statement_set_stance
from policytracker import visibility
from sources.models import Citation
from tests.admin_pages import change_url
from tests.bills.factories import BillFactory, EventFactory, PersonFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory
from tests.test_admin_rules import MAKE, make

pytestmark = pytest.mark.django_db

LONG_TEXT = " ".join(f"word{n}" for n in range(80))
TARGETS = "admin:sources_citation_target_autocomplete"


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def statement_about(bill, **values) -> Statement:
    statement = StatementFactory(**values)
    CitationFactory(record=statement)
    statement_set_stance(statement=statement, bill=bill, stance="unclear")
    return statement


def changelist_queries(curator, assert_num_queries, model, count: int) -> str:
    with assert_num_queries(count):
        response = curator.get(url(model, "changelist"))
    assert response.status_code == 200
    return response.content.decode()


# The statement list ----------------------------------------------------------------------------


def test_statement_list_shows_the_words_and_the_stances(curator):
    bill = BillFactory(short_title="Mass media bill")
    statement_about(bill, text=LONG_TEXT)

    page = curator.get(url(Statement, "changelist")).content.decode()

    assert "word0 word1" in page and "word29…" in page  # cut at a word, marked as cut
    assert "word30" not in page
    assert "Unclear: Mass media bill" in page


def test_statement_list_says_how_many_sources_back_each_stance(curator):
    bill = BillFactory(short_title="Mass media bill")
    statement = statement_about(BillFactory(short_title="Other bill"))
    cited = [{"source": SourceFactory(), "excerpt": "We support it.", "field_name": "stance"}]
    statement_set_stance(statement=statement, bill=bill, stance="support", citations=cited)

    page = curator.get(url(Statement, "changelist")).content.decode()

    assert "<li>Support: Mass media bill (1 source)</li>" in page
    assert "<li>Unclear: Other bill</li>" in page


# Query counts of lists: the same for 2 rows as for 8 (prefetched, not one per row).
STATEMENT_LIST_QUERIES = 13
CITATION_LIST_QUERIES = 10


@pytest.mark.parametrize("rows", [2, 8])
def test_statement_list_queries_do_not_grow_with_rows(curator, django_assert_num_queries, rows):
    bills = [BillFactory(), BillFactory()]
    for _ in range(rows):
        statement = statement_about(bills[0], speaker_person=PersonFactory())
        statement_set_stance(statement=statement, bill=bills[1], stance="unclear")

    page = changelist_queries(curator, django_assert_num_queries, Statement, STATEMENT_LIST_QUERIES)
    assert page.count("<li>Unclear: ") == 2 * rows


# The citation list ----------------------------------------------------------------------------


def test_citation_list_names_and_links_the_cited_record_and_shows_the_excerpt(curator):
    bill = BillFactory(short_title="Mass media bill")
    CitationFactory(record=bill, excerpt="The Mazhilis adopted the bill.", field_name="title")

    page = curator.get(url(Citation, "changelist")).content.decode()

    assert f'<a href="{change_url(bill)}">Bill: Mass media bill (#{bill.pk})</a>' in page
    assert "The Mazhilis adopted the bill." in page
    assert '<td class="field-field">title</td>' in page


@pytest.mark.parametrize("rows", [1, 4])
def test_citation_list_queries_do_not_grow_with_rows_or_kinds(
    curator, django_assert_num_queries, rows
):
    for _ in range(rows):
        statement_about(BillFactory())  # cites the statement
        action = bill_change_status(bill=BillFactory(), to_status="announced", occurred_on=None)
        CitationFactory(record=action)  # an action's name needs its bill

    page = changelist_queries(curator, django_assert_num_queries, Citation, CITATION_LIST_QUERIES)
    assert page.count("Statement: ") == rows and page.count("Bill action: ") == rows


def test_citation_list_filters_by_citable_kind_only(curator):
    CitationFactory(record=BillFactory())
    response = curator.get(url(Citation, "changelist"))
    [kinds] = [
        spec for spec in response.context["cl"].filter_specs if spec.title.startswith("kind")
    ]
    names = [label for _, label in kinds.lookup_choices]
    assert len(names) == len(visibility.citable_models())
    assert "Bill" in names and "User" not in names
    bill_kind = ContentType.objects.get_for_model(Bill).pk
    filtered = curator.get(url(Citation, "changelist"), {"kind": bill_kind})
    assert len(filtered.context["cl"].result_list) == 1


# The citation target picker ---------------------------------------------------------------------


def test_citation_form_offers_citable_kinds_by_name(curator):
    form = curator.get(url(Citation, "add")).context["adminform"].form
    labels = [label for value, label in form.fields["content_type"].choices if value]
    assert len(labels) == len(visibility.citable_models())
    assert {"Bill", "Statement", "Person", "Bill action"} <= set(labels)


def test_citation_form_shows_the_cited_record_by_name(curator):
    bill = BillFactory(short_title="Mass media bill")
    citation = CitationFactory(record=bill)
    page = curator.get(change_url(citation)).content.decode()
    assert f'value="{bill.pk}" selected>Bill: Mass media bill (#{bill.pk})</option>' in page
    assert reverse(TARGETS) in page and "curation/citation_target.js" in page


def test_target_autocomplete_searches_the_chosen_kind(curator):
    wanted = BillFactory(short_title="Mass media bill", is_published=False)  # drafts included
    BillFactory(short_title="Other bill")
    kind = ContentType.objects.get_for_model(Bill).pk

    found = curator.get(reverse(TARGETS), {"content_type": kind, "term": "media"}).json()

    assert found["results"] == [
        {"id": str(wanted.pk), "text": f"Bill: Mass media bill (#{wanted.pk})"}
    ]
    by_id = curator.get(reverse(TARGETS), {"content_type": kind, "term": str(wanted.pk)}).json()
    assert str(wanted.pk) in [result["id"] for result in by_id["results"]]


def test_target_autocomplete_refuses_a_kind_that_cannot_cite(curator):
    kind = ContentType.objects.get_for_model(User).pk
    response = curator.get(reverse(TARGETS), {"content_type": kind, "term": "cur"})
    assert response.status_code == 400
    assert "kind of record" in response.json()["error"]
    assert curator.get(reverse(TARGETS), {"content_type": "x"}).status_code == 400


def test_target_autocomplete_lists_drafts_only_to_who_may_see_them(client):
    BillFactory(short_title="Published media bill")
    BillFactory(short_title="Draft media bill", is_published=False)
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_citation", "view_bill"])
    )
    client.force_login(user)
    kind = ContentType.objects.get_for_model(Bill).pk

    found = client.get(reverse(TARGETS), {"content_type": kind, "term": "media"}).json()

    assert [result["text"].split(" (#")[0] for result in found["results"]] == [
        "Bill: Published media bill"
    ]


def test_target_autocomplete_needs_the_kinds_view_permission(client):
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_citation"))
    client.force_login(user)
    kind = ContentType.objects.get_for_model(Bill).pk
    assert client.get(reverse(TARGETS), {"content_type": kind}).status_code == 403


def test_citation_added_through_the_picker_backs_the_chosen_record(curator):
    statement = statement_about(BillFactory())
    source = SourceFactory()
    data = {
        "content_type": ContentType.objects.get_for_model(Statement).pk,
        "object_id": statement.pk,
        "field_name": "text",
        "source": source.pk,
        "excerpt": "As quoted.",
        "excerpt_kind": "quote",
        "relation": "supports",
    }

    response = curator.post(url(Citation, "add"), data)

    assert response.status_code == 302
    assert statement.citations.filter(source=source, field_name="text").exists()


# A bill's page lists the statements about it -------------------------------------------------


def test_bill_page_lists_the_statements_about_it_read_only(curator):
    bill = BillFactory()
    statement = statement_about(bill, text="We support the bill.", said_on=None)

    response = curator.get(change_url(bill))

    page = response.content.decode()
    assert f'<a href="{change_url(statement)}">We support the bill.</a>' in page
    assert "date unknown" in page and "Unclear" in page
    [inline] = [
        i
        for i in response.context["inline_admin_formsets"]
        if i.opts.fk_name == "bill" and i.opts.model._meta.model_name == "statementbill"
    ]
    assert not inline.has_add_permission and not inline.has_change_permission


def test_view_site_leads_to_the_public_site(curator):
    page = curator.get(reverse("admin:index")).content.decode()
    assert '<a href="/">View site</a>' in page


# Events and people -----------------------------------------------------------------------------


def test_event_page_lists_its_statements_in_the_order_spoken(curator):
    event = EventFactory()
    second = statement_about(BillFactory(), event=event, sequence=2, text="Second words.")
    first = statement_about(BillFactory(), event=event, sequence=1, text="First words.")
    unnumbered = statement_about(BillFactory(), event=event, text="Unnumbered words.")

    page = curator.get(url(Event, "change", event.pk)).content.decode()

    links = [f'<a href="{change_url(s)}">{s.text}</a>' for s in (first, second, unnumbered)]
    assert all(link in page for link in links)
    assert [page.index(link) for link in links] == sorted(page.index(link) for link in links)


def test_person_list_flags_a_disputed_name(curator):
    person = PersonFactory(name="Nurlan Bilisbekov")
    person_name_create(
        values={"person": person, "name": "Nurgali Bilisbekov", "kind": "conflicting"}
    )
    page = curator.get(url(Person, "changelist")).content.decode()
    assert "Nurgali Bilisbekov (disputed)" in page


# No changelist makes a query per row -------------------------------------------------------------


@pytest.mark.parametrize("model", sorted(MAKE, key=str), ids=lambda m: m._meta.label)
def test_every_changelist_costs_the_same_for_two_rows_as_for_six(curator, model):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert curator.get(url(model, "changelist")).status_code == 200
        return len(captured)

    make(model)
    queries()  # the first fills the content type cache
    with_two = queries()
    make(model), make(model)
    assert queries() == with_two


def test_a_records_citations_suggest_its_fields(curator):
    statement = statement_about(BillFactory())
    page = curator.get(change_url(statement)).content.decode()
    assert 'list="cited-fields-bills-statement"' in page
    datalist = page[page.index('<datalist id="cited-fields-bills-statement">') :]
    datalist = datalist[: datalist.index("</datalist>")]
    assert '<option value="said_on">Said on</option>' in datalist
    assert 'value="version"' not in datalist and 'value="search_vector"' not in datalist
