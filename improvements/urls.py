from django.urls import path

from qms.areas import Area
from qms.views import area_home

app_name = "improvements"

urlpatterns = [
    path("", area_home, {"area": Area.IMPROVEMENTS}, name="home"),
]
