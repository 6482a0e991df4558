"""Root-cause analysis pages, under /complaints/analyses/."""

from django.urls import path

from complaints import views_rca

urlpatterns = [
    path("", views_rca.analysis_list, name="analysis-list"),
    path("new/", views_rca.analysis_create, name="analysis-create"),
    path("pareto/", views_rca.pareto, name="pareto"),
    path(
        "case/<str:reference>/root-cause/",
        views_rca.case_root_cause,
        name="case-root-cause",
    ),
    path("<int:pk>/", views_rca.analysis_detail, name="analysis-detail"),
    path("<int:pk>/edit/", views_rca.analysis_update, name="analysis-update"),
    path("<int:pk>/conclude/", views_rca.analysis_conclude, name="analysis-conclude"),
    path("<int:pk>/reopen/", views_rca.analysis_reopen, name="analysis-reopen"),
    path("<int:pk>/whys/", views_rca.whystep_add, name="whystep-add"),
    path(
        "<int:pk>/whys/<int:step_pk>/", views_rca.whystep_update, name="whystep-update"
    ),
    path(
        "<int:pk>/whys/<int:step_pk>/delete/",
        views_rca.whystep_delete,
        name="whystep-delete",
    ),
    path(
        "<int:pk>/whys/<int:step_pk>/move/<str:direction>/",
        views_rca.whystep_move,
        name="whystep-move",
    ),
    path("<int:pk>/causes/", views_rca.cause_add, name="cause-add"),
    path(
        "<int:pk>/causes/<int:cause_pk>/", views_rca.cause_update, name="cause-update"
    ),
    path(
        "<int:pk>/causes/<int:cause_pk>/delete/",
        views_rca.cause_delete,
        name="cause-delete",
    ),
]
