from django.urls import path, register_converter

from . import views
from .converters import MonthConverter

register_converter(MonthConverter, "month")

app_name = "audits"
urlpatterns = [
    path("mine/", views.my_allocations, name="mine"),
    path("allocation/", views.allocation_index, name="allocation-index"),
    path("allocation/<month:period>/", views.allocation_review, name="review"),
    path(
        "allocation/<month:period>/export.<str:fmt>",
        views.allocation_export,
        name="review-export",
    ),
    path(
        "allocation/<month:period>/place/<int:case_id>/",
        views.allocation_place,
        name="place",
    ),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation"),
    path("allocations/<int:pk>/move/", views.allocation_move, name="move"),
    path("allocations/<int:pk>/exemption/", views.exemption_request, name="exemption-request"),
    path("exemptions/", views.exemption_list, name="exemptions"),
    path("exemptions/<int:pk>/", views.exemption_decide, name="exemption-decide"),
    path("completion/<month:period>/", views.completion, name="completion"),
    path(
        "completion/<month:period>/export.<str:fmt>",
        views.completion_export,
        name="completion-export",
    ),
]
