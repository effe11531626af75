"""The Django admin is no back door to the restricted (covert) theme."""

import pytest
from django.urls import reverse

from tests.factories import theme
from themes.models import SupportingArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    area = SupportingArea.objects.get(code="resources")
    area.themes.add(theme("overt"), theme("covert"))
    return area


def test_supporting_area_form_does_not_name_the_covert_theme_to_the_administrator(
    client_as, administrator, area
):
    page = client_as(administrator).get(
        reverse("admin:themes_supportingarea_change", args=[area.pk])
    )
    assert page.status_code == 200
    assert "Covert" not in page.text


def test_administrator_saving_a_supporting_area_keeps_its_theme_links(
    client_as, administrator, area
):
    linked = set(area.themes.values_list("code", flat=True))
    assert "covert" in linked
    response = client_as(administrator).post(
        reverse("admin:themes_supportingarea_change", args=[area.pk]),
        {
            "programme": area.programme_id,
            "code": area.code,
            "name": "Resources and people",
            "description": area.description,
            "order": area.order,
        },
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name == "Resources and people"
    assert set(area.themes.values_list("code", flat=True)) == linked


def test_a_cleared_superuser_still_manages_the_theme_links(admin_client, area):
    page = admin_client.get(reverse("admin:themes_supportingarea_change", args=[area.pk]))
    assert "Investigations – Covert" in page.text
