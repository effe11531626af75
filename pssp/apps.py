from django.apps import AppConfig


class PsspConfig(AppConfig):
    name = "pssp"
    verbose_name = "PSSP: boroughs, products and engagement"
