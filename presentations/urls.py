from django.urls import path
from django.views.generic import RedirectView

from dps.permissions import require_permission
from presentations import views

app_name = "presentations"

urlpatterns = [
    # The log, statistics and import live side by side (not nested) so each menu item is
    # highlighted on its own pages only.
    path(
        "",
        require_permission("presentations.view_delivery")(
            RedirectView.as_view(pattern_name="presentations:delivery-list")
        ),
        name="index",
    ),
    path("log/", views.DeliveryListView.as_view(), name="delivery-list"),
    path("log/new/", views.delivery_create, name="delivery-create"),
    path("log/<int:pk>/", views.delivery_detail, name="delivery-detail"),
    path("log/<int:pk>/edit/", views.delivery_edit, name="delivery-edit"),
    path("log/<int:pk>/delete/", views.delivery_delete, name="delivery-delete"),
    path("statistics/", views.statistics, name="statistics"),
    path("import/", views.delivery_import, name="delivery-import"),
]
