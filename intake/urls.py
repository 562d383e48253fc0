from django.urls import path

from intake import views

urlpatterns = [
    path("", views.outbox, name="intake-outbox"),
    path("people/<int:pk>/edit/", views.edit_person, name="intake-edit-person"),
    path("conflicts/<int:pk>/", views.conflict_detail, name="intake-conflict"),
]
