from django.urls import path

from . import views

app_name = "improvements"

urlpatterns = [
    path("", views.home, name="home"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/mine/", views.proposal_mine, name="proposal-mine"),
    path("proposals/new/", views.proposal_create, name="proposal-create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<int:pk>/review/", views.proposal_review, name="proposal-review"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal-decide"),
    path("proposals/<int:pk>/plan/", views.proposal_plan, name="proposal-plan"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/criterion/", views.plan_criterion, name="plan-criterion"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/status/", views.plan_transition, name="plan-transition"),
    path("plans/<int:pk>/check/", views.plan_check, name="plan-check"),
    path("plans/<int:pk>/verdict/", views.plan_verdict, name="plan-verdict"),
    path(
        "plans/<int:pk>/not-effective/",
        views.plan_not_effective,
        name="plan-not-effective",
    ),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/mine/", views.action_mine, name="action-mine"),
    path("actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/evidence/", views.action_evidence, name="action-evidence"),
]
