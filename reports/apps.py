from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Committee reports"

    def ready(self):
        # Register the Celery tasks in every process, not only in workers: reports.jobs sends
        # them by name, and with Celery in-process (tests, embedded demo) the name must resolve
        # to the task here rather than to a message for a broker. And committee members are
        # told when a report is published (reports/notices.py; dps/notices.py sends).
        from reports import notices, tasks  # noqa: F401

        notices.register_all()
