from qms.areas import Area
from qms.views import area_home


def case_list(request):
    return area_home(request, Area.COMPLAINTS)
