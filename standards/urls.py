from django.urls import path

from standards import views, views_evaluations, views_monitoring, views_results

app_name = "standards"

urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.my_standards, name="my-standards"),
    path("coverage/", views.coverage, name="coverage"),
    path("evaluations/", views_evaluations.evaluation_list, name="evaluation-list"),
    path(
        "evaluations/mine/",
        views_evaluations.my_evaluations,
        name="my-evaluations",
    ),
    path(
        "evaluations/new/",
        views_evaluations.evaluation_create,
        name="evaluation-create",
    ),
    path(
        "evaluations/<int:pk>/",
        views_evaluations.evaluation_detail,
        name="evaluation-detail",
    ),
    path(
        "evaluations/<int:pk>/respond/",
        views_evaluations.evaluation_respond,
        name="evaluation-respond",
    ),
    path("results/", views_results.results_page, name="results"),
    path(
        "evaluations/import/",
        views_monitoring.evaluation_import,
        name="evaluation-import",
    ),
    path(
        "timeliness/import/",
        views_monitoring.timeliness_import,
        name="timeliness-import",
    ),
    path("sampling/", views_monitoring.plan_list, name="plan-list"),
    path("sampling/<int:pk>/", views_monitoring.plan_detail, name="plan-detail"),
    path(
        "sampling/<int:pk>/import/",
        views_monitoring.plan_import,
        name="plan-import",
    ),
    path("calibration/", views_monitoring.calibration_list, name="calibration-list"),
    path(
        "calibration/<int:pk>/",
        views_monitoring.calibration_detail,
        name="calibration-detail",
    ),
    path("new/", views.standard_create, name="standard-create"),
    path("<int:pk>/", views.standard_detail, name="standard-detail"),
    path("<int:pk>/pdf/", views.standard_pdf, name="standard-pdf"),
    path("<int:pk>/edit/", views.standard_update, name="standard-update"),
    path("<int:pk>/versions/new/", views.version_create, name="version-create"),
    path(
        "<int:pk>/versions/<int:number>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path(
        "<int:pk>/versions/<int:number>/criteria/new/",
        views.criterion_create,
        name="criterion-create",
    ),
    path(
        "<int:pk>/versions/<int:number>/criteria/<int:criterion_pk>/",
        views.criterion_detail,
        name="criterion-detail",
    ),
    path(
        "<int:pk>/versions/<int:number>/criteria/<int:criterion_pk>/edit/",
        views.criterion_update,
        name="criterion-update",
    ),
]
