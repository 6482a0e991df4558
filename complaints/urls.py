from django.urls import include, path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.case_list, name="home"),
    path("import/", include("complaints.urls_import")),
    path("monitoring/", include("complaints.urls_monitoring")),
]
