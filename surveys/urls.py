from django.urls import path

from qms.areas import Area
from qms.views import area_home

app_name = "surveys"

urlpatterns = [
    path("", area_home, {"area": Area.SURVEYS}, name="home"),
]
from surveys.urls_results import urlpatterns as results_urlpatterns  # noqa: E402

urlpatterns += results_urlpatterns
