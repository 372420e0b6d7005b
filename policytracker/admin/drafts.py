"""The drafts-awaiting-review page."""

from django.contrib import admin
from django.contrib.admin.utils import quote
from django.db.models import Count, Window
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse

from policytracker.admin.publishing import PublishableAdmin

DRAFTS_PER_MODEL = 10
UNPUBLISHED_QUERY = "is_published__exact=0"


# -- drafts awaiting review -----------------------------------------------------------------------


def drafts_awaiting_review(request: HttpRequest, admin_site: admin.AdminSite) -> list[dict]:
    """The newest unpublished records of every publishable model the user may view."""
    sections = []
    for app in admin_site.get_app_list(request):
        for entry in app["models"]:
            model_admin = admin_site.get_model_admin(entry["model"])
            if isinstance(model_admin, PublishableAdmin) and entry["perms"].get("view"):
                drafts = _newest_drafts(request, model_admin)
                sections.append(
                    {
                        "opts": model_admin.opts,
                        "total": drafts[0].draft_total if drafts else 0,
                        "drafts": [
                            {"record": draft, "url": _change_url(model_admin, draft)}
                            for draft in drafts
                        ],
                        "changelist_url": f"{entry['admin_url']}?{UNPUBLISHED_QUERY}",
                    }
                )
    return sections


def _newest_drafts(request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
    # One query per model: a window count carries the total alongside the first rows.
    queryset = model_admin.get_queryset(request).filter(is_published=False)
    related = model_admin.list_select_related
    if related:
        # The admin already names the relations its records' __str__ walks.
        queryset = (
            queryset.select_related() if related is True else queryset.select_related(*related)
        )
    queryset = queryset.annotate(draft_total=Window(Count("pk"))).order_by("-created_at", "-pk")
    return list(queryset[:DRAFTS_PER_MODEL])


def _change_url(model_admin: admin.ModelAdmin, record) -> str:
    opts = model_admin.opts
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change",
        args=[quote(record.pk)],
        current_app=model_admin.admin_site.name,
    )


class DraftsDashboardMixin:
    """Serves the drafts-awaiting-review page from a model admin, so it needs no project URL."""

    def get_urls(self):
        view = self.admin_site.admin_view(self.drafts_awaiting_review_view)
        return [
            path("drafts/", view, name="drafts_awaiting_review"),
            *super().get_urls(),
        ]

    def drafts_awaiting_review_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Drafts awaiting review",
            "sections": drafts_awaiting_review(request, self.admin_site),
            "per_model": DRAFTS_PER_MODEL,
        }
        return TemplateResponse(request, "admin/drafts_awaiting_review.html", context)
