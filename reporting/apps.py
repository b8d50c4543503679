from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Rapporter"

    def ready(self) -> None:
        # The background tasks listen for changed reports (reporting.signals): the review's
        # refresh is queued after a save.
        from . import tasks  # noqa: F401
