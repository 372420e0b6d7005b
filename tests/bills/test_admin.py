"""Admin registration, permissions and page loads for every model, and recording a bill's status
change from its admin page."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from bills.models import BillAction, BillPackage
from bills.services import bill_change_status
from policytracker.admin import (
    ChildInline,
    ConcurrencyGuardForm,
    CuratedAdmin,
    PublishableAdmin,
    ServiceInline,
)
from tests.admin_pages import change_url
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory

pytestmark = pytest.mark.django_db

APP_LABELS = {"bills", "sources"}
MODELS = [m for m in admin.site._registry if m._meta.app_label in APP_LABELS]
PUBLISHABLE = [m for m in MODELS if any(f.name == "is_published" for f in m._meta.fields)]


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


@pytest.fixture
def viewer(client):
    """A staff user who may look at bills but not change them."""
    user = User.objects.create_user("viewer", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_bill"))
    client.force_login(user)
    return client


def status_change_url(bill) -> str:
    return reverse("admin:bills_bill_record_status_change", args=[bill.pk])


@pytest.fixture
def sample_records():
    package = BillPackage.objects.create(slug="package", name="Package of seven")
    bill = BillFactory(package=package)
    bill.topics.add(TopicFactory())
    bill.identifiers.create(scheme="adilet", identifier="Z1600000035")
    bill.relations.create(related_bill=BillFactory(), kind="companion")
    bill_change_status(bill=bill, to_status="announced", occurred_on=None)
    SponsorshipFactory(bill=bill)
    statement = StatementFactory(event=EventFactory())
    statement.bill_links.create(bill=bill, stance="support")
    MembershipFactory(person=statement.speaker_person)
    statement.speaker_person.other_names.create(name="Nurgali Bilisbekov", kind="conflicting")
    CitationFactory(record=bill)
    return bill


def test_every_model_is_registered():
    from django.apps import apps

    registered = {m._meta.label for m in MODELS}
    expected = {
        m._meta.label
        for label in APP_LABELS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")  # audit tables, shown via each record
    }
    assert registered == expected
    assert not [m for m in admin.site._registry if m.__name__.startswith("Historical")]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_admin_has_history_and_the_lost_update_guard(model):
    model_admin = admin.site.get_model_admin(model)
    assert isinstance(model_admin, SimpleHistoryAdmin)
    assert issubclass(model_admin.form, ConcurrencyGuardForm)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_every_admin_declares_the_services_that_write_its_model(model):
    model_admin = admin.site.get_model_admin(model)
    own_writes = type(model_admin).add_record is not CuratedAdmin.add_record
    read_only = model is BillAction  # status history: written by bill_change_status only
    assert model_admin.writes is not None or own_writes or read_only
    for inline in model_admin.inlines:
        assert issubclass(inline, ServiceInline), inline
        if issubclass(inline, ChildInline):
            assert inline.writes is not None, inline


@pytest.mark.parametrize("model", PUBLISHABLE, ids=lambda m: m._meta.label)
def test_publishable_admins_offer_publish_actions_and_filter(model):
    model_admin = admin.site.get_model_admin(model)
    assert isinstance(model_admin, PublishableAdmin)
    assert {
        "publish_selected",
        "publish_selected_with_dependents",
        "unpublish_selected",
    } <= set(model_admin.actions)
    assert "is_published" in model_admin.list_display
    assert "is_published" in model_admin.list_filter


def test_statements_and_actions_keep_their_date_hierarchy():
    from bills.models import BillAction, Statement

    assert admin.site.get_model_admin(Statement).date_hierarchy == "said_on"
    assert admin.site.get_model_admin(BillAction).date_hierarchy == "occurred_on"


def test_curators_group_cannot_write_status_history():
    codenames = set(
        Group.objects.get(name="Curators").permissions.values_list("codename", flat=True)
    )
    assert "view_billaction" in codenames
    assert not {"add_billaction", "change_billaction", "delete_billaction"} & codenames
    assert {"add_bill", "change_statement", "delete_source", "add_citation"} <= codenames


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_and_change_pages_load_for_curator(curator, sample_records, model):
    opts = model._meta
    changelist = curator.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    instance = model.objects.first()
    assert instance is not None, f"sample data has no {opts.label}"
    change = curator.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    )
    assert change.status_code == 200
    assert {"created_at", "updated_at"} <= set(change.context["adminform"].readonly_fields)
    history = curator.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[instance.pk])
    )
    assert history.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_anonymous_is_redirected_to_login(client, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_bill_filters_and_search_work(curator, sample_records):
    url = reverse("admin:bills_bill_changelist")
    assert curator.get(url, {"status__exact": "announced"}).status_code == 200
    assert curator.get(url, {"q": sample_records.slug}).status_code == 200


def test_bill_status_stays_read_only(curator, sample_records):
    url = reverse("admin:bills_bill_change", args=[sample_records.pk])
    readonly = curator.get(url).context["adminform"].readonly_fields
    assert {"status", "status_changed_on", "status_changed_precision"} <= set(readonly)


def test_status_history_is_read_only_in_admin(curator, sample_records):
    action = sample_records.actions.get()
    response = curator.post(
        reverse("admin:bills_billaction_change", args=[action.pk]), {"resulting_status": "signed"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.resulting_status == "announced"


# Record status change ----------------------------------------------------------------------


def test_bill_change_page_offers_record_status_change(curator):
    bill = BillFactory()
    assert status_change_url(bill) in curator.get(change_url(bill)).content.decode()


def test_record_status_change_creates_an_action_and_updates_status(curator):
    bill = BillFactory()
    chamber = OrganizationFactory()
    assert curator.get(status_change_url(bill)).status_code == 200

    response = curator.post(
        status_change_url(bill),
        {
            "to_status": "submitted",
            "occurred_on": "2016-10-26",
            "occurred_precision": "day",
            "actor": chamber.pk,
            "classification": "",
            "description": "Government decree No. 623",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == change_url(bill)
    action = BillAction.objects.get(bill=bill)
    assert (action.resulting_status, action.occurred_on, action.actor) == (
        "submitted",
        datetime.date(2016, 10, 26),
        chamber,
    )
    assert action.classification == "introduction"
    bill.refresh_from_db()
    assert (bill.status, bill.status_changed_on) == ("submitted", datetime.date(2016, 10, 26))


def test_record_status_change_shows_an_illegal_transition_and_saves_nothing(curator):
    bill = BillFactory()
    bill_change_status(bill=bill, to_status="announced", occurred_on=None)

    response = curator.post(
        status_change_url(bill),
        {"to_status": "signed", "occurred_on": "", "occurred_precision": "day"},
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "cannot move to 'signed'" in errors["to_status"][0]
    assert "cannot move to &#x27;signed&#x27;" in response.content.decode()
    assert BillAction.objects.filter(bill=bill).count() == 1
    bill.refresh_from_db()
    assert bill.status == "announced"


def test_record_status_change_needs_change_permission(viewer):
    bill = BillFactory()
    assert viewer.get(change_url(bill)).status_code == 200
    assert status_change_url(bill) not in viewer.get(change_url(bill)).content.decode()
    assert viewer.get(status_change_url(bill)).status_code == 403
    response = viewer.post(status_change_url(bill), {"to_status": "announced"})
    assert response.status_code == 403
    assert not BillAction.objects.filter(bill=bill).exists()
