from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Committee reports"

    def ready(self):
        # Register the Celery tasks in every process, not only in workers: reports.jobs sends
        # them by name, and with Celery in-process (tests, embedded demo) the name must resolve
        # to the task here rather than to a message for a broker.
        from reports import search, tasks  # noqa: F401

        search.register_kinds()
