"""REST API of the promises area, mounted in the ``api`` namespace under
/api/v1/ beside the complaints API (see qms/urls.py)."""

from django.urls import path

from promises.api import EventViewSet
from qms.access import public

urlpatterns = [
    path(
        "promise-events/",
        public(EventViewSet.as_view({"get": "list", "post": "create"})),
        name="promise-event-list",
    ),
    path(
        "promise-events/<int:pk>/",
        public(EventViewSet.as_view({"get": "retrieve"})),
        name="promise-event-detail",
    ),
]
