"""Reads for the strategic programme. Every one starts from a `visible_to(user)` queryset."""

from themes.models import Programme, Theme


def programme_overview(user):
    """The current programme and the themes this user may see, with their supporting areas."""
    programme = Programme.objects.order_by("-start_date").first()
    if programme is None:
        return None, []
    themes = (
        Theme.objects.visible_to(user)
        .filter(programme=programme)
        .select_related("lead")
        .prefetch_related("supporting_areas")
    )
    return programme, list(themes)
