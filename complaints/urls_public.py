"""Public pages (no login) under /feedback/, namespace ``complaints_public``."""

from django.urls import path

from complaints import public

urlpatterns = [
    path("", public.case_create, name="case-create"),
    path(
        "thanks/<str:reference>/<str:token>/",
        public.case_thanks,
        name="case-thanks",
    ),
    path("status/", public.status_lookup, name="status-lookup"),
    path(
        "status/<str:reference>/<str:token>/",
        public.case_status,
        name="case-status",
    ),
]
