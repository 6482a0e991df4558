"""URLs of the core app (namespace ``qms``)."""

from django.urls import path

from qms import views, views_personal_data

app_name = "qms"

urlpatterns = [
    path("", views.home, name="home"),
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:pk>/edit/", views.customer_update, name="customer-update"),
    path(
        "customers/<int:pk>/personal-data/",
        views_personal_data.customer_personal_data,
        name="customer-personal-data",
    ),
    path(
        "customers/<int:pk>/personal-data/export.<str:fmt>",
        views_personal_data.customer_personal_data_export,
        name="customer-personal-data-export",
    ),
    path(
        "customers/<int:pk>/personal-data/erase/",
        views_personal_data.customer_erase,
        name="customer-erase",
    ),
    path("calendar/", views.working_calendar, name="calendar"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/new/", views.document_create, name="document-create"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/compare/", views.version_compare, name="document-compare"),
    path(
        "documents/<int:pk>/versions/new/",
        views.version_create,
        name="document-version-create",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/",
        views.version_detail,
        name="document-version",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/edit/",
        views.version_update,
        name="document-version-update",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/submit/",
        views.version_submit,
        name="document-version-submit",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/return/",
        views.version_return,
        name="document-version-return",
    ),
    path(
        "documents/<int:pk>/versions/<int:number>/approve/",
        views.version_approve,
        name="document-version-approve",
    ),
]
