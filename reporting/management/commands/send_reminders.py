"""python manage.py send_reminders [--date YYYY-MM-DD] [--days N]

Reminds editors by e-mail of their items that are not ready, in drafts whose deadline is at
most N days away (``REMINDER_DAYS_BEFORE``) or has passed; never twice a day for the same
report. Run it once a day from cron, or let the task worker schedule
``reporting.tasks.send_daily_reminders`` (``manage.py schedule_reminders``)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting.notifications import send_reminders


class Command(BaseCommand):
    help = "Skickar påminnelser om delar som inte är klarmarkerade när sista dagen närmar sig."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="Dagens datum, ÅÅÅÅ-MM-DD (standard: i dag).")
        parser.add_argument("--days", type=int, help="Antal dagar före sista dag.")

    def handle(self, *args, date=None, days=None, **options) -> None:
        today = None
        if date:
            try:
                today = _parse(date)
            except ValueError as error:
                raise CommandError(f"Skriv datumet som ÅÅÅÅ-MM-DD; fick {date}.") from error
        sent = send_reminders(today, days)
        self.stdout.write(f"{sent} påminnelse{'r' if sent != 1 else ''} skickade.")


def _parse(value: str):
    return date.fromisoformat(value)
