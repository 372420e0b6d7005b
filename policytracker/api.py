"""Project-wide DRF plumbing for reads: strict query parameters, ordering, cursor pagination,
`include=` parsing and Last-Modified. Errors live in policytracker.problems."""

import re
import time

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.http import http_date
from django_filters import MultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend, OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination

# -- query parameters ---------------------------------------------------------------------------

MAX_PARAM_LENGTH = 500
# `lang` (the content language) is read by policytracker/locale.py before any view.
GLOBAL_QUERY_PARAMS = frozenset({"cursor", "page_size", "ordering", "format", "lang"})
# Parameters that may be repeated besides multiple-choice filters: `include=a&include=b` is
# what generated clients send for an array (and `include=a,b` is read the same).
REPEATABLE_QUERY_PARAMS = frozenset({"include"})


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
            if len(values) > 1
            and name not in REPEATABLE_QUERY_PARAMS
            and name not in _multi_valued(view)
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


class StrictContentNegotiation(DefaultContentNegotiation):
    """`?format=` naming no format of the endpoint is a 400 naming the parameter (DRF answers
    404, as if the record were missing); a method the endpoint does not serve still gets its
    405, whatever `format` says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        view = request.parser_context.get("view")
        if view is not None and request.method not in view.allowed_methods:
            return renderers[0], renderers[0].media_type
        if request.query_params.get(self.settings.URL_FORMAT_OVERRIDE) == "":
            raise exceptions.ValidationError({"format": ["Empty value: omit the parameter."]})
        return super().select_renderer(request, renderers, format_suffix)

    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(sorted({renderer.format for renderer in renderers}))
            raise exceptions.ValidationError({"format": [f"Unknown format. Allowed: {known}."]})
        return chosen


class FilterBackend(DjangoFilterBackend):
    """django-filter, skipped when no filter of the view is asked for: building and validating
    a filterset's form costs a request ~2 ms, and with no filter value it changes nothing (every
    filter passes empty values through; none is required)."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


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
            return self.expand(fields, view)
        return self.expand(self.get_default_ordering(view) or [], view)

    @staticmethod
    def expand(fields, view) -> list[str]:
        """A public ordering field may stand for several sort keys (`view.ordering_terms`):
        a nullable date sorts by a key that is never null (a cursor position must be a value),
        then by its tie-breakers; '-' applies to each."""
        terms = getattr(view, "ordering_terms", {})
        expanded = []
        for field in fields:
            descending = field.startswith("-")
            for term in terms.get(field.lstrip("-"), (field.lstrip("-"),)):
                expanded.append(f"-{term}" if descending else term)
        return expanded

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
    """Parse `?include=a,b` or `?include=a&include=b` (or both mixed) against the view's allowed
    set; 400 naming `include` otherwise."""
    requested = {
        part.strip()
        for raw in request.query_params.getlist("include")
        for part in raw.split(",")
        if part.strip()
    }
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


def last_modified_of(records, *, not_before=None) -> str | None:
    """HTTP date of the newest `updated_at` among records (and `not_before`, when given), for
    the Last-Modified header."""
    stamps = [
        stamp
        for record in records
        if (stamp := record.get("updated_at") if isinstance(record, dict) else record.updated_at)
    ]
    if not_before is not None:
        stamps.append(not_before)
    if not stamps:
        return None
    newest = int(max(stamps).timestamp())
    # HTTP dates have whole seconds: a change later in the current second would share this
    # date and If-Modified-Since would answer 304 for it (RFC 9110 §8.8.2.2). Such a date is
    # given a second early: the next conditional request gets the content once more.
    if newest >= int(time.time()):
        newest -= 1
    return http_date(newest)
