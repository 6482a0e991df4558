from django.urls import path

from qms.areas import Area
from qms.views import area_home

app_name = "needs"

urlpatterns = [
    path("", area_home, {"area": Area.NEEDS}, name="home"),
]
