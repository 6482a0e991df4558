from django.urls import include, path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.case_list, name="home"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/assign/", views.case_assign, name="case-assign"),
    path("customers/lookup/", views.customer_lookup, name="customer-lookup"),
    path("cases/<str:reference>/", views.case_detail, name="case-detail"),
    path("cases/<str:reference>/edit/", views.case_update, name="case-update"),
    path("cases/<str:reference>/step/", views.case_step, name="case-step"),
    path("cases/<str:reference>/decide/", views.case_decide, name="case-decide"),
    path("cases/<str:reference>/messages/", views.case_message, name="case-message"),
    path("cases/<str:reference>/pause/", views.case_pause, name="case-pause"),
    path("cases/<str:reference>/resume/", views.case_resume, name="case-resume"),
    path("cases/<str:reference>/delay/", views.case_delay, name="case-delay"),
    path("cases/<str:reference>/link/<slug:how>/", views.case_link, name="case-link"),
    path("cases/<str:reference>/dispute/", views.case_dispute, name="case-dispute"),
    path(
        "cases/<str:reference>/dispute-outcome/",
        views.case_dispute_outcome,
        name="case-dispute-outcome",
    ),
    path(
        "cases/<str:reference>/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("analyses/", include("complaints.rca.urls")),
    path("import/", include("complaints.urls_import")),
    path("monitoring/", include("complaints.monitoring.urls")),
]
