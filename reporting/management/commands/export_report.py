"""``manage.py export_report --board NAME --year YYYY --period VB``: one report as an
interchange document, on stdout or in a file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.frozen import report_document_text
from reporting.models import Period, Report


class Command(BaseCommand):
    help = "Exporterar en rapport i utbytesformatet (JSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--board", required=True, help="nämndens namn, t.ex. Socialnämnden")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--period", required=True, choices=Period.values)
        parser.add_argument("--unit", help="enhetens namn, för en enhets egen rapport")
        parser.add_argument("--municipality", help="kommunen, om flera nämnder har samma namn")
        parser.add_argument("-o", "--output", help="filen att skriva till (annars stdout)")

    def handle(self, *args, **options) -> None:
        report = find_report(**options)
        # An approved or decided report: its frozen version's document, exactly as stored.
        text = report_document_text(report)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)


def find_report(*, board, year, period, unit=None, municipality=None, **options) -> Report:
    reports = Report.objects.filter(board__name=board, year=year, period=period)
    reports = reports.filter(unit__name=unit) if unit else reports.filter(unit__isnull=True)
    if municipality:
        reports = reports.filter(board__municipality__name=municipality)
    found = list(reports.select_related("board__municipality")[:2])
    owner = f"{board}, {unit}" if unit else board
    if not found:
        raise CommandError(f"Det finns ingen rapport för {owner}, {period} {year}.")
    if len(found) > 1:
        cities = " och ".join(r.board.municipality.name for r in found)
        raise CommandError(f"Både {cities} har {board}: ange --municipality.")
    return found[0]
