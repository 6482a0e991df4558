from django.urls import path

from needs import views, views_monitoring

app_name = "needs"

urlpatterns = [
    path("", views.need_list, name="home"),
    path("list/", views.need_list, name="need-list"),
    path("new/", views.need_create, name="need-create"),
    path("capture/case/", views.capture_from_case, name="need-capture-case"),
    path("coverage/", views.coverage, name="coverage"),
    path("monitoring/", views_monitoring.monitoring_page, name="monitoring"),
    path("import/", views_monitoring.need_import, name="need-import"),
    path("<int:pk>/", views.need_detail, name="need-detail"),
    path("<int:pk>/edit/", views.need_update, name="need-update"),
    path("<int:pk>/review/", views.need_review, name="need-review"),
    path("<int:pk>/transition/", views.need_transition, name="need-transition"),
    path("<int:pk>/links/", views.link_add, name="link-add"),
    path(
        "<int:pk>/links/<int:link_pk>/remove/",
        views.link_remove,
        name="link-remove",
    ),
    path("<int:pk>/links/reviewed/", views.links_reviewed, name="links-reviewed"),
    path("<int:pk>/conflict/", views.conflict_resolve, name="conflict-resolve"),
]
