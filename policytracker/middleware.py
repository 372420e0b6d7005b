"""Request guards and response headers that apply to every request."""

from django.conf import settings
from django.http import JsonResponse

from policytracker.problems import PROBLEM_CONTENT_TYPE, problem
from policytracker.throttling import RATE_LIMIT_ATTRIBUTE


class PlainHeaderValuesMiddleware:
    """Make every response header value a plain `str`. Django keeps str subclasses (DRF's
    `Hyperlink`) as given, but WSGI servers such as wsgiref (runserver) refuse them with a 500
    after the view has run, so a committed write would look failed. First in MIDDLEWARE, so it
    sees the headers every other middleware added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in list(response.items()):
            if type(value) is not str:
                response[name] = str(value)
        return response


class RequestGuardMiddleware:
    """Refuse hostile input before it is parsed: bodies over API_MAX_BODY_BYTES (413) and NUL
    bytes in the path or query string (400), which PostgreSQL text cannot hold."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return self._refuse(request, 400, "Content-Length must be a non-negative integer.")
        if length > settings.API_MAX_BODY_BYTES:
            return self._refuse(
                request, 413, f"The body is larger than {settings.API_MAX_BODY_BYTES} bytes."
            )
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return self._refuse(request, 400, "NUL bytes are not allowed in URLs.")
        return self.get_response(request)

    @staticmethod
    def _refuse(request, status: int, detail: str) -> JsonResponse:
        body = problem(status, detail, instance=request.path)
        return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


class RateLimitHeadersMiddleware:
    """Expose the caller's rate-limit budget (set by the throttles) on every API response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        budget = getattr(request, RATE_LIMIT_ATTRIBUTE, None)
        if budget is not None:
            limit, remaining, reset = budget
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
            response["X-RateLimit-Reset"] = str(reset)
        return response
