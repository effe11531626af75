from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Committee reports"

    def ready(self):
        # Register the Celery tasks in every process, not only in workers: reports.jobs sends
        # them by name, and with Celery in-process (tests, embedded demo) the name must resolve
        # to the task here rather than to a message for a broker. Committee members are told when a
        # report is published (reports/notices.py; dps/notices.py sends), and reports are found by
        # the search (reports/search.py).
        from reports import notices, search, tasks  # noqa: F401

        notices.register_all()
        search.register_kinds()
