"""The admin writes only through the services and holds every rule the API holds: citations,
publishing with dependents, plain-words refusals, and every action on every model."""

import itertools
from html import unescape

import pytest
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillRelation,
    Event,
    Membership,
    Organization,
    Person,
    PersonName,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from bills.services import (
    bill_change_status,
    bill_identifier_create,
    bill_relation_create,
    package_create,
    person_name_create,
    statement_set_stance,
)
from policytracker.services import record_publish, record_unpublish, record_update
from sources.models import Citation, Source
from tests.admin_pages import change_url, posted_form
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

CITATIONS = "sources-citation-content_type-object_id"
CONSTRAINT = "Constraint “"
MODELS = [m for m in admin.site._registry if m._meta.app_label in {"bills", "sources"}]


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def add_row(data: dict, prefix: str, **values) -> None:
    """Append a new inline row to posted form data."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value


def errors_of(response) -> str:
    """Every error the change form shows, as text."""
    return " ".join(str(error) for error in response.context["errors"])


def new_statement_form(curator, person) -> dict:
    data = posted_form(curator.get(url(Statement, "add")))
    return data | {
        "slug": "new-statement",
        "speaker_person": person.pk,
        "attribution": person.name,
        "text": "The bill protects children.",
        "form": "direct_quote",
        "language": "en",
        "said_precision": "unknown",
    }


# Writes go through the services ----------------------------------------------------------------


def test_adding_a_statement_without_a_source_is_refused_in_plain_words(curator):
    data = new_statement_form(curator, PersonFactory())

    response = curator.post(url(Statement, "add"), data)

    assert response.status_code == 200
    assert "A statement must cite at least one source" in errors_of(response)
    assert "A statement must cite at least one source" in response.content.decode()
    assert not Statement.objects.exists()


def test_adding_a_statement_creates_it_with_its_source_and_stance(curator):
    source, bill = SourceFactory(), BillFactory()
    data = new_statement_form(curator, PersonFactory())
    add_row(data, CITATIONS, source=source.pk, excerpt="Quoted here.", excerpt_kind="quote")
    add_row(
        data,
        "bill_links",
        bill=bill.pk,
        stance="support",
        stance_source=source.pk,
        stance_excerpt="We back this bill.",
    )
    data[f"{CITATIONS}-0-relation"] = "supports"

    response = curator.post(url(Statement, "add"), data)

    assert response.status_code == 302, errors_of(response)
    statement = Statement.objects.get(slug="new-statement")
    assert (statement.version, statement.is_published) == (1, False)
    assert [c.source for c in statement.citations.all()] == [source]
    assert [(link.bill, link.stance) for link in statement.bill_links.all()] == [(bill, "support")]
    link = statement.bill_links.get()
    assert [(c.source, c.excerpt, c.field_name) for c in link.citations.all()] == [
        (source, "We back this bill.", "stance")
    ]
    assert response["Location"] == reverse("admin:bills_statement_changelist")


def test_a_stance_without_its_excerpt_is_refused_in_plain_words(curator):
    source, bill = SourceFactory(), BillFactory(slug="the-bill")
    data = new_statement_form(curator, PersonFactory())
    add_row(data, CITATIONS, source=source.pk, excerpt="Quoted here.", excerpt_kind="quote")
    data[f"{CITATIONS}-0-relation"] = "supports"
    add_row(data, "bill_links", bill=bill.pk, stance="support")

    response = curator.post(url(Statement, "add"), data)

    assert response.status_code == 200
    assert "The stance 'support' toward bill 'the-bill' needs a source" in unescape(
        errors_of(response)
    )
    assert not Statement.objects.exists()

    add_row(data, "bill_links", bill=BillFactory().pk, stance="unclear")
    data["bill_links-0-stance"] = "unclear"
    response = curator.post(url(Statement, "add"), data)
    assert response.status_code == 302, errors_of(response)
    assert {link.stance for link in StatementBill.objects.all()} == {"unclear"}


def cited_statement():
    statement = StatementFactory()
    return statement, CitationFactory(record=statement)


def test_statement_page_refuses_to_remove_its_last_source(curator):
    statement, citation = cited_statement()
    data = posted_form(curator.get(change_url(statement)))
    data[f"{CITATIONS}-0-DELETE"] = "on"

    response = curator.post(change_url(statement), data)

    assert response.status_code == 200
    assert "must keep at least one source" in errors_of(response)
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_statement_page_swaps_its_only_source(curator):
    statement, citation = cited_statement()
    other = SourceFactory()
    data = posted_form(curator.get(change_url(statement)))
    data[f"{CITATIONS}-0-DELETE"] = "on"
    add_row(data, CITATIONS, source=other.pk, excerpt="Said so.", relation="supports")
    data[f"{CITATIONS}-1-excerpt_kind"] = "quote"

    response = curator.post(change_url(statement), data)

    assert response.status_code == 302, errors_of(response)
    assert [c.source for c in statement.citations.all()] == [other]
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_citation_delete_page_refuses_the_last_source_of_a_statement(curator):
    statement, citation = cited_statement()
    delete_url = url(Citation, "delete", citation.pk)

    page = curator.get(delete_url)
    assert "must keep at least one source" in page.content.decode()
    response = curator.post(delete_url, {"post": "yes"})

    assert response.status_code == 200
    assert "must keep at least one source" in response.content.decode()
    assert Citation.objects.filter(pk=citation.pk).exists()


def test_citation_delete_selected_refuses_the_last_source_of_a_statement(curator):
    statement, citation = cited_statement()
    bill_citation = CitationFactory(record=BillFactory())
    selected = {"action": "delete_selected", "_selected_action": [citation.pk, bill_citation.pk]}

    response = curator.post(url(Citation, "changelist"), selected | {"post": "yes"})

    assert response.status_code == 200
    assert "must keep at least one source" in response.content.decode()
    assert Citation.objects.count() == 2


def test_a_delete_refused_by_the_service_comes_back_as_a_message(curator, monkeypatch):
    # Someone removed the statement's other source between the confirmation and the delete:
    # the page did not see the rule, the service does.
    statement, citation = cited_statement()
    monkeypatch.setattr(
        type(admin.site.get_model_admin(Citation)), "deletion_refusals", no_refusals
    )

    single = curator.post(url(Citation, "delete", citation.pk), {"post": "yes"}, follow=True)
    selected = curator.post(
        url(Citation, "changelist"),
        {"action": "delete_selected", "_selected_action": [citation.pk], "post": "yes"},
        follow=True,
    )

    for response in (single, selected):
        shown = [str(m) for m in response.context["messages"]]
        assert any("must keep at least one source" in m for m in shown), shown
        assert not any("Successfully deleted" in m for m in shown)
    assert Citation.objects.filter(pk=citation.pk).exists()
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()


def no_refusals(self, request, records):
    return []


def test_moving_the_only_source_of_a_statement_away_is_refused(curator):
    statement, citation = cited_statement()
    bill = BillFactory()
    data = posted_form(curator.get(change_url(citation)))
    data |= {"content_type": ContentType.objects.get_for_model(Bill).pk, "object_id": bill.pk}

    response = curator.post(change_url(citation), data)

    assert response.status_code == 200
    assert "must keep at least one source" in errors_of(response)
    citation.refresh_from_db()
    assert citation.object_id == statement.pk


def test_person_page_writes_other_names_and_posts_through_their_services(curator):
    person, organization = PersonFactory(), OrganizationFactory()
    data = posted_form(curator.get(change_url(person)))
    add_row(data, "other_names", name="Нурлан", kind="native", language="kk")
    add_row(data, "memberships", organization=organization.pk, role="Minister")
    data["memberships-0-start_precision"] = data["memberships-0-end_precision"] = "unknown"

    response = curator.post(change_url(person), data)

    assert response.status_code == 302, errors_of(response)
    assert [n.name for n in person.other_names.all()] == ["Нурлан"]
    membership = person.memberships.get()
    assert (membership.role, membership.is_published) == ("Minister", False)
    assert Person.objects.get(pk=person.pk).version == person.version + 1  # a name is a part


def test_a_stance_added_on_its_own_page_is_a_change_of_the_statement(curator):
    statement, _ = cited_statement()
    bill = BillFactory()
    data = posted_form(curator.get(url(StatementBill, "add")))
    data |= {"statement": statement.pk, "bill": bill.pk, "stance": "oppose"}

    refused = curator.post(url(StatementBill, "add"), data)
    assert refused.status_code == 200
    assert f"The stance 'oppose' toward bill '{bill.slug}' needs a source" in unescape(
        errors_of(refused)
    )
    assert not StatementBill.objects.exists()

    source = SourceFactory()
    add_row(data, CITATIONS, source=source.pk, excerpt="We oppose it.", excerpt_kind="quote")
    data[f"{CITATIONS}-0-relation"] = "supports"
    response = curator.post(url(StatementBill, "add"), data)

    assert response.status_code == 302, errors_of(response)
    assert [(link.bill, link.stance) for link in statement.bill_links.all()] == [(bill, "oppose")]
    assert [c.excerpt for c in statement.bill_links.get().citations.all()] == ["We oppose it."]
    assert Statement.objects.get(pk=statement.pk).version == statement.version + 1


def test_a_stances_last_source_is_kept_unless_the_stance_is_unclear(curator):
    statement, _ = cited_statement()
    bill = BillFactory()
    statement_set_stance(
        statement=statement,
        bill=bill,
        stance="support",
        citations=[{"source": SourceFactory(), "excerpt": "We back it."}],
    )
    link = statement.bill_links.get()
    citation = link.citations.get()
    delete_url = url(Citation, "delete", citation.pk)

    response = curator.post(delete_url, {"post": "yes"})

    assert response.status_code == 200
    assert "A stance other than 'unclear' must keep at least one source" in unescape(
        response.content.decode()
    )
    assert Citation.objects.filter(pk=citation.pk).exists()
    statement_set_stance(statement=statement, bill=bill, stance="unclear")
    assert curator.post(delete_url, {"post": "yes"}).status_code == 302
    assert not link.citations.exists()


def citation_form(curator, **values) -> dict:
    data = posted_form(curator.get(url(Citation, "add")))
    return (
        data
        | {
            "source": SourceFactory().pk,
            "excerpt": "It says so.",
            "excerpt_kind": "quote",
            "relation": "supports",
        }
        | values
    )


@pytest.mark.parametrize(
    ("target", "field", "message"),
    [
        (
            lambda bill: {"content_type": ContentType.objects.get_for_model(User).pk},
            "content_type",
            "",
        ),
        (lambda bill: {"object_id": bill.pk + 1000}, "object_id", "No bill with id"),
        (lambda bill: {"field_name": "no_such_field"}, "field_name", "is not a field of a bill"),
    ],
    ids=["not-citable-kind", "missing-record", "not-a-field"],
)
def test_citation_form_refuses_a_wrong_target_next_to_its_field(curator, target, field, message):
    bill = BillFactory()
    bill_type = ContentType.objects.get_for_model(Bill)
    data = citation_form(curator, content_type=bill_type.pk, object_id=bill.pk) | target(bill)

    response = curator.post(url(Citation, "add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field])
    assert not Citation.objects.exists()


def test_citation_form_cites_a_record_through_the_service(curator):
    bill = BillFactory()
    data = citation_form(
        curator,
        content_type=ContentType.objects.get_for_model(Bill).pk,
        object_id=bill.pk,
        field_name="title",
    )

    response = curator.post(url(Citation, "add"), data)

    assert response.status_code == 302, errors_of(response)
    assert [c.field_name for c in bill.citations.all()] == ["title"]
    assert Bill.objects.get(pk=bill.pk).version == bill.version + 1  # a change of the bill


def test_adding_a_bill_writes_it_with_its_topics_rows_and_sources(curator):
    topic, organization, source = TopicFactory(), OrganizationFactory(), SourceFactory()
    data = posted_form(curator.get(url(Bill, "add")))
    data |= {
        "slug": "new-bill",
        "short_title_en": "On mass media",  # a field per language (bills/translation.py)
        "title_status": "unknown",
        "initiator_kind": "unknown",
        "procedure": Bill._meta.get_field("procedure").default,
        "topics": [topic.pk],
    }
    for name in ("introduced", "signed", "in_force"):
        data[f"{name}_precision"] = "unknown"
    add_row(data, "sponsorships", organization=organization.pk, role="initiator")
    data["sponsorships-0-started_precision"] = data["sponsorships-0-ended_precision"] = "unknown"
    add_row(data, "identifiers", scheme="adilet", identifier="Z160000035")
    add_row(data, CITATIONS, source=source.pk, excerpt="Introduced.", relation="supports")
    data[f"{CITATIONS}-0-excerpt_kind"] = "quote"

    response = curator.post(url(Bill, "add"), data)

    assert response.status_code == 302, errors_of(response)
    bill = Bill.objects.get(slug="new-bill")
    assert (bill.is_published, bill.status) == (False, None)
    assert list(bill.topics.all()) == [topic]
    assert [s.organization for s in bill.sponsorships.all()] == [organization]
    assert [str(i) for i in bill.identifiers.all()] == ["adilet:Z160000035"]
    assert [c.source for c in bill.citations.all()] == [source]


def test_changing_topics_counts_a_new_version(curator):
    bill = BillFactory()
    topic = TopicFactory()
    data = posted_form(curator.get(change_url(bill))) | {"topics": [topic.pk]}

    assert curator.post(change_url(bill), data).status_code == 302

    bill.refresh_from_db()
    assert (list(bill.topics.all()), bill.version) == ([topic], 2)


def test_the_published_flag_is_not_a_form_field(curator):
    bill = BillFactory(is_published=False)
    SponsorshipFactory(bill=bill, is_published=False)
    response = curator.get(change_url(bill))
    assert "is_published" in response.context["adminform"].readonly_fields
    data = posted_form(response) | {"is_published": "on"}

    assert curator.post(change_url(bill), data).status_code == 302

    bill.refresh_from_db()
    assert bill.is_published is False  # publishing is an action, which checks dependents


def test_deleting_a_statement_goes_through_its_service(curator):
    statement, citation = cited_statement()
    response = curator.post(url(Statement, "delete", statement.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Statement.objects.filter(pk=statement.pk).exists()
    assert not Citation.objects.filter(pk=citation.pk).exists()


def test_a_person_quoted_by_a_statement_cannot_be_deleted(curator):
    statement = StatementFactory()
    response = curator.post(url(Person, "delete", statement.speaker_person_id), {"post": "yes"})
    assert response.status_code == 200
    assert Person.objects.filter(pk=statement.speaker_person_id).exists()


# Constraint names never reach curators ---------------------------------------------------------


def test_bill_with_a_date_of_unknown_precision_gets_plain_words(curator):
    bill = BillFactory()
    data = posted_form(curator.get(change_url(bill)))
    data |= {"introduced_on": "2016-10-26", "introduced_precision": "unknown"}

    response = curator.post(change_url(bill), data)

    assert response.status_code == 200
    assert "A known date needs a precision" in errors_of(response)
    assert CONSTRAINT not in response.content.decode()


def test_verified_title_that_is_empty_gets_plain_words(curator):
    bill = BillFactory()
    data = posted_form(curator.get(change_url(bill))) | {"title_en": "", "title_status": "verified"}

    response = curator.post(change_url(bill), data)

    assert response.status_code == 200
    # The English title field, which the model's error on `title` names (bills/translation.py).
    assert "Give the title" in " ".join(response.context["adminform"].form.errors["title_en"])
    assert CONSTRAINT not in response.content.decode()


def test_sponsorship_with_a_person_and_an_organization_gets_plain_words(curator):
    data = posted_form(curator.get(url(Sponsorship, "add")))
    data |= {
        "bill": BillFactory().pk,
        "person": PersonFactory().pk,
        "organization": OrganizationFactory().pk,
        "role": "initiator",
        "started_precision": "unknown",
        "ended_precision": "unknown",
    }

    response = curator.post(url(Sponsorship, "add"), data)

    assert response.status_code == 200
    assert "a person or an organization (exactly one)" in errors_of(response)
    assert CONSTRAINT not in response.content.decode()
    assert not Sponsorship.objects.exists()


# Publishing ------------------------------------------------------------------------------------


def test_publish_refuses_a_bill_with_a_draft_sponsorship_and_names_it(curator):
    bill = BillFactory(is_published=False, short_title="Mass media bill")
    sponsorship = SponsorshipFactory(bill=bill, is_published=False)

    response = curator.post(
        url(Bill, "changelist"),
        {"action": "publish_selected", "_selected_action": [bill.pk]},
        follow=True,
    )

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert any("was not published" in m and f"sponsorship “{sponsorship}”" in m for m in shown)
    bill.refresh_from_db()
    sponsorship.refresh_from_db()
    assert (bill.is_published, sponsorship.is_published) == (False, False)


def test_publish_with_dependents_publishes_the_bill_and_its_draft_sponsorship(curator):
    bill = BillFactory(is_published=False)
    sponsorship = SponsorshipFactory(bill=bill, is_published=False)

    response = curator.post(
        url(Bill, "changelist"),
        {"action": "publish_selected_with_dependents", "_selected_action": [bill.pk]},
        follow=True,
    )

    assert "Published 1 bill, with 1 draft they depend on." in response.content.decode()
    bill.refresh_from_db()
    sponsorship.refresh_from_db()
    assert (bill.is_published, sponsorship.is_published) == (True, True)


@pytest.mark.parametrize(
    "factory", [StatementFactory, SponsorshipFactory, EventFactory, OrganizationFactory]
)
def test_publish_actions_work_where_the_changelist_joins_nullable_links(curator, factory):
    record = factory(is_published=False)
    model = type(record)
    for action, published in [("publish_selected", True), ("unpublish_selected", False)]:
        response = curator.post(
            url(model, "changelist"), {"action": action, "_selected_action": [record.pk]}
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.is_published is published


# Drafts are the admin's daily work -------------------------------------------------------------


def test_curators_see_drafts_in_lists_and_autocompletes(curator):
    draft = BillFactory(is_published=False, short_title="Draft bill")
    response = curator.get(url(Bill, "changelist"))
    assert draft in response.context["cl"].result_list

    found = curator.get(
        reverse("admin:autocomplete"),
        {"term": "Draft", "app_label": "bills", "model_name": "sponsorship", "field_name": "bill"},
    )
    assert [r["id"] for r in found.json()["results"]] == [str(draft.pk)]


# Status changes keep their own page ------------------------------------------------------------


def test_record_status_change_refuses_a_stale_page(curator):
    bill = BillFactory()
    status_url = reverse("admin:bills_bill_record_status_change", args=[bill.pk])
    opened = curator.get(status_url)
    record_update(instance=bill, values={"short_title": "Changed meanwhile"})
    data = {
        "to_status": "announced",
        "occurred_on": "",
        "occurred_precision": "unknown",
        "loaded_version": opened.context["adminform"].form.initial["loaded_version"],
    }

    response = curator.post(status_url, data)

    assert response.status_code == 200
    assert "changed since you read it" in response.content.decode()
    assert not BillAction.objects.filter(bill=bill).exists()


# Every action and page of every model ----------------------------------------------------------


def _stance():
    statement = StatementFactory()
    statement_set_stance(
        statement=statement,
        bill=BillFactory(),
        stance="support",
        citations=[{"source": SourceFactory(), "excerpt": "We back it."}],
    )
    return statement.bill_links.get()


NUMBERS = itertools.count()

MAKE = {
    Topic: TopicFactory,
    BillPackage: lambda: package_create(values={"slug": f"p-{next(NUMBERS)}", "name": "P"}),
    Bill: BillFactory,
    BillIdentifier: lambda: bill_identifier_create(
        values={"bill": BillFactory(), "scheme": "adilet", "identifier": f"Z{next(NUMBERS)}"}
    ),
    BillRelation: lambda: bill_relation_create(
        values={"bill": BillFactory(), "related_bill": BillFactory(), "kind": "companion"}
    ),
    BillAction: lambda: bill_change_status(
        bill=BillFactory(), to_status="announced", occurred_on=None
    ),
    Sponsorship: SponsorshipFactory,
    Organization: OrganizationFactory,
    Person: PersonFactory,
    PersonName: lambda: person_name_create(
        values={"person": PersonFactory(), "name": "Другое имя"}
    ),
    Membership: MembershipFactory,
    Event: EventFactory,
    Statement: lambda: cited_statement()[0],
    StatementBill: _stance,
    Source: SourceFactory,
    Citation: lambda: CitationFactory(record=BillFactory()),
}


def make(model) -> list:
    """Two records of `model`; publishable ones are drafts whose links are published."""
    records = [MAKE[model](), MAKE[model]()]
    for record in records:
        if getattr(record, "is_published", False):
            record_unpublish(record=record)
    return [model.objects.get(pk=record.pk) for record in records]


def test_every_registered_model_has_a_maker():
    assert set(MODELS) == set(MAKE)


def _action_names(curator, model) -> list[str]:
    response = curator.get(url(model, "changelist"))
    assert response.status_code == 200
    action_form = response.context["action_form"]
    return [name for name, _ in action_form.fields["action"].choices if name] if action_form else []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_action_works_on_every_model(curator, model):
    for action in _action_names(curator, model):
        records = make(model)
        pks = [r.pk for r in records]
        if action == "unpublish_selected":
            for record in records:
                record_publish(record=record, with_dependents=True)
        selected = {"action": action, "_selected_action": pks}

        if action == "merge_into_another":
            # One person opens the merge page; two are refused with a message, nothing merged.
            one = curator.post(url(model, "changelist"), selected | {"_selected_action": pks[:1]})
            assert one.status_code == 302
            assert one["Location"] == reverse("admin:bills_person_merge", args=[pks[0]])
            two = curator.post(url(model, "changelist"), selected, follow=True)
            assert "Select exactly one person to merge." in two.content.decode()
            assert model.objects.filter(pk__in=pks).count() == 2
            continue
        if action == "delete_selected":
            confirm = curator.post(url(model, "changelist"), selected)
            assert confirm.status_code == 200
            assert not confirm.context["protected"]
            response = curator.post(url(model, "changelist"), selected | {"post": "yes"})
        else:
            response = curator.post(url(model, "changelist"), selected)

        assert response.status_code == 302, (action, response.content.decode()[:500])
        remaining = model.objects.filter(pk__in=pks)
        if action == "delete_selected":
            assert not remaining.exists(), action
        else:
            published = action != "unpublish_selected"
            assert all(r.is_published is published for r in remaining), action


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_add_and_change_pages_of_every_model_load(curator, model):
    [record, _] = make(model)
    add = curator.get(url(model, "add"))
    may_add = admin.site.get_model_admin(model).has_add_permission(add.wsgi_request)
    assert add.status_code == (200 if may_add else 403)
    assert curator.get(change_url(record)).status_code == 200


def test_drafts_dashboard_renders(curator):
    for model in MODELS:
        make(model)
    response = curator.get(reverse("admin:drafts_awaiting_review"))
    assert response.status_code == 200
    assert any(section["total"] for section in response.context["sections"])
