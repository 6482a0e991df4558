"""REST API under /api/v1/ (namespace ``api``).

The views are exempt from LoginRequiredMiddleware: DRF authenticates the token
or session itself and answers 401/403 as JSON instead of a login redirect.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from complaints.api import CaseViewSet
from qms.access import public

urlpatterns = [
    path(
        "cases/",
        public(CaseViewSet.as_view({"get": "list", "post": "create"})),
        name="case-list",
    ),
    path(
        "cases/<str:reference>/",
        public(CaseViewSet.as_view({"get": "retrieve"})),
        name="case-detail",
    ),
    path(
        "schema/",
        public(SpectacularAPIView.as_view(permission_classes=[IsAuthenticated])),
        name="schema",
    ),
]
