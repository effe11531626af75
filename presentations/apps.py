from django.apps import AppConfig


class PresentationsConfig(AppConfig):
    name = "presentations"
    verbose_name = "PSSP delivery log"

    def ready(self):
        from presentations import search

        search.register_kinds()
