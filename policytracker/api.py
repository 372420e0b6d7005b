"""Project-wide DRF plumbing: problem-details errors, strict query parameters, cursor pagination,
`include=` parsing and Last-Modified headers."""

import logging
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError
from django.http import JsonResponse
from django_filters import MultipleChoiceFilter
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://policytracker.example.org/problems/"
STATUS_TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
DATABASE_RETRY_AFTER_SECONDS = 5


def problem(status: int, detail: str, *, errors: dict | None = None, instance: str = "") -> dict:
    """An RFC 9457 problem-details body; `errors` maps each offending field to its messages."""
    title = STATUS_TITLES.get(status, "Error")
    body = {
        "type": PROBLEM_TYPE_BASE + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def _validation_detail(errors: dict) -> str:
    fields = ", ".join(str(name) for name in errors)
    return f"Invalid input in: {fields}."


UNIQUENESS_CODES = frozenset({"unique", "unique_together"})


def _is_uniqueness_error(error: DjangoValidationError) -> bool:
    errors = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    codes = {item.code for group in errors for item in group}
    return bool(codes) and codes <= UNIQUENESS_CODES


def _translate(exc):
    """Turn Django and database errors into the API exceptions they mean."""
    if isinstance(exc, DjangoValidationError):
        detail = as_serializer_error(exc)
        return Conflict(detail) if _is_uniqueness_error(exc) else exceptions.ValidationError(detail)
    if isinstance(exc, ProtectedError):
        names = sorted({type(obj)._meta.verbose_name for obj in exc.protected_objects})
        return Conflict(f"Still referenced by: {', '.join(names)}; remove those links first.")
    if isinstance(exc, IntegrityError):
        return Conflict("The change conflicts with existing data (a duplicate or a broken link).")
    if isinstance(exc, (OperationalError, InterfaceError)):
        logger.warning("Database unavailable: %s", exc)
        unavailable = exceptions.APIException("The database is unavailable; retry shortly.")
        unavailable.status_code = 503
        unavailable.wait = DATABASE_RETRY_AFTER_SECONDS
        return unavailable
    return exc


def problem_exception_handler(exc, context):
    """Map every error to one JSON shape (RFC 9457), with field errors under `errors`."""
    exc = _translate(exc)
    response = exception_handler(exc, context)
    request = context.get("request")
    instance = request.get_full_path() if request is not None else ""
    if response is None:
        logger.exception("Unhandled error", exc_info=exc)
        response = Response(problem(500, "An unexpected error occurred.", instance=instance), 500)
        response.content_type = PROBLEM_CONTENT_TYPE
        return response
    data = response.data
    if isinstance(data, dict) and set(data) != {"detail"}:
        body = problem(response.status_code, _validation_detail(data), errors=data)
    elif isinstance(data, list):
        errors = {"non_field_errors": data}
        body = problem(response.status_code, _validation_detail(errors), errors=errors)
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        body = problem(response.status_code, str(detail))
    if instance:
        body["instance"] = instance
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def not_found(request, exception=None):
    """Django-level 404 (URLs outside the API routers) in the same problem shape."""
    body = problem(404, "No resource at this address.", instance=request.get_full_path())
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)


def server_error(request):
    body = problem(500, "An unexpected error occurred.", instance=request.get_full_path())
    return JsonResponse(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


# -- query parameters ---------------------------------------------------------------------------

MAX_PARAM_LENGTH = 500
GLOBAL_QUERY_PARAMS = frozenset({"cursor", "page_size", "ordering", "format"})


def _multi_valued(view) -> set[str]:
    filterset_class = getattr(view, "filterset_class", None)
    if filterset_class is None:
        return set()
    return {
        name
        for name, declared in filterset_class.base_filters.items()
        if isinstance(declared, MultipleChoiceFilter)
    }


class StrictQueryParamsBackend(BaseFilterBackend):
    """Reject unknown query parameters: a misspelt filter must not silently return everything."""

    def filter_queryset(self, request, queryset, view):
        allowed = set(GLOBAL_QUERY_PARAMS) | set(getattr(view, "extra_query_params", ()))
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        too_long = sorted(
            name for name, value in request.query_params.items() if len(value) > MAX_PARAM_LENGTH
        )
        if too_long:
            raise exceptions.ValidationError(
                {name: [f"At most {MAX_PARAM_LENGTH} characters."] for name in too_long}
            )
        empty = sorted(
            name for name, values in request.query_params.lists() if any(v == "" for v in values)
        )
        if empty:
            raise exceptions.ValidationError(
                {name: ["Empty value: omit the parameter instead."] for name in empty}
            )
        repeated = sorted(
            name
            for name, values in request.query_params.lists()
            if len(values) > 1 and name not in _multi_valued(view)
        )
        if repeated:
            raise exceptions.ValidationError(
                {name: ["Give this parameter once (it takes one value)."] for name in repeated}
            )
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError(
                {
                    name: [f"Unknown query parameter. Allowed: {', '.join(sorted(allowed))}."]
                    for name in unknown
                }
            )
        return queryset


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` that answers 400 for unknown fields instead of ignoring them."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            valid = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            if not request.query_params.get("q"):
                valid.discard("search_rank")  # relevance exists only for a search
            invalid = [field for field in fields if field.lstrip("-") not in valid]
            if invalid or not fields:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering field(s): {', '.join(invalid) or params!r}. "
                            f"Allowed: {', '.join(sorted(valid))} (prefix '-' for descending)."
                        ]
                    }
                )
            return fields
        return self.get_default_ordering(view)

    def get_schema_operation_parameters(self, view):
        fields = sorted(getattr(view, "ordering_fields", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by these fields, comma-separated; prefix '-' for descending.",
                "schema": {
                    "type": "array",
                    "items": {"type": "string", "enum": [*fields, *(f"-{f}" for f in fields)]},
                },
                "style": "form",
                "explode": False,
            }
        ]

    def get_default_ordering(self, view):
        request = getattr(view, "request", None)
        search_ordering = getattr(view, "search_ordering", None)
        if search_ordering and request is not None and request.query_params.get("q"):
            return list(search_ordering)
        return super().get_default_ordering(view)


CURSOR_PATTERN = re.compile(r"[A-Za-z0-9+/=_-]+")


class StableCursorPagination(CursorPagination):
    """Cursor pagination (stable under inserts, no COUNT) with a strict, bounded page size."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = "-created_at"

    def get_ordering(self, request, queryset, view):
        ordering = tuple(super().get_ordering(request, queryset, view))
        # A unique tie-breaker keeps the order total, so no row repeats or vanishes between pages.
        if not any(term.lstrip("-") in {"pk", "id"} for term in ordering):
            ordering += ("-pk",) if ordering[0].startswith("-") else ("pk",)
        return ordering

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link.",
                "schema": {"type": "string", "pattern": f"^{CURSOR_PATTERN.pattern}$"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"Must be a whole number from 1 to {self.max_page_size}."
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, DjangoValidationError, DataError) as error:
            # A forged cursor whose position does not fit the ordering field's type.
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` or `previous` link."]}
            ) from error

    def decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is not None and not CURSOR_PATTERN.fullmatch(raw):
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` or `previous` link."]}
            )
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as error:
            raise exceptions.ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use the `next` or `previous` link."]}
            ) from error


def parse_include(request, allowed: frozenset[str]) -> frozenset[str]:
    """Parse `?include=a,b` against the view's allowed set; 400 naming `include` otherwise."""
    raw = request.query_params.get("include", "")
    requested = {part.strip() for part in raw.split(",") if part.strip()}
    unknown = requested - allowed
    if unknown:
        raise exceptions.ValidationError(
            {
                "include": [
                    f"Unknown include(s): {', '.join(sorted(unknown))}. "
                    f"Allowed: {', '.join(sorted(allowed))}."
                ]
            }
        )
    return frozenset(requested)


def last_modified_of(records) -> str | None:
    """HTTP date of the newest `updated_at` among records, for the Last-Modified header."""
    from django.utils.http import http_date

    stamps = [record.updated_at for record in records if getattr(record, "updated_at", None)]
    return http_date(max(stamps).timestamp()) if stamps else None


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the record's current ETag (from a GET) to change it."
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = (
        "The record changed since you read it (ETag mismatch); fetch it again and retry."
    )
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The request conflicts with the current state of the data."
    default_code = "conflict"
