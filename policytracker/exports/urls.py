"""Snapshot addresses, mounted at /api/v1/exports/ (policytracker/exports/api.py)."""

from django.urls import path

from policytracker.exports import api

urlpatterns = [
    path("", api.ExportListView.as_view(), name="export-list"),
    # Before the snapshot routes: "latest" is not an id, but reads like one to `str`.
    path("latest/", api.LatestExportView.as_view(), name="export-latest"),
    path("latest/<str:name>", api.LatestExportFileView.as_view(), name="export-latest-file"),
    path("<str:snapshot_id>/", api.ExportDetailView.as_view(), name="export-detail"),
    path("<str:snapshot_id>/<str:name>", api.ExportFileView.as_view(), name="export-file"),
]
