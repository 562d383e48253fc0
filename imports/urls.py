from django.urls import path

from imports import views

urlpatterns = [
    path("", views.import_list, name="imports-home"),
    path("<int:pk>/", views.import_job, name="imports-job"),
    path("<int:pk>/progress/", views.import_progress, name="imports-progress"),
    path("<int:pk>/start/", views.import_start, name="imports-start"),
]
