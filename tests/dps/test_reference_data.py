import csv
from pathlib import Path

import pytest

from dps.models import Borough, Product
from themes.models import Programme, SupportingArea, Theme

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_32_london_boroughs_come_from_the_published_list():
    with (DATA / "london_boroughs.csv").open(encoding="utf-8") as source:
        published = {row["gss_code"]: row["name"] for row in csv.DictReader(source)}
    loaded = dict(Borough.objects.boroughs().values_list("gss_code", "name"))
    assert len(published) == 32
    assert loaded == published


def test_family_groups_start_empty_and_other_units_have_no_gss_code():
    assert not Borough.objects.exclude(family_group="").exists()
    units = Borough.objects.filter(kind="unit")
    assert units.filter(name="New Scotland Yard").exists()
    assert not units.exclude(gss_code=None).exists()


def test_the_product_menu_has_the_eight_stable_codes():
    assert set(Product.objects.values_list("code", flat=True)) == {
        "computer-misuse",
        "accident-claims",
        "civil-actions",
        "complaints-misconduct",
        "complaints-intervention",
        "deaths-in-custody",
        "off-duty-behaviour",
        "taylor-reforms",
    }


def test_the_2007_programme_has_five_themes_with_covert_restricted():
    programme = Programme.objects.get()
    assert (programme.start_date.isoformat(), programme.end_date.isoformat()) == (
        "2007-06-01",
        "2009-05-31",
    )
    themes = Theme.objects.filter(programme=programme)
    assert [theme.code for theme in themes] == ["taylor", "pssp", "intelligence", "covert", "overt"]
    assert list(themes.filter(restricted=True).values_list("code", flat=True)) == ["covert"]
    assert "April/May 2008" in themes.get(code="taylor").description


def test_the_seven_supporting_areas_support_every_theme():
    areas = SupportingArea.objects.all()
    assert [area.name for area in areas] == [
        "Stakeholders",
        "Organisational structure",
        "Resources",
        "Finance",
        "IT",
        "Communications and marketing",
        "Culture",
    ]
    assert all(area.themes.count() == 5 for area in areas)
