"""Import of historical cases under /complaints/import/ (namespace ``complaints``)."""

from django.urls import path

from complaints import views_import

urlpatterns = [
    path("", views_import.case_import, name="case-import"),
    path("confirm/", views_import.case_import_confirm, name="case-import-confirm"),
]
