from django.urls import path

from pssp import views

app_name = "pssp"

urlpatterns = [
    path("boroughs/", views.BoroughListView.as_view(), name="borough-list"),
    path("boroughs/<int:pk>/", views.borough_detail, name="borough-detail"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
]
