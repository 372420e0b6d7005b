"""The reader's language: chosen for the site and the admin, fixed to English for the API."""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation

API_PREFIX = "/api/"
# The API's text is English (titles in Russian and Kazakh are fields of their own), so its
# answers neither claim the reader's language nor vary on it: one cached variant for everyone.
API_LANGUAGE = "en"


class ReaderLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (the switcher's cookie, else Accept-Language) outside /api/;
    under /api/ English, `Content-Language: en` and no `Vary: Accept-Language`."""

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            translation.activate(API_LANGUAGE)
            request.LANGUAGE_CODE = API_LANGUAGE
            return
        super().process_request(request)

    def process_response(self, request, response):
        if request.path_info.startswith(API_PREFIX):
            response.headers.setdefault("Content-Language", API_LANGUAGE)
            return response
        return super().process_response(request, response)
