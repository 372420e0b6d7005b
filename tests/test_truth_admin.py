"""Curators meet the truth rules in the admin as plain words naming the field: a position in
the order spoken needs an event and is unique in it; a stance's excerpt is added on its row."""

from html import unescape

import pytest

from bills.models import Statement
from tests.admin_pages import change_url, posted_form
from tests.bills.factories import BillFactory, EventFactory, StatementFactory
from tests.sources.factories import CitationFactory, SourceFactory
from tests.test_admin_rules import curator, errors_of  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def cited_statement(**values):
    statement = StatementFactory(**values)
    CitationFactory(record=statement)
    return statement


def test_a_position_without_an_event_is_refused_naming_it(curator):  # noqa: F811
    statement = cited_statement()
    data = posted_form(curator.get(change_url(statement))) | {"sequence": "1"}

    response = curator.post(change_url(statement), data)

    assert response.status_code == 200
    assert "sequence" in response.context["adminform"].form.errors
    assert "position within an event" in unescape(errors_of(response))
    assert Statement.objects.get(pk=statement.pk).sequence is None


def test_a_position_taken_at_the_event_is_refused(curator):  # noqa: F811
    event = EventFactory()
    cited_statement(event=event, sequence=1)
    statement = cited_statement(event=event)
    data = posted_form(curator.get(change_url(statement))) | {"sequence": "1"}

    response = curator.post(change_url(statement), data)

    assert response.status_code == 200
    assert "already has this position" in unescape(errors_of(response))
    data["sequence"] = "2"
    assert curator.post(change_url(statement), data).status_code == 302
    assert Statement.objects.get(pk=statement.pk).sequence == 2


def test_an_excerpt_added_on_a_stance_row_keeps_the_stances_other_sources(curator):  # noqa: F811
    from bills.services import statement_set_stance

    statement = cited_statement()
    bill = BillFactory()
    first = SourceFactory()
    statement_set_stance(
        statement=statement,
        bill=bill,
        stance="support",
        citations=[{"source": first, "excerpt": "We back it.", "field_name": "stance"}],
    )
    data = posted_form(curator.get(change_url(statement)))
    second = SourceFactory()
    data |= {
        "bill_links-0-stance": "mixed",
        "bill_links-0-stance_source": str(second.pk),
        "bill_links-0-stance_excerpt": "With doubts.",
    }

    response = curator.post(change_url(statement), data)

    assert response.status_code == 302, errors_of(response)
    link = statement.bill_links.get()
    assert link.stance == "mixed"
    assert sorted(c.excerpt for c in link.citations.all()) == ["We back it.", "With doubts."]
