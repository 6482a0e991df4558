from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("new/", views.report_create, name="report-create"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/edit/", views.report_edit, name="report-edit"),
    path("<int:pk>/issue/", views.report_issue, name="report-issue"),
    path("<int:pk>/approve/", views.report_approve, name="report-approve"),
    path("<int:pk>/return/", views.report_return, name="report-return"),
    path("<int:pk>/send/", views.report_send, name="report-send"),
    path("<int:pk>/pdf/", views.report_pdf, name="report-pdf"),
    path("<int:pk>/decisions/new/", views.decision_create, name="decision-create"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/<int:pk>/", views.decision_edit, name="decision-edit"),
    path("decisions/<int:pk>/close/", views.decision_close, name="decision-close"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision-delete"),
    path("distribution/", views.distribution_list, name="distribution-list"),
    path("distribution/new/", views.distribution_edit, name="distribution-create"),
    path("distribution/<int:pk>/", views.distribution_edit, name="distribution-edit"),
]
