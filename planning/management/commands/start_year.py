"""python manage.py start_year --board NAME --year YYYY"""

from django.core.management.base import BaseCommand, CommandError

from planning.services import StartYearError, start_year
from reporting.models import Board


class Command(BaseCommand):
    help = (
        "Startar ett nytt år för en nämnd från föregående års plan: mål, indikatorer med "
        "målvärden, aktiviteter, verksamhetsområden, ekonomins slag och ansvar. Inga utfall, "
        "bedömningar eller texter kopieras."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--board", required=True, help="Nämndens namn, t.ex. Socialnämnden.")
        parser.add_argument("--year", required=True, type=int, help="Det nya året, t.ex. 2020.")

    def handle(self, *args, board: str, year: int, **options) -> None:
        boards = Board.objects.filter(name=board)
        if boards.count() != 1:
            raise CommandError(
                f"Hittar ingen nämnd som heter {board}."
                if not boards.exists()
                else f"Flera kommuner har en nämnd som heter {board}."
            )
        try:
            result = start_year(boards.get(), year)
        except StartYearError as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(self.style.SUCCESS(result.summary()))
