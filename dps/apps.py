from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DpsConfig(AppConfig):
    name = "dps"
    verbose_name = "DPS Programme Manager"

    def ready(self):
        from django.contrib.auth import signals

        from dps import oidc, search
        from dps.roles import sync_roles

        search.register_kinds()
        # Every sign-in, sign-out and refused sign-in is recorded (dps.models.SignInRecord).
        signals.user_logged_in.connect(oidc.on_signed_in, dispatch_uid="dps.signed_in")
        signals.user_logged_out.connect(oidc.on_signed_out, dispatch_uid="dps.signed_out")
        signals.user_login_failed.connect(oidc.on_refused, dispatch_uid="dps.refused")

        # Roles are groups whose permissions follow dps.roles. Re-synced after each app migrates
        # (not only this one) so a model's new permissions reach their roles once they exist.
        post_migrate.connect(sync_roles, dispatch_uid="dps.sync_roles")
        # The daily reminders task, registered in every process like reports' tasks.
        from dps import tasks  # noqa: F401
