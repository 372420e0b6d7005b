"""The public site's addresses, mounted at the root (policytracker/urls.py); the paths are
listed as cacheable in policytracker/cache_control.py."""

from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from django.views.i18n import set_language

from site_pages import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    # The bills are listed on the home page; a reader trimming a bill's address lands there.
    path("bills/", RedirectView.as_view(pattern_name="site:home"), name="bills"),
    path("bills/<slug:slug>/", views.bill, name="bill"),
    path("people/<slug:slug>/", views.person, name="person"),
    path("events/<slug:slug>/", views.event, name="event"),
    path("search/", views.search, name="search"),
    # The language switcher posts here without a CSRF token: a token would make every page
    # personal (a cookie per reader) and uncacheable, and a forged post can only change the
    # display language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set-language"),
]
