from django.apps import AppConfig


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = "Strategic programme"

    def ready(self):
        # The programme's email notices (milestones, actions, risk reviews, the weekly digest).
        from themes import notices

        notices.register_all()
