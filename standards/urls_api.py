"""REST API of the standards area under /api/v1/standards/ (namespace
``standards_api``). Exempt from LoginRequiredMiddleware: DRF authenticates."""

from django.urls import path

from qms.access import public
from standards.api import TimelinessFigureViewSet

urlpatterns = [
    path(
        "timeliness/",
        public(TimelinessFigureViewSet.as_view({"get": "list", "post": "create"})),
        name="timeliness-list",
    ),
]
