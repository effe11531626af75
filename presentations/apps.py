from django.apps import AppConfig


class PresentationsConfig(AppConfig):
    name = "presentations"
    verbose_name = "PSSP delivery log"
