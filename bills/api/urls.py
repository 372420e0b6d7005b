from rest_framework.routers import SimpleRouter

from bills.api import views

router = SimpleRouter()
router.register("bills", views.BillViewSet, basename="bill")
router.register("bill-actions", views.BillActionViewSet, basename="bill-action")
router.register("sponsorships", views.SponsorshipViewSet, basename="sponsorship")
router.register("people", views.PersonViewSet, basename="person")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("events", views.EventViewSet, basename="event")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("statuses", views.BillStatusViewSet, basename="status")

urlpatterns = router.urls
