from django.urls import path

from promises import public, views

app_name = "promises"

urlpatterns = [
    path("", views.promise_list, name="home"),
    path("list/", views.promise_list, name="promise-list"),
    path("new/", views.promise_create, name="promise-create"),
    path("charter/", public.charter, name="charter"),
    path("<int:pk>/", views.promise_detail, name="promise-detail"),
    path("<int:pk>/edit/", views.promise_update, name="promise-update"),
    path("<int:pk>/transition/", views.promise_transition, name="promise-transition"),
    path("<int:pk>/indicators/new/", views.indicator_edit, name="indicator-create"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/",
        views.indicator_edit,
        name="indicator-update",
    ),
    path("<int:pk>/assessment/", views.assessment_edit, name="assessment"),
    path("<int:pk>/review/", views.review_create, name="review-create"),
    path("<int:pk>/events/", views.event_list, name="event-list"),
    path("<int:pk>/events/new/", views.event_create, name="event-create"),
    path("<int:pk>/events/import/", views.event_import, name="event-import"),
    path(
        "<int:pk>/events/<int:event_pk>/exclude/",
        views.event_exclude,
        name="event-exclude",
    ),
    path("case/<str:reference>/tag/", views.case_tag, name="case-tag"),
    path("case/<str:reference>/untag/<int:pk>/", views.case_untag, name="case-untag"),
]
