from django.apps import AppConfig


class PsspConfig(AppConfig):
    name = "pssp"
    verbose_name = "PSSP: boroughs, products and engagement"

    def ready(self):
        from pssp import search

        search.register_kinds()
