from django.urls import path

from surveys.views import (
    distribution,
    followups,
    questionnaires,
    responses,
    results,
    series,
    waves,
)

app_name = "surveys"

urlpatterns = [
    path("", series.home, name="home"),
    path("series/new/", series.series_create, name="series-create"),
    path("series/<int:pk>/", series.series_detail, name="series-detail"),
    path("series/<int:pk>/edit/", series.series_update, name="series-update"),
    path(
        "series/<int:series_pk>/questionnaires/new/",
        questionnaires.questionnaire_create,
        name="questionnaire-create",
    ),
    path("series/<int:series_pk>/waves/new/", waves.wave_create, name="wave-create"),
    path(
        "questionnaires/<int:pk>/",
        questionnaires.questionnaire_detail,
        name="questionnaire-detail",
    ),
    path(
        "questionnaires/<int:pk>/edit/",
        questionnaires.questionnaire_update,
        name="questionnaire-update",
    ),
    path(
        "questionnaires/<int:pk>/new-version/",
        questionnaires.questionnaire_new_version,
        name="questionnaire-new-version",
    ),
    path(
        "questionnaires/<int:pk>/preview/",
        questionnaires.questionnaire_preview,
        name="questionnaire-preview",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/sections/new/",
        questionnaires.section_edit,
        name="section-create",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/sections/<int:pk>/",
        questionnaires.section_edit,
        name="section-update",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/sections/<int:pk>/delete/",
        questionnaires.section_delete,
        name="section-delete",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/questions/new/",
        questionnaires.question_edit,
        name="question-create",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/questions/<int:pk>/",
        questionnaires.question_edit,
        name="question-update",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/questions/<int:pk>/delete/",
        questionnaires.question_delete,
        name="question-delete",
    ),
    path("questions/<int:pk>/", questionnaires.question_detail, name="question-detail"),
    path(
        "questions/<int:question_pk>/options/new/",
        questionnaires.option_edit,
        name="option-create",
    ),
    path(
        "options/<int:pk>/delete/", questionnaires.option_delete, name="option-delete"
    ),
    path("waves/<int:pk>/", waves.wave_detail, name="wave-detail"),
    path("waves/<int:pk>/edit/", waves.wave_update, name="wave-update"),
    path("waves/<int:pk>/status/", waves.wave_transition, name="wave-transition"),
    path("waves/<int:pk>/groups/", waves.group_add, name="group-add"),
    path(
        "waves/<int:pk>/groups/<int:group_pk>/delete/",
        waves.group_delete,
        name="group-delete",
    ),
    path("waves/<int:pk>/sample/", distribution.wave_sample, name="wave-sample"),
    path("waves/<int:pk>/import/", distribution.wave_import, name="wave-import"),
    path("waves/<int:pk>/invite/", distribution.wave_invite, name="wave-invite"),
    path("waves/<int:pk>/monitor/", distribution.wave_monitor, name="wave-monitor"),
    path(
        "waves/<int:pk>/participants/",
        distribution.wave_participants,
        name="wave-participants",
    ),
    path(
        "waves/<int:pk>/participants/<int:participant_pk>/bounced/",
        distribution.participant_bounced,
        name="participant-bounced",
    ),
    path("waves/<int:pk>/bounces/", distribution.wave_bounces, name="wave-bounces"),
    path("waves/<int:pk>/entry/", responses.wave_entry, name="wave-entry"),
    path("waves/<int:pk>/export/", responses.wave_export, name="wave-export"),
    # Results, data quality and follow-ups.
    path(
        "waves/<int:pk>/results/",
        results.wave_results,
        name="wave-results",
    ),
    path(
        "waves/<int:pk>/results.<str:kind>",
        results.wave_results_export,
        name="wave-results-export",
    ),
    path(
        "waves/<int:pk>/comments/",
        results.wave_comments,
        name="wave-comments",
    ),
    path(
        "waves/<int:pk>/data-quality/",
        results.wave_quality,
        name="wave-quality",
    ),
    path(
        "responses/<int:pk>/exclude/",
        results.response_exclude,
        name="response-exclude",
    ),
    path(
        "responses/<int:pk>/include/",
        results.response_include,
        name="response-include",
    ),
    path("follow-ups/", followups.follow_up_list, name="follow-up-list"),
    path(
        "follow-ups/<int:pk>/done/",
        followups.follow_up_done,
        name="follow-up-done",
    ),
]
