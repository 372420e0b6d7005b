"""The content language of an API request (policytracker/locale.py) and how the schema
describes the `languages` of a bill; the reading rule itself is bills/texts.py."""

from django.conf import settings

LANGUAGES_HELP = (
    "The language each text field of the bill is given in: the asked language (`lang` or "
    "Accept-Language) where a translation is recorded, else `en`, the original."
)


def content_language(request) -> str:
    """The content language the request asked for (policytracker/locale.py), English if none.
    Asking marks the request as answered in it: the answer's Content-Language names it, and
    Accept-Language is among what the answer varies on."""
    if request is None:
        return settings.CONTENT_DEFAULT_LANGUAGE
    http_request = getattr(request, "_request", request)  # DRF's Request wraps Django's
    http_request.content_language_used = True
    return getattr(http_request, "content_language", None) or settings.CONTENT_DEFAULT_LANGUAGE
