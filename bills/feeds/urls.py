"""Feed addresses, mounted at /api/v1/feeds/ (public data only, cached like the API)."""

from django.urls import path

from bills.feeds import views

urlpatterns = [
    path("status-changes.atom", views.StatusChangeFeed(), name="feed-status-changes"),
    path("bills/<slug:slug>.atom", views.BillFeed(), name="feed-bill"),
    path("topics/<slug:slug>.atom", views.TopicFeed(), name="feed-topic"),
    path("people/<slug:slug>.atom", views.PersonFeed(), name="feed-person"),
]
