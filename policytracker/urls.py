from django.contrib import admin
from django.urls import include, path, reverse
from rest_framework.routers import APIRootView

from bills.api.search import SearchView
from bills.api.urls import router as bills_router
from policytracker.health import healthz, readyz
from policytracker.metrics import metrics
from policytracker.schema_view import CachedSchemaView, RedocView, SwaggerView
from sources.api.urls import router as sources_router

admin.site.site_header = "policytracker curation"
admin.site.site_title = "policytracker"
# "View site" in the admin opens the public site.
admin.site.site_url = "/"

API_ROUTERS = [bills_router, sources_router]


# The root also points to the reference and the site: (key, route name or path, Link rel).
DOCS_LINKS = [
    ("docs", "swagger-ui", "service-doc"),
    ("redoc", "redoc", "service-doc"),
    ("schema", "schema", "service-desc"),
    ("site", "/", "home"),
]


class PolicytrackerAPIRoot(APIRootView):
    """policytracker API v1: every endpoint below is read-only for anonymous users and lists
    published records only. The reference: `docs` (Swagger UI, try the requests), `redoc`,
    `schema` (OpenAPI); `site` is the public site for readers."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        links = []
        for key, target, rel in DOCS_LINKS:
            url = request.build_absolute_uri(target if target.startswith("/") else reverse(target))
            response.data[key] = url
            links.append(f'<{url}>; rel="{rel}"')
        response["Link"] = ", ".join(links)  # RFC 8631: service-doc, service-desc
        return response


api_root = PolicytrackerAPIRoot.as_view(
    api_root_dict={
        **{prefix: f"{basename}-list" for r in API_ROUTERS for prefix, _, basename in r.registry},
        "search": "search",
        "exports": "export-list",
    }
)

api_v1 = [
    path("", api_root, name="api-root"),
    path("search/", SearchView.as_view(), name="search"),
    path("changes/", include("policytracker.changes.urls")),
    path("exports/", include("policytracker.exports.urls")),
    path("feeds/", include("bills.feeds.urls")),
    *bills_router.urls,
    *sources_router.urls,
    # Each user's own subscriptions; not listed in the public root.
    path("", include("policytracker.webhooks.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Internal addresses or the metrics token only (policytracker/metrics.py).
    path("metrics", metrics, name="metrics"),
    path("api/v1/", include(api_v1)),
    # Built once per process and served from memory (policytracker/schema_view.py).
    path("api/schema/", CachedSchemaView.as_view(), name="schema"),
    # The split view serves its setup script as a file, so the CSP needs no inline scripts.
    path("api/docs/", SwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    # The public site for readers (site_pages): home, bills, people, events, search.
    path("", include("site_pages.urls")),
]

# Problem JSON for the API and non-browser clients, an HTML page for a browser elsewhere.
handler404 = "site_pages.views.page_not_found"
handler500 = "policytracker.problems.server_error"
