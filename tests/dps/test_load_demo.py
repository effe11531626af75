import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.label.startswith(("sessions.", "admin.", "axes."))
    }


@pytest.mark.usefixtures("settings")
def test_load_demo_twice_changes_nothing(settings, capsys):
    settings.EMBEDDED = True
    call_command("load_demo")
    first = _row_counts()
    call_command("load_demo")
    assert _row_counts() == first
    assert "planner" in capsys.readouterr().out


def test_load_demo_refuses_outside_the_embedded_demo(settings):
    settings.EMBEDDED = False
    with pytest.raises(CommandError, match="embedded demo"):
        call_command("load_demo")
