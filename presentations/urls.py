from django.urls import path

from presentations import views

app_name = "presentations"

urlpatterns = [
    path("", views.DeliveryListView.as_view(), name="delivery-list"),
    path("log/", views.delivery_create, name="delivery-create"),
    path("statistics/", views.statistics, name="statistics"),
    path("import/", views.delivery_import, name="delivery-import"),
    path("<int:pk>/", views.delivery_detail, name="delivery-detail"),
    path("<int:pk>/edit/", views.delivery_edit, name="delivery-edit"),
    path("<int:pk>/delete/", views.delivery_delete, name="delivery-delete"),
]
