"""One search box across bills, statements, people and organizations, ranked together by
relevance."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from bills.api.translated import content_language
from bills.selectors import search_everything
from policytracker.api import StrictQueryParamsBackend
from policytracker.visibility import can_see_drafts

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["bill", "statement", "person", "organization"], help_text="Kind of record."
    )
    id = serializers.IntegerField()
    slug = serializers.CharField()
    url = serializers.URLField(help_text="The record's own address in this API.")
    title = serializers.CharField(
        help_text="Bill short title, the statement's attribution, or the person's or "
        "organization's name."
    )
    headline = serializers.CharField(
        help_text="Matching passage, terms wrapped in <b>…</b>: from a bill's summary or a "
        "statement's text; a person's name with their other names in parentheses; an "
        "organization's name with its abbreviation."
    )
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
    """Full-text search across bills (titles, summary), statements (text, speaker), people
    (names and other names) and organizations (name, abbreviation), in English and Russian
    (a plural acronym matches its singular), ranked by relevance. Only records the caller may
    see are searched."""

    extra_query_params = ("q", "limit")

    @extend_schema(
        summary="Search bills, statements, people and organizations",
        parameters=[SearchInputSerializer],
        responses=SearchResultSerializer,
    )
    def get(self, request):
        unknown = sorted(set(request.query_params) - {"q", "limit", "format", "lang"})
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
            language=content_language(request),
        )
        for hit in hits:
            hit["url"] = reverse(f"{hit['type']}-detail", args=[hit["slug"]], request=request)
        return Response({"query": params.validated_data["q"], "results": hits})
