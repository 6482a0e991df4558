"""Root-cause analysis pages, under /complaints/analyses/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.analysis_list, name="analysis-list"),
    path("new/", views.analysis_create, name="analysis-create"),
    path("pareto/", views.pareto, name="pareto"),
    path(
        "case/<str:reference>/root-cause/",
        views.case_root_cause,
        name="case-root-cause",
    ),
    path("<int:pk>/", views.analysis_detail, name="analysis-detail"),
    path("<int:pk>/edit/", views.analysis_update, name="analysis-update"),
    path("<int:pk>/conclude/", views.analysis_conclude, name="analysis-conclude"),
    path("<int:pk>/reopen/", views.analysis_reopen, name="analysis-reopen"),
    path("<int:pk>/whys/", views.whystep_add, name="whystep-add"),
    path("<int:pk>/whys/<int:step_pk>/", views.whystep_update, name="whystep-update"),
    path(
        "<int:pk>/whys/<int:step_pk>/delete/",
        views.whystep_delete,
        name="whystep-delete",
    ),
    path(
        "<int:pk>/whys/<int:step_pk>/move/<str:direction>/",
        views.whystep_move,
        name="whystep-move",
    ),
    path("<int:pk>/causes/", views.cause_add, name="cause-add"),
    path("<int:pk>/causes/<int:cause_pk>/", views.cause_update, name="cause-update"),
    path(
        "<int:pk>/causes/<int:cause_pk>/delete/",
        views.cause_delete,
        name="cause-delete",
    ),
]
