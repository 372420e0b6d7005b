"""How the site words a fact for the reader's language: dates to their precision, bill titles,
status labels and explanations, language names. Pure functions of loaded values (no queries)."""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import get_language, gettext, pgettext

from bills.models import Bill, BillStatus
from bills.procedure import procedure_for
from policytracker.models import DatePrecision

# The languages quotes and titles are reported in, as a reader sees them labelled: the name
# ("English") and the phrase "in English" (each language inflects it its own way).
LANGUAGE_NAMES = {
    "en": lambda: pgettext("language name", "English"),
    "ru": lambda: pgettext("language name", "Russian"),
    "kk": lambda: pgettext("language name", "Kazakh"),
}
IN_LANGUAGE = {
    "en": lambda: pgettext("in a language", "in English"),
    "ru": lambda: pgettext("in a language", "in Russian"),
    "kk": lambda: pgettext("in a language", "in Kazakh"),
}
# Russian and Kazakh write month names in lower case inside a date.
LOWER_CASE_MONTHS = frozenset({"ru", "kk"})


def active_language() -> str:
    """The page's language code (ru, kk or en); Django's default "en-us" reads as "en"."""
    return (get_language() or "en").split("-")[0]


def language_name(code: str) -> str:
    """The reader-facing name of a language code ("ru" → "Russian" in the page's language)."""
    name = LANGUAGE_NAMES.get((code or "").split("-")[0].lower())
    return name() if name else code


def in_language(code: str) -> str:
    """ "in Russian", in the page's language (the code itself for a language not listed)."""
    phrase = IN_LANGUAGE.get((code or "").split("-")[0].lower())
    return phrase() if phrase else f"({code})"


def precise_date(value: datetime.date | None, precision: str) -> str:
    """A date to the precision the sources give: "22 September 2016", "November 2016", "2016",
    or "date unknown". The date formats are translated strings, so each language orders the
    parts its own way."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return gettext("date unknown")
    if precision == DatePrecision.YEAR:
        text = formats.date_format(value, pgettext("date format for a year", "Y"))
    elif precision == DatePrecision.MONTH:
        text = formats.date_format(value, pgettext("date format for a month", "F Y"))
    else:
        text = formats.date_format(value, pgettext("date format for a day", "j F Y"))
    return text.lower() if active_language() in LOWER_CASE_MONTHS else text


@dataclass(frozen=True)
class Title:
    """A bill's title as shown: the text, and its language when it is not the page's."""

    text: str
    language: str | None  # None: in the page's language
    official: bool  # False: the curators' short label, no source gives a title


def bill_title(bill: Bill, language: str | None = None) -> Title:
    """The title in the page's language when the record has one; otherwise the title it has
    (English first, then Russian, then Kazakh) marked with its language; otherwise the
    curators' short label (the title is unknown)."""
    language = language or active_language()
    by_language = {code: getattr(bill, f"title_{code}") or "" for code in ("en", "ru", "kk")}
    if by_language.get(language):
        return Title(by_language[language], None, True)
    for code in ("en", "ru", "kk"):
        if by_language[code]:
            return Title(by_language[code], code, True)
    label = bill_text(bill, "short_title", language)
    return Title(label.text or bill.slug, label.language, False)


@dataclass(frozen=True)
class Text:
    """A bill's text (summary, short label) as shown, and the language it is in."""

    text: str
    language: str


def bill_text(bill: Bill, name: str, language: str | None = None) -> Text:
    """The text `name` in the page's language when a translation is recorded, else the English
    original (bills/translation.py), with the language it is in, to be marked as such."""
    language = language or active_language()
    own = getattr(bill, f"{name}_{language}", None) if language in ("en", "ru", "kk") else None
    if own:
        return Text(own, language)
    return Text(getattr(bill, f"{name}_en") or "", "en")


def status_label(code: str | None) -> str:
    """The status's name in the page's language ("no status recorded" for none)."""
    if not code:
        return gettext("no status recorded")
    return gettext(BillStatus(code).label) if code in BillStatus.values else code


def status_explanation(bill: Bill) -> str:
    """What the bill's status means, in plain words, in the page's language."""
    info = procedure_for(bill.procedure).statuses.get(bill.status) if bill.status else None
    return gettext(info.explanation) if info else ""


def status_is_final(bill: Bill) -> bool:
    """The status ends the procedure (in force, withdrawn, not adopted): no later step is due."""
    info = procedure_for(bill.procedure).statuses.get(bill.status) if bill.status else None
    return bool(info and info.terminal)
