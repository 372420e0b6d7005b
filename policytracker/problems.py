"""One error shape for the whole API: RFC 9457 problem details, and the exceptions behind it."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from policytracker.errors import DraftDependents, RecordGone, StaleVersion

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


def _dependent_ref(record) -> dict:
    ref = {"type": record._meta.model_name, "id": record.pk, "name": str(record)}
    if slug := getattr(record, "slug", None):
        ref["slug"] = slug
    return ref


def _translate(exc):
    """Turn domain, Django and database errors into the API exceptions they mean."""
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(exc.message)
    if isinstance(exc, RecordGone):
        return exceptions.NotFound(exc.message)
    if isinstance(exc, DraftDependents):
        conflict = Conflict(
            exc.message + " Add ?with_dependents=1 to publish them together with it."
        )
        conflict.extra_members = {"dependents": [_dependent_ref(d) for d in exc.dependents]}
        return conflict
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
    # RFC 9457 extension members, e.g. the draft records a publish depends on.
    body |= getattr(exc, "extra_members", {})
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
