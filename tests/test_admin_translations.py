"""Curators edit a bill's title, short title and summary per language (modeltranslation's
fields, bills/translation.py) through the services; the English original stays English whatever
language the admin is read in, and the API serves what they wrote."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from bills.models import Bill
from policytracker.changes.models import ChangeEvent
from tests.admin_pages import change_url, posted_form
from tests.bills.factories import BillFactory

pytestmark = pytest.mark.django_db

LANGUAGE_FIELDS = [
    f"{name}_{language}"
    for name in ("title", "short_title", "summary")
    for language in ("en", "ru", "kk")
]


@pytest.fixture
def curator(client):
    user = User.objects.create_user("curator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client.force_login(user)
    return client


@pytest.fixture
def bill():
    return BillFactory(title="On counter-intelligence", short_title="Counter-intelligence law")


def errors_of(response) -> str:
    context = response.context
    return str(context["adminform"].form.errors) if context and "adminform" in context else ""


def test_the_change_form_has_a_field_per_language_and_no_untranslated_original(curator, bill):
    form = curator.get(change_url(bill)).context["adminform"].form
    assert set(LANGUAGE_FIELDS) <= set(form.fields)
    assert not {"title", "short_title", "summary"} & set(form.fields)
    # Only the English short title is required, as the original is; translations are optional.
    assert form.fields["short_title_en"].required
    assert not form.fields["short_title_ru"].required


@pytest.mark.parametrize("admin_language", ["ru", "kk", "en"])
def test_a_curator_writes_a_translation_through_the_services(curator, bill, admin_language):
    curator.cookies["django_language"] = admin_language
    data = posted_form(curator.get(change_url(bill))) | {
        "title_ru": "О контрразведывательной деятельности",
        "summary_kk": "Қарсы барлау туралы заң.",
    }
    response = curator.post(change_url(bill), data)
    assert response.status_code == 302, errors_of(response)

    # rewrite(False): the columns as stored, not modeltranslation's reading of `title` in the
    # language the request left active.
    stored = (
        Bill.objects.rewrite(False)
        .values("title", "title_en", "title_ru", "summary_kk", "version")
        .get(pk=bill.pk)
    )
    assert stored == {
        "title": "On counter-intelligence",  # the original stays English
        "title_en": "On counter-intelligence",
        "title_ru": "О контрразведывательной деятельности",
        "summary_kk": "Қарсы барлау туралы заң.",
        "version": bill.version + 1,
    }
    # Written by the services: the change log has the new version, the API serves it.
    event = ChangeEvent.objects.get(record_type="bill", record_id=bill.pk, version=bill.version + 1)
    assert {"title_ru", "summary_kk"} <= set(event.changed)
    api = Client().get(f"/api/v1/bills/{bill.slug}/?lang=ru").json()
    assert api["title"] == "О контрразведывательной деятельности"
    assert api["languages"]["title"] == "ru"


def test_changing_the_english_title_keeps_the_original_column_with_it(curator, bill):
    curator.cookies["django_language"] = "ru"
    data = posted_form(curator.get(change_url(bill))) | {
        "title_en": "On counter-intelligence activity"
    }
    assert curator.post(change_url(bill), data).status_code == 302
    assert (
        Bill.objects.rewrite(False)
        .filter(
            pk=bill.pk,
            title="On counter-intelligence activity",
            title_en="On counter-intelligence activity",
        )
        .exists()
    )


def test_a_verified_title_only_in_russian_is_refused_in_plain_words(curator, bill):
    """The English title is the one a verified title needs (the rule the API holds too)."""
    data = posted_form(curator.get(change_url(bill))) | {
        "title_en": "",
        "title_ru": "О контрразведывательной деятельности",
        "title_status": "verified",
    }
    response = curator.post(change_url(bill), data)
    assert response.status_code == 200
    assert "Give the title, or set the title status to" in response.content.decode()
    assert Bill.objects.get(pk=bill.pk).title_en == "On counter-intelligence"
