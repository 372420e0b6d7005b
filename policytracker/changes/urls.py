from django.urls import path

from policytracker.changes.api import ChangeFeedView

urlpatterns = [path("", ChangeFeedView.as_view(), name="change-list")]
