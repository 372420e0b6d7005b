"""Curator workflows in the admin: history, publishing, lost-update refusal and the drafts
awaiting review (recording a bill's status change is tested in tests/bills/test_admin.py)."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bills.models import Bill, Person
from bills.services import bill_change_status
from policytracker.admin import DRAFTS_PER_MODEL, VERSION_FIELD
from policytracker.services import record_update
from sources.models import Source
from tests.admin_pages import change_url, posted_form
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    PersonFactory,
    SponsorshipFactory,
)
from tests.sources.factories import CitationFactory, SourceFactory

pytestmark = pytest.mark.django_db

DRAFTS_URL = "admin:drafts_awaiting_review"


@pytest.fixture
def curator_user():
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


@pytest.fixture
def curator(client, curator_user):
    client.force_login(curator_user)
    return client


@pytest.fixture
def viewer(client):
    """A staff user who may look at bills but not change them."""
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_bill"))
    client.force_login(user)
    return client


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def status_change_url(bill) -> str:
    return reverse("admin:bills_bill_record_status_change", args=[bill.pk])


def edited_bill():
    """A bill with a status history, a sponsor and a citation, so the form has live inlines."""
    bill = BillFactory(short_title="Original title")
    bill_change_status(bill=bill, to_status="announced", occurred_on=None)
    SponsorshipFactory(bill=bill)
    CitationFactory(record=bill)
    return Bill.objects.get(pk=bill.pk)


# History -----------------------------------------------------------------------------------


def test_history_page_lists_an_edit_made_in_the_admin(curator, curator_user):
    bill = edited_bill()
    data = posted_form(curator.get(change_url(bill)))
    data["short_title_en"] = "Edited title"
    assert curator.post(change_url(bill), data).status_code == 302

    response = curator.get(reverse("admin:bills_bill_history", args=[bill.pk]))

    assert response.status_code == 200
    assert bill.history.first().history_user == curator_user
    entries = response.context["page_obj"].object_list
    # The original column and its English column move together (bills/translation.py).
    assert {change["new"] for change in entries[0].history_delta_changes} == {"Edited title"}
    assert "Edited title" in response.content.decode()


def test_history_cannot_revert_a_bill_past_its_status_service(curator):
    bill = edited_bill()
    before = bill.history.last()  # created, before any status was recorded
    url = reverse("admin:bills_bill_simple_history", args=[bill.pk, before.history_id])
    assert curator.get(url).status_code == 200
    assert curator.post(url, {"short_title": "Reverted"}).status_code == 403
    bill.refresh_from_db()
    assert bill.status == "announced"


# Publish / unpublish -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "action", "published_before"),
    [
        (BillFactory, "publish_selected", False),
        (SourceFactory, "publish_selected", False),
        (PersonFactory, "unpublish_selected", True),
    ],
)
def test_publish_actions_change_records_and_write_history(
    curator, curator_user, factory, action, published_before
):
    records = factory.create_batch(2, is_published=published_before)
    untouched = factory(is_published=published_before)
    model = type(untouched)

    response = curator.post(
        changelist_url(model),
        {"action": action, "_selected_action": [r.pk for r in records]},
        follow=True,
    )

    verb = "Published" if action == "publish_selected" else "Unpublished"
    assert f"{verb} 2 {model._meta.verbose_name_plural}." in response.content.decode()
    for record in records:
        record.refresh_from_db()
        assert record.is_published is not published_before
        latest, previous = record.history.all()[:2]
        assert (latest.is_published, previous.is_published) == (
            not published_before,
            published_before,
        )
        assert latest.history_user == curator_user
    untouched.refresh_from_db()
    assert untouched.is_published is published_before


def test_publish_counts_records_already_published(curator):
    draft, published = BillFactory(is_published=False), BillFactory(is_published=True)
    response = curator.post(
        changelist_url(Bill),
        {"action": "publish_selected", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    assert "Published 1 bill. 1 was already published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published
    assert published.history.count() == 1  # not saved again


def test_publish_action_needs_change_permission(viewer):
    draft = BillFactory(is_published=False)
    viewer.post(
        changelist_url(Bill), {"action": "publish_selected", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_published is False


# Lost updates ------------------------------------------------------------------------------


@pytest.mark.parametrize("make_record", [edited_bill, SourceFactory, PersonFactory])
def test_change_form_refuses_to_save_over_a_newer_version(curator, make_record):
    record = make_record()
    model, url = type(record), change_url(record)
    opened = curator.get(url)
    assert f'name="{VERSION_FIELD}" value="{record.version}"' in opened.content.decode()
    data = posted_form(opened)
    # A bill's form has a field per language (bills/translation.py): short_title_en.
    field = next(f for f in ("short_title", "short_title_en", "title", "name") if f in data)

    # Someone else saves the record while the form is open.
    behind = record_update(instance=record, values={field: "Theirs"})
    assert behind.version == record.version + 1
    data[field] = "Mine"

    response = curator.post(url, data)

    assert response.status_code == 200
    [error] = response.context["adminform"].form.non_field_errors()
    assert "changed since you read it" in error and "Reload it" in error
    assert f"you have version {record.version}" in error
    assert "changed since you read it" in response.content.decode()
    assert getattr(model.objects.get(pk=record.pk), field) == "Theirs"

    fresh = posted_form(curator.get(url))  # the curator reloads
    fresh[field] = "Mine"
    assert curator.post(url, fresh).status_code == 302
    current = model.objects.get(pk=record.pk)
    assert (getattr(current, field), current.version) == ("Mine", behind.version + 1)


def test_change_form_refuses_a_stale_inline_row(curator):
    bill = edited_bill()
    sponsorship = bill.sponsorships.get()
    data = posted_form(curator.get(change_url(bill)))
    record_update(instance=sponsorship, values={"capacity": "Theirs"})
    data["sponsorships-0-capacity"] = "Mine"

    response = curator.post(change_url(bill), data)

    assert response.status_code == 200
    assert "changed since you read it" in response.content.decode()
    sponsorship.refresh_from_db()
    assert sponsorship.capacity == "Theirs"


def test_change_form_without_a_version_is_refused(curator):
    person = PersonFactory(name="Original")
    data = posted_form(curator.get(change_url(person)))
    del data[VERSION_FIELD]
    data["name"] = "Mine"
    assert curator.post(change_url(person), data).status_code == 200
    person.refresh_from_db()
    assert person.name == "Original"


def test_change_form_shows_audit_timestamps_read_only(curator):
    person = PersonFactory()
    response = curator.get(change_url(person))
    readonly = response.context["adminform"].readonly_fields
    assert {"created_at", "updated_at"} <= set(readonly)
    data = posted_form(response) | {"created_at": "2000-01-01 00:00:00"}
    curator.post(change_url(person), data)
    assert Person.objects.get(pk=person.pk).created_at == person.created_at


# Drafts awaiting review --------------------------------------------------------------------


def test_index_links_to_drafts_awaiting_review(curator):
    assert reverse(DRAFTS_URL) in curator.get(reverse("admin:index")).content.decode()


def test_drafts_page_lists_drafts_not_published_records(curator):
    draft, published = BillFactory(is_published=False), BillFactory(is_published=True)
    source_draft = SourceFactory(is_published=False)

    response = curator.get(reverse(DRAFTS_URL))

    html = response.content.decode()
    assert response.status_code == 200
    assert change_url(draft) in html and change_url(source_draft) in html
    assert change_url(published) not in html
    assert f"{changelist_url(Bill)}?is_published__exact=0" in html


def test_drafts_page_shows_a_bounded_newest_first_list_per_model(curator):
    drafts = BillFactory.create_batch(DRAFTS_PER_MODEL + 2, is_published=False)

    response = curator.get(reverse(DRAFTS_URL))

    [bills] = [s for s in response.context["sections"] if s["opts"].model is Bill]
    assert bills["total"] == DRAFTS_PER_MODEL + 2
    shown = [d["record"] for d in bills["drafts"]]
    assert shown == sorted(drafts, key=lambda b: (b.created_at, b.pk), reverse=True)[:10]


def test_drafts_page_query_count_does_not_grow_with_drafts(curator):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert curator.get(reverse(DRAFTS_URL)).status_code == 200
        return len(captured)

    SponsorshipFactory(is_published=False)
    baseline = queries()
    SponsorshipFactory.create_batch(5, is_published=False)
    EventFactory.create_batch(3, is_published=False)
    SourceFactory.create_batch(3, is_published=False)
    assert queries() == baseline


# Anonymous users ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_for",
    [
        lambda bill: reverse(DRAFTS_URL),
        lambda bill: status_change_url(bill),
        lambda bill: reverse("admin:bills_bill_history", args=[bill.pk]),
        lambda bill: reverse("admin:sources_source_history", args=[Source.objects.get().pk]),
    ],
    ids=["drafts", "record-status-change", "bill-history", "source-history"],
)
def test_anonymous_is_redirected_to_login_from_new_pages(client, url_for):
    bill = BillFactory()
    SourceFactory()
    response = client.get(url_for(bill))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
