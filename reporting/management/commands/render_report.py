"""``manage.py render_report --board NAME --year YYYY --period VB --format pdf -o FILE``: one
report as a PDF (or its print HTML, or an Excel workbook with ``--format xlsx``), or with
``--memo-only`` its tjänsteutlåtande alone."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.frozen import report_data
from reporting.models import Period, Report
from reporting.render import render_pdf, render_print_html
from reporting.workflow import frozen_version
from reporting.xlsx import render_xlsx


class Command(BaseCommand):
    help = "Skriver en rapport som PDF, som utskriftens HTML eller som Excelfil."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--board", required=True, help="nämndens namn, t.ex. Socialnämnden")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--period", required=True, choices=[Period.T1, Period.T2, Period.VB])
        parser.add_argument("--unit", help="enhetens namn, för en enhets egen rapport")
        parser.add_argument("--format", choices=["html", "pdf", "xlsx"], default="pdf")
        parser.add_argument(
            "--memo-only", action="store_true", help="bara tjänsteutlåtandet, utan rapporten"
        )
        parser.add_argument("-o", "--output", required=True, help="filen att skriva")

    def handle(self, *args, **options) -> None:
        reports = Report.objects.filter(
            board__name=options["board"], year=options["year"], period=options["period"]
        )
        unit = options["unit"]
        reports = reports.filter(unit__name=unit) if unit else reports.filter(unit__isnull=True)
        found = list(reports[:2])
        owner = f"{options['board']}, {unit}" if unit else options["board"]
        if len(found) != 1:
            problem = "ingen rapport" if not found else "flera rapporter (i olika kommuner)"
            raise CommandError(
                f"Det finns {problem} för {owner}, {options['period']} {options['year']}."
            )
        # An approved or decided report is printed from its frozen version: the stored PDFs,
        # and the print HTML from the stored document.
        report = found[0]
        data = report_data(report)
        memo_only = options["memo_only"]
        if memo_only and options["format"] == "xlsx":
            raise CommandError("Tjänsteutlåtandet finns bara som PDF eller HTML.")
        if memo_only and data.cover is None:
            raise CommandError("Rapporten har inget tjänsteutlåtande.")
        output = Path(options["output"])
        version = frozen_version(report)
        stored = None
        if version is not None and version.pdf_ready:
            stored = version.memo_pdf if memo_only else version.pdf
        if options["format"] == "xlsx":
            frozen_workbook = version is not None and version.xlsx_sha256
            output.write_bytes(bytes(version.xlsx) if frozen_workbook else render_xlsx(data))
        elif options["format"] == "html":
            output.write_text(render_print_html(data, memo_only=memo_only), encoding="utf-8")
        elif stored is not None:
            output.write_bytes(bytes(stored))
        else:
            output.write_bytes(render_pdf(data, memo_only=memo_only))
        self.stdout.write(f"Skrev {output}.")
