"""python manage.py schedule_reminders

Queues the daily deadline reminders (``reporting.tasks.send_daily_reminders``) for the worker,
unless a run is already waiting: today at ``REMINDER_HOUR`` (or at once when that hour has
passed), and every run queues the next for the day after. ``make run`` calls it as the worker
starts (Procfile), so the reminders go out every day without cron."""

from django.core.management.base import BaseCommand

from reporting.tasks import schedule_reminders


class Command(BaseCommand):
    help = "Lägger de dagliga påminnelserna i bakgrundsarbetarens kö (om de inte redan ligger där)."

    def handle(self, *args, **options) -> None:
        result = schedule_reminders()
        if result is None:
            self.stdout.write("Påminnelserna ligger redan i kön (eller körs av cron).")
        else:
            when = result.task.run_after
            self.stdout.write(f"Påminnelserna körs {when:%Y-%m-%d %H:%M} och sedan varje dag.")
