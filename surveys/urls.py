from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.home, name="home"),
    path("series/new/", views.series_create, name="series-create"),
    path("series/<int:pk>/", views.series_detail, name="series-detail"),
    path("series/<int:pk>/edit/", views.series_update, name="series-update"),
    path(
        "series/<int:series_pk>/questionnaires/new/",
        views.questionnaire_create,
        name="questionnaire-create",
    ),
    path("series/<int:series_pk>/waves/new/", views.wave_create, name="wave-create"),
    path(
        "questionnaires/<int:pk>/",
        views.questionnaire_detail,
        name="questionnaire-detail",
    ),
    path(
        "questionnaires/<int:pk>/edit/",
        views.questionnaire_update,
        name="questionnaire-update",
    ),
    path(
        "questionnaires/<int:pk>/new-version/",
        views.questionnaire_new_version,
        name="questionnaire-new-version",
    ),
    path(
        "questionnaires/<int:pk>/preview/",
        views.questionnaire_preview,
        name="questionnaire-preview",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/sections/new/",
        views.section_edit,
        name="section-create",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/sections/<int:pk>/",
        views.section_edit,
        name="section-update",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/sections/<int:pk>/delete/",
        views.section_delete,
        name="section-delete",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/questions/new/",
        views.question_edit,
        name="question-create",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/questions/<int:pk>/",
        views.question_edit,
        name="question-update",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/questions/<int:pk>/delete/",
        views.question_delete,
        name="question-delete",
    ),
    path("questions/<int:pk>/", views.question_detail, name="question-detail"),
    path(
        "questions/<int:question_pk>/options/new/",
        views.option_edit,
        name="option-create",
    ),
    path("options/<int:pk>/delete/", views.option_delete, name="option-delete"),
    path("waves/<int:pk>/", views.wave_detail, name="wave-detail"),
    path("waves/<int:pk>/edit/", views.wave_update, name="wave-update"),
    path("waves/<int:pk>/status/", views.wave_transition, name="wave-transition"),
    path("waves/<int:pk>/groups/", views.group_add, name="group-add"),
    path(
        "waves/<int:pk>/groups/<int:group_pk>/delete/",
        views.group_delete,
        name="group-delete",
    ),
    path("waves/<int:pk>/sample/", views.wave_sample, name="wave-sample"),
    path("waves/<int:pk>/import/", views.wave_import, name="wave-import"),
    path("waves/<int:pk>/invite/", views.wave_invite, name="wave-invite"),
    path("waves/<int:pk>/monitor/", views.wave_monitor, name="wave-monitor"),
    path(
        "waves/<int:pk>/participants/",
        views.wave_participants,
        name="wave-participants",
    ),
    path(
        "waves/<int:pk>/participants/<int:participant_pk>/bounced/",
        views.participant_bounced,
        name="participant-bounced",
    ),
    path("waves/<int:pk>/bounces/", views.wave_bounces, name="wave-bounces"),
    path("waves/<int:pk>/entry/", views.wave_entry, name="wave-entry"),
    path("waves/<int:pk>/export/", views.wave_export, name="wave-export"),
]

from surveys.urls_results import urlpatterns as results_urlpatterns  # noqa: E402

urlpatterns += results_urlpatterns
