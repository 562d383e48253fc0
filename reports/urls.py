from django.urls import path

from reports import views, views_dashboard, views_grievances

app_name = "reports"

urlpatterns = [
    path("", views.situation, name="situation"),
    path("situation.<str:fmt>", views.situation_download, name="situation-download"),
    path("dashboard/", views_dashboard.dashboard_page, name="dashboard"),
    path("dashboard/retention/", views_dashboard.dashboard_retention, name="dashboard-retention"),
    path("people/<int:pk>/outcome/", views.record_outcome_view, name="record-outcome"),
    path("grievances/", views_grievances.grievance_list, name="grievances"),
    path("people/<int:person_pk>/grievance/", views_grievances.grievance_new, name="grievance-new"),
    path("grievances/<int:pk>/", views_grievances.grievance_detail, name="grievance"),
    path(
        "grievances/<int:pk>/<str:action>/",
        views_grievances.grievance_action,
        name="grievance-action",
    ),
    path("people/export/", views.person_export, name="person-export"),
]
