"""``manage.py review_report --board NAME --year YYYY --period VB [--unit NAME] [--json]``: the
automatic review of one report, as a list grouped by severity or as JSON.

The exit code is 0 whatever the review finds (the command reports, it does not judge); it is 1,
with a message, when the report does not exist.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from reporting.models import Period, Report
from reporting.review import CONFIRMED, ERROR, SEVERITY_LABELS, WARNING, review_report


class Command(BaseCommand):
    help = "Granskar en rapport och listar fel och varningar."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--board", required=True, help="nämndens namn, t.ex. Socialnämnden")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--period", required=True, choices=Period.values)
        parser.add_argument("--unit", help="enhetens namn, för en enhets egen rapport")
        parser.add_argument("--municipality", help="kommunen, om flera nämnder har samma namn")
        parser.add_argument(
            "--json", action="store_true", help="skriv fynden som en JSON-lista i stället"
        )

    def handle(self, *args, **options) -> None:
        report = _find_report(
            board=options["board"],
            year=options["year"],
            period=options["period"],
            unit=options["unit"],
            municipality=options["municipality"],
        )
        findings = review_report(report)
        if options["json"]:
            text = json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
            self.stdout.write(text)
            return
        counts = {s: sum(1 for f in findings if f.severity == s) for s in (ERROR, WARNING)}
        self.stdout.write(
            f"Granskning av {report}: {_count(counts[ERROR], 'fel', 'fel')}, "
            f"{_count(counts[WARNING], 'varning', 'varningar')}."
        )
        if not findings:
            self.stdout.write("Inga anmärkningar.")
        for severity in (ERROR, WARNING, CONFIRMED):
            group = [f for f in findings if f.severity == severity]
            if not group:
                continue
            self.stdout.write(f"\n{SEVERITY_LABELS[severity]} ({len(group)})")
            for finding in group:
                self.stdout.write(f"- {finding.location}: {finding.message} [{finding.code}]")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _find_report(*, board, year, period, unit=None, municipality=None) -> Report:
    reports = Report.objects.filter(board__name=board, year=year, period=period)
    reports = reports.filter(unit__name=unit) if unit else reports.filter(unit__isnull=True)
    if municipality:
        reports = reports.filter(board__municipality__name=municipality)
    found = list(reports.select_related("board__municipality", "unit")[:2])
    owner = f"{board}, {unit}" if unit else board
    if not found:
        raise CommandError(f"Det finns ingen rapport för {owner}, {period} {year}.")
    if len(found) > 1:
        cities = " och ".join(r.board.municipality.name for r in found)
        raise CommandError(f"Både {cities} har {board}: ange --municipality.")
    return found[0]
