from django.urls import path

from . import views

app_name = "sampling"
urlpatterns = [
    path("frame/", views.frame, name="frame"),
    path("frame/import/", views.frame_import, name="import"),
    path("frame/imports/batch/", views.import_batch, name="import-batch"),
    path(
        "frame/imports/batch/progress/", views.import_batch_progress, name="import-batch-progress"
    ),
    path("frame/imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("frame/imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("frame/names/", views.names, name="names"),
    path("samples/", views.sample_list, name="samples"),
    path("samples/draw/", views.sample_draw, name="sample-draw"),
    path("samples/thematic/", views.thematic_new, name="thematic-new"),
    path("samples/<int:pk>/", views.sample_detail, name="sample-detail"),
    path("samples/<int:pk>/redraw/", views.sample_redraw, name="sample-redraw"),
    path("samples/<int:pk>/confirm/", views.sample_confirm, name="sample-confirm"),
    path("samples/<int:pk>/export.<str:fmt>", views.sample_export, name="sample-export"),
]
