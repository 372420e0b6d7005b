"""Base viewset for public read endpoints: visibility, `include=`, Last-Modified."""

from rest_framework import mixins, viewsets

from policytracker.api import last_modified_of, parse_include


class LastModifiedMixin:
    """Adds Last-Modified (newest `updated_at` shown) to list and detail responses; the
    ConditionalGetMiddleware adds the ETag and answers 304 to conditional requests."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        records = getattr(self, "_shown_records", None)
        if response.status_code == 200 and records:
            stamp = last_modified_of(records)
            if stamp:
                response["Last-Modified"] = stamp
        return response

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._shown_records = page
        return page

    def get_object(self):
        instance = super().get_object()
        self._shown_records = [instance]
        return instance


class PublicReadViewSet(
    LastModifiedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """List and retrieve; drafts are visible to staff only; `include=` is validated."""

    include_options: frozenset[str] = frozenset()
    searchable = False

    @property
    def include_drafts(self) -> bool:
        return bool(self.request.user and self.request.user.is_staff)

    @property
    def extra_query_params(self) -> set[str]:
        params = {"include"} if self.include_options else set()
        return params | ({"q"} if self.searchable else set())

    @property
    def include(self) -> frozenset[str]:
        return parse_include(self.request, self.include_options)

    @property
    def search_text(self) -> str | None:
        return self.request.query_params.get("q", "").strip() or None

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.include_options:
            context["include"] = self.include
        return context
