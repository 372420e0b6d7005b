import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse

from bills.models import BillPackage
from bills.services import bill_change_status
from tests.bills.factories import (
    BillFactory,
    EventFactory,
    MembershipFactory,
    SponsorshipFactory,
    StatementFactory,
    TopicFactory,
)
from tests.sources.factories import CitationFactory

pytestmark = pytest.mark.django_db

APP_LABELS = {"bills", "sources"}
MODELS = [m for m in admin.site._registry if m._meta.app_label in APP_LABELS]


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


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


def test_status_history_is_read_only_in_admin(curator, sample_records):
    action = sample_records.actions.get()
    response = curator.post(
        reverse("admin:bills_billaction_change", args=[action.pk]), {"resulting_status": "signed"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.resulting_status == "announced"
