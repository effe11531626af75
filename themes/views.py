from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from dps.audit import history_for
from dps.permissions import require_permission
from themes.models import Theme
from themes.selectors import programme_overview


@require_permission("themes.view_theme")
def programme(request):
    programme, themes = programme_overview(request.user)
    return render(request, "themes/programme.html", {"programme": programme, "themes": themes})


@require_permission("themes.view_theme")
def theme_detail(request, code):
    # A restricted theme is a 404 for users not cleared for it: they must not learn it exists.
    theme = get_object_or_404(
        Theme.objects.visible_to(request.user).select_related("programme", "lead"), code=code
    )
    breadcrumbs = [("Programme", reverse("themes:programme")), (theme.name, None)]
    return render(
        request,
        "themes/theme_detail.html",
        {
            "theme": theme,
            "supporting_areas": theme.supporting_areas.all(),
            "history": history_for(theme),
            "breadcrumbs": breadcrumbs,
        },
    )
