from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dps import demo

# Each app that has demo content offers `<app>/demo.py` with `load(users)`, run in this order.
DEMO_APPS = ("pssp", "themes", "presentations", "reports")


class Command(BaseCommand):
    help = "Load the demo users and content (idempotent: running it twice changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo accounts even with DEBUG off (never do this on live data).",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.EMBEDDED and not options["allow_production"]:
            raise CommandError("Demo accounts are for the embedded demo only (DEBUG is off).")
        users = demo.load(get_user_model())
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            module.load(users)
            if options["verbosity"] > 0:
                self.stdout.write(f"Loaded demo content: {app}")
        self.stdout.write(demo.logins_text())
