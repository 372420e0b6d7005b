"""A bill's texts in a content language, read from the per-language columns
(bills/translation.py): in the asked language when a translation is recorded, else the English
original, and which of the two each text is. One rule in two spellings: SQL for the lean
documents and search (`text_sql`, `languages_sql`), Python for loaded bills (`text_of`,
`languages_of`); tests/test_lean.py holds them equal.
"""

from django.conf import settings
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf

from bills.translation import TRANSLATED_BILL_FIELDS


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
