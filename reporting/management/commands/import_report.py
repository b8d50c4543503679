"""``manage.py import_report PATH``: import one report in the interchange format."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from reporting.history import acting_user
from reporting.interchange import InvalidDocument, import_report, parse


class Command(BaseCommand):
    help = (
        "Importerar en rapport i utbytesformatet (JSON). Allt eller inget: en fil med fel "
        "skrivs inte alls, och varje fel visas med sin plats i filen."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="JSON-filen som ska importeras")
        parser.add_argument(
            "--user",
            help="användarnamnet som ändringarna ska stå på i historiken (standard: ingen)",
        )

    def handle(self, *args, path: str, user: str | None = None, **options) -> None:
        person = None
        if user:
            person = get_user_model().objects.filter(username=user).first()
            if person is None:
                raise CommandError(f"Det finns ingen användare ”{user}”.")
        try:
            text = Path(path).read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{path}: filen finns inte.") from None
        except OSError as error:
            raise CommandError(f"{path}: filen går inte att läsa ({error.strerror}).") from None
        try:
            with acting_user(person, reason="import"):
                report = import_report(parse(text))
        except InvalidDocument as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(f"{path}: inget importerades ({count} fel).") from None
        for warning in getattr(report, "import_warnings", []):
            self.stdout.write(self.style.WARNING(f"Varning: {warning}"))
        self.stdout.write(summary(report))


def summary(report) -> str:
    """'Socialnämnden, Verksamhetsberättelse 2019: 3 inriktningsmål, ... 81 aktiviteter.'"""
    goals = report.goal_assessments.aggregate(
        direction_goals=Count("direction_goal"),
        area_goals=Count("area_goal"),
        board_goals=Count("board_goal"),
        commitments=Count("commitment"),
    )
    parts = [
        f"{goals['direction_goals']} inriktningsmål",
        f"{goals['area_goals']} mål för verksamhetsområdet",
        f"{goals['board_goals']} nämndmål",
    ]
    if goals["commitments"]:
        parts.append(f"{goals['commitments']} åtaganden")
    parts.append(f"{report.indicator_values.count()} indikatorer")
    parts.append(f"{report.activity_follow_ups.count()} aktiviteter")
    owner = f"{report.board.name}, {report.unit.name}" if report.unit else report.board.name
    return f"Importerade {owner}, {report.title}: {', '.join(parts)}."
