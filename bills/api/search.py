"""One search box across bills and statements, ranked together by relevance."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from bills.selectors import search_everything
from policytracker.api import StrictQueryParamsBackend
from policytracker.visibility import can_see_drafts

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["bill", "statement"], help_text="Kind of record.")
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The record's own address in this API.")
    title = serializers.CharField(help_text="Bill short title, or the statement's attribution.")
    headline = serializers.CharField(help_text="Matching passage, terms wrapped in <b>…</b>.")
    rank = serializers.IntegerField(help_text="Relevance; higher is better.")


class SearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = SearchHitSerializer(many=True)


class SearchInputSerializer(serializers.Serializer):
    """The query parameters; the schema documents them from this serializer, bounds included."""

    q = serializers.CharField(max_length=500, help_text="Search words.")
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=DEFAULT_LIMIT,
        help_text=f"Most hits (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}).",
    )


class SearchView(APIView):
    """Full-text search across bills (titles, summary) and statements (text, speaker), in
    English and Russian, ranked by relevance. Only records the caller may see are searched."""

    extra_query_params = ("q", "limit")

    @extend_schema(
        summary="Search bills and statements",
        parameters=[SearchInputSerializer],
        responses=SearchResultSerializer,
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"q", "limit", "format"})
        if unknown:
            raise ValidationError({name: ["Unknown query parameter."] for name in unknown})
        # Empty, repeated and overlong values are refused as on every list (`limit=` is not
        # the default limit).
        StrictQueryParamsBackend().filter_queryset(request, None, self)
        params = SearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        hits = search_everything(
            text=params.validated_data["q"],
            limit=params.validated_data["limit"],
            see_drafts=can_see_drafts(request.user),
        )
        for hit in hits:
            hit["url"] = reverse(f"{hit['type']}-detail", args=[hit["slug"]], request=request)
        return Response({"query": params.validated_data["q"], "results": hits})
