from django.urls import path

from stations import views_setup as views

urlpatterns = [
    path("", views.setup_home, name="setup-home"),
    path("provinces/new/", views.province_edit, name="setup-province-new"),
    path("provinces/<int:pk>/", views.province_edit, name="setup-province"),
    path("provinces/<int:pk>/offices/", views.province_offices, name="setup-province-offices"),
    path("stations/new/", views.station_edit, name="setup-station-new"),
    path("stations/<slug:code>/", views.station_edit, name="setup-station"),
    path("stations/<slug:code>/places/", views.station_place, name="setup-station-place"),
    path("staff/new/", views.staff_edit, name="setup-staff-new"),
    path("staff/<int:pk>/", views.staff_edit, name="setup-staff"),
]
