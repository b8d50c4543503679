"""python manage.py create_report --board NAME --year YYYY --period T1|T2|VB [--deadline DATE]"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Board, Period, Report
from reporting.services import create_report


class Command(BaseCommand):
    help = (
        "Skapar en nämnds T1, T2 eller VB för ett år, med en rad för varje del av årets plan "
        "och, om du vill, en sista dag."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--board", required=True, help="Nämndens namn, t.ex. Socialnämnden.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--period", required=True, choices=["T1", "T2", "VB"])
        parser.add_argument("--deadline", help="Sista dag, ÅÅÅÅ-MM-DD.")

    def handle(self, *args, board: str, year: int, period: str, deadline=None, **options) -> None:
        boards = Board.objects.filter(name=board)
        if boards.count() != 1:
            raise CommandError(f"Hittar ingen (entydig) nämnd som heter {board}.")
        board_ = boards.get()
        if deadline is not None:
            try:
                deadline = date.fromisoformat(deadline)
            except ValueError as error:
                raise CommandError(
                    f"Sista dag ska skrivas ÅÅÅÅ-MM-DD, till exempel {year}-05-15; fick {deadline}."
                ) from error
        if Report.objects.filter(board=board_, unit=None, year=year, period=period).exists():
            raise CommandError(f"{board_.name} har redan {Period(period).label.lower()} {year}.")
        report = create_report(board_, year, period, deadline=deadline)
        counts = (
            f"{report.goal_assessments.count()} mål, {report.indicator_values.count()} "
            f"indikatorer, {report.activity_follow_ups.count()} aktiviteter, "
            f"{report.operating_budget_rows.count()} verksamhetsområden"
        )
        when = f", sista dag {deadline:%Y-%m-%d}" if deadline else ""
        self.stdout.write(self.style.SUCCESS(f"Skapade {report}{when}: {counts}."))
