from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DpsConfig(AppConfig):
    name = "dps"
    verbose_name = "DPS Programme Manager"

    def ready(self):
        from dps import search
        from dps.roles import sync_roles

        search.register_kinds()

        # Roles are groups whose permissions follow dps.roles. Re-synced after each app migrates
        # (not only this one) so a model's new permissions reach their roles once they exist.
        post_migrate.connect(sync_roles, dispatch_uid="dps.sync_roles")
