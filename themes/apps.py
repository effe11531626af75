from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Strategic programme"

    def ready(self):
        # The programme's email notices (milestones, actions, risk reviews, the weekly digest) and
        # what the search finds of it.
        from themes import notices, search

        notices.register_all()
        search.register_kinds()
