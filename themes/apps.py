from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Strategic programme"

    def ready(self):
        from themes import search

        search.register_kinds()
