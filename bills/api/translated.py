"""A bill's texts in the caller's content language (policytracker/locale.py), read from the
per-language columns (bills/translation.py) by the lean documents and the serializers alike.

A text in the asked language when one is recorded, else the English original; `languages`
says which of the two each text is, so a reader never takes an English fallback for a
translation.
"""

from django.conf import settings
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf

from bills.translation import TRANSLATED_BILL_FIELDS

LANGUAGES_HELP = (
    "The language each text field of the bill is given in: the asked language (`lang` or "
    "Accept-Language) where a translation is recorded, else `en`, the original."
)


def text_sql(name: str, language: str, prefix: str = ""):
    """The column `name` (of the row, or of the relation `prefix`, e.g. "bill__") in
    `language`, falling back to the English original."""
    original = F(f"{prefix}{name}")
    if language == settings.CONTENT_DEFAULT_LANGUAGE:
        return original
    return Coalesce(NullIf(F(f"{prefix}{name}_{language}"), Value("")), original)


def languages_sql(language: str):
    """{field: language} as SQL expressions: the language each translated text is given in."""
    english = Value(settings.CONTENT_DEFAULT_LANGUAGE)
    if language == settings.CONTENT_DEFAULT_LANGUAGE:
        return {name: english for name in TRANSLATED_BILL_FIELDS}
    return {
        name: Case(
            When(Q(**{f"{name}_{language}__gt": ""}), then=Value(language)),
            default=english,
            output_field=CharField(),
        )
        for name in TRANSLATED_BILL_FIELDS
    }


def text_of(bill, name: str, language: str) -> str:
    """The Python twin of `text_sql`, for a loaded bill."""
    original = getattr(bill, f"{name}_{settings.CONTENT_DEFAULT_LANGUAGE}") or ""
    if language == settings.CONTENT_DEFAULT_LANGUAGE:
        return original
    return getattr(bill, f"{name}_{language}", "") or original


def languages_of(bill, language: str) -> dict:
    """The Python twin of `languages_sql`."""
    english = settings.CONTENT_DEFAULT_LANGUAGE
    if language == english:
        return dict.fromkeys(TRANSLATED_BILL_FIELDS, english)
    return {
        name: language if getattr(bill, f"{name}_{language}", "") else english
        for name in TRANSLATED_BILL_FIELDS
    }


def content_language(request) -> str:
    """The content language the request asked for (policytracker/locale.py), English if none."""
    return getattr(request, "content_language", None) or settings.CONTENT_DEFAULT_LANGUAGE
