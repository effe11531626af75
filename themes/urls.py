from django.urls import path

from themes import views

app_name = "themes"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("<slug:code>/", views.theme_detail, name="theme-detail"),
]
