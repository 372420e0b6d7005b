"""The reader's language: chosen for the site and the admin; for the API, the language of the
content (`?lang=`, else Accept-Language), while its own words (errors, field names) stay English.
"""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from policytracker.problems import PROBLEM_CONTENT_TYPE, problem

API_PREFIX = "/api/"
# Where records are served; the schema and docs pages are one English document for every
# caller (drf-spectacular's own `?lang=` is ignored there, see policytracker/schema_view.py).
CONTENT_PREFIX = "/api/v1/"
# The API's own words (messages, refusals) and every write are in English: a PATCH of `title`
# writes the English title whatever the caller reads in (policytracker/services.py).
API_LANGUAGE = "en"
LANG_PARAMETER = "lang"
CONTENT_MEDIA_TYPES = frozenset({"application/json", "text/csv"})


class UnknownLanguage(ValueError):
    pass


def asked_content_language(request) -> tuple[str, bool]:
    """The content language of an API request and whether `?lang=` chose it (the answer then
    does not depend on Accept-Language). Raises UnknownLanguage for a `lang` we do not serve."""
    asked = request.GET.getlist(LANG_PARAMETER)
    if asked:
        if len(asked) > 1:
            raise UnknownLanguage("Give this parameter once (it takes one value).")
        if asked[0] not in settings.CONTENT_LANGUAGES:
            served = ", ".join(settings.CONTENT_LANGUAGES)
            raise UnknownLanguage(f"Unknown language. Allowed: {served}.")
        return asked[0], True
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:255]):
        if code == "*":
            break
        base = code.split("-")[0].lower()
        if base in settings.CONTENT_LANGUAGES:
            return base, False
    return settings.CONTENT_DEFAULT_LANGUAGE, False


class ReaderLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (the switcher's cookie, else Accept-Language) outside /api/.
    Under /api/: English words, content in the asked language (`request.content_language`),
    `Content-Language` naming it, and `Vary: Accept-Language` unless `?lang=` chose it."""

    def process_request(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_request(request)
        translation.activate(API_LANGUAGE)
        request.LANGUAGE_CODE = API_LANGUAGE
        if not request.path_info.startswith(CONTENT_PREFIX):
            request.content_language, request.content_language_fixed = API_LANGUAGE, True
            return None
        try:
            request.content_language, request.content_language_fixed = asked_content_language(
                request
            )
        except UnknownLanguage as refusal:
            request.content_language, request.content_language_fixed = API_LANGUAGE, True
            body = problem(
                400,
                "Invalid input in: lang.",
                errors={LANG_PARAMETER: [str(refusal)]},
                instance=request.get_full_path(),
            )
            return JsonResponse(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
        return None

    def process_response(self, request, response):
        if not request.path_info.startswith(API_PREFIX):
            return super().process_response(request, response)
        mark_content_language(request, response)
        return response


def mark_content_language(request, response) -> None:
    """An answer with texts in the asked language (bills, statements, the status vocabulary,
    search; JSON, or CSV built from the same documents) names it in Content-Language and varies
    on Accept-Language unless `?lang=` chose. The rest is English and says so: records with no
    translated text (people, sources, ...), refusals (the API's own words) and feeds. Also
    applied before the response cache stores an answer, so a replay says the same."""
    translated = getattr(request, "content_language_used", False)
    media_type = response.get("Content-Type", "").split(";")[0].strip()
    language = API_LANGUAGE
    if translated and response.status_code < 400 and media_type in CONTENT_MEDIA_TYPES:
        language = getattr(request, "content_language", API_LANGUAGE)
    response.headers.setdefault("Content-Language", language)
    if translated and not getattr(request, "content_language_fixed", True):
        patch_vary_headers(response, ("Accept-Language",))
