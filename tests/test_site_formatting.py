"""The site's wording without a database: dates to their precision in each language, titles in
the page's language or marked with theirs, the status vocabulary translated, and a conflicting
source worded against the record."""

import datetime

import pytest
from django.utils import translation

from bills.models import Bill
from site_pages.evidence import Conflict
from site_pages.formatting import bill_title, in_language, precise_date, status_label
from sources.models import Citation, Source
from tests.site_i18n import compiled_catalogs

DAY = datetime.date(2016, 9, 22)
NOVEMBER = datetime.date(2016, 11, 1)
YEAR = datetime.date(2016, 1, 1)


@pytest.fixture(scope="module", autouse=True)
def _compiled_translations():
    with compiled_catalogs():
        yield


@pytest.mark.parametrize(
    ("language", "day", "month", "year", "unknown"),
    [
        ("en", "22 September 2016", "November 2016", "2016", "date unknown"),
        ("ru", "22 сентября 2016 г.", "ноябрь 2016 г.", "2016 г.", "дата неизвестна"),
        ("kk", "2016 ж. 22 қыркүйек", "2016 ж. қараша", "2016 ж.", "күні белгісіз"),
    ],
)
def test_dates_are_written_to_their_precision(language, day, month, year, unknown):
    with translation.override(language):
        assert precise_date(DAY, "day") == day
        assert precise_date(NOVEMBER, "month") == month
        assert precise_date(YEAR, "year") == year
        assert precise_date(None, "unknown") == unknown
        assert precise_date(DAY, "unknown") == unknown  # a date without precision is not shown


def test_a_title_in_the_page_language_is_shown_unmarked():
    bill = Bill(slug="b", title="On counter-intelligence", title_ru="О контрразведке")
    with translation.override("ru"):
        assert bill_title(bill).text == "О контрразведке" and bill_title(bill).language is None
    with translation.override("kk"):  # no Kazakh title: the English one, marked
        title = bill_title(bill)
        assert (title.text, title.language, title.official) == (
            "On counter-intelligence",
            "en",
            True,
        )


def test_an_unknown_title_falls_back_to_the_curators_label():
    title = bill_title(Bill(slug="seventh", title="", short_title="Seventh bill"))
    assert (title.text, title.language, title.official) == ("Seventh bill", "en", False)


def test_status_labels_and_language_phrases_are_translated():
    with translation.override("ru"):
        assert status_label("signed") == "Подписан, стал законом"
        assert in_language("kk") == "на казахском"
    with translation.override("kk"):
        assert status_label(None) == "мәртебесі тіркелмеген"


def test_a_conflict_names_both_claims_and_counts_the_others():
    source = Source(publisher="astr.ru", title="News item")
    citation = Citation(source=source, claimed_value="Nurgali", relation="contradicts")
    conflict = Conflict(citation=citation, field="given name", recorded="Nurlan", supporters=2)
    with translation.override("en"):
        assert conflict.sentence == (
            "astr.ru gives the given name as “Nurgali”; 2 other sources give “Nurlan”."
        )
