from django.contrib import admin
from django.urls import path

from policytracker.health import healthz, readyz

admin.site.site_header = "policytracker curation"
admin.site.site_title = "policytracker"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
