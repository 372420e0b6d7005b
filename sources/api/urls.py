from rest_framework.routers import SimpleRouter

from sources.api import views

router = SimpleRouter()
router.register("sources", views.SourceViewSet, basename="source")
router.register("citations", views.CitationViewSet, basename="citation")

urlpatterns = router.urls
