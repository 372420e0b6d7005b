"""Bill titles and summaries per language, stored by django-modeltranslation.

Each field below gets a column per content language (`title_en`, `title_ru`, `title_kk`, ...).
The original column (`title`) keeps the English text: the write door (policytracker.services)
writes in English whatever the writer's language, and the API reads the columns directly
(bills/texts.py), never modeltranslation's reader-dependent attribute. The history model
carries the same columns, so a version keeps every language.
"""

from django.conf import settings
from django.utils import translation
from modeltranslation.translator import TranslationOptions, register

from bills.models import Bill

TRANSLATED_BILL_FIELDS = ("title", "short_title", "summary")


class BillTexts(TranslationOptions):
    fields = TRANSLATED_BILL_FIELDS
    # A translation not recorded is "" (as the English fields are), never NULL.
    empty_values = ""


register(Bill)(BillTexts)
register(Bill.history.model)(type("HistoricalBillTexts", (BillTexts,), {}))


def _built_in_english(init):
    """modeltranslation's constructor sends `title=` to the active language's column; a bill is
    built in English (as the write door saves it), so `Bill(title=...)` names the English title
    whichever language the thread last served."""

    def __init__(self, *args, **kwargs):
        with translation.override(settings.CONTENT_DEFAULT_LANGUAGE):
            init(self, *args, **kwargs)

    return __init__


Bill.__init__ = _built_in_english(Bill.__init__)
