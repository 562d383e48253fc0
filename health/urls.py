from django.urls import path

from health import outbreak_views, views

urlpatterns = [
    path("quarantine/", views.quarantine_home, name="health-quarantine"),
    path("stations/<slug:code>/quarantine/", views.board_view, name="health-board"),
    path("people/<int:pk>/", views.health_record, name="health-record"),
    path("people/<int:pk>/immunizations.json", views.immunizations_json, name="health-fhir"),
    path("people/<int:pk>/vaccination-card.pdf", views.vaccination_card, name="health-card"),
    path("people/<int:pk>/<slug:action>/", views.health_action, name="health-action"),
    path("outbreaks/", outbreak_views.outbreak_view, name="health-outbreaks"),
    path("cases/new/", outbreak_views.case_new, name="health-case-new"),
    path("cases/update/", outbreak_views.case_update, name="health-case-update"),
]
