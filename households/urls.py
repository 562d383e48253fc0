from django.urls import path

from households import views

urlpatterns = [
    path("<int:pk>/admit/", views.admit, name="household-admit"),
    path("<int:pk>/issue/", views.issue, name="household-issue"),
    path("<int:pk>/documents/", views.request_documents, name="household-documents"),
]
