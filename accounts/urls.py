from django.urls import path

from accounts import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("second-factor/", views.verify, name="otp-verify"),
    path("second-factor/setup/", views.setup, name="otp-setup"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="otp-recovery-codes"),
    path(
        "second-factor/recovery-codes/new/",
        views.recovery_codes_new,
        name="otp-recovery-codes-new",
    ),
    path("second-factor/enrol/<str:uidb64>/<str:token>/", views.enrol, name="otp-enrol"),
]
