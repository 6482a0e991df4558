"""Results, data quality and follow-up pages; appended to ``surveys.urls``
(namespace ``surveys``)."""

from django.urls import path

from . import views_results

urlpatterns = [
    path(
        "waves/<int:pk>/results/",
        views_results.wave_results,
        name="wave-results",
    ),
    path(
        "waves/<int:pk>/results.<str:kind>",
        views_results.wave_results_export,
        name="wave-results-export",
    ),
    path(
        "waves/<int:pk>/comments/",
        views_results.wave_comments,
        name="wave-comments",
    ),
    path(
        "waves/<int:pk>/data-quality/",
        views_results.wave_quality,
        name="wave-quality",
    ),
    path(
        "responses/<int:pk>/exclude/",
        views_results.response_exclude,
        name="response-exclude",
    ),
    path(
        "responses/<int:pk>/include/",
        views_results.response_include,
        name="response-include",
    ),
    path("follow-ups/", views_results.follow_up_list, name="follow-up-list"),
    path(
        "follow-ups/<int:pk>/done/",
        views_results.follow_up_done,
        name="follow-up-done",
    ),
]
