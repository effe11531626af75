import pytest
from django.urls import reverse

from dps.models import Borough

pytestmark = pytest.mark.django_db


def test_a_change_through_the_admin_shows_who_changed_what(client_as, administrator):
    borough = Borough.objects.get(name="Brent")
    client = client_as(administrator)
    response = client.post(
        reverse("admin:dps_borough_change", args=[borough.pk]),
        {
            "name": "Brent",
            "kind": "borough",
            "gss_code": borough.gss_code,
            "family_group": "Family group 2",
            "active": "on",
        },
    )
    assert response.status_code == 302

    page = client.get(reverse("pssp:borough-detail", args=[borough.pk])).content.decode()
    assert "Family group 2" in page
    assert "Family group: — → Family group 2" in page
    assert str(administrator) in page
