"""``python manage.py demo``: the demo, set up once and never overwritten.

Imported only when it is not there: Socialnämnden's VB 2019 (with its real faults, which the
review must find), the 2020 plan started from it, and a T1 2020 draft with a deadline, partly
filled in and free of review errors, so that a newcomer can walk submit → return → approve →
decide. The demo users are created when missing. Running it again changes nothing: whatever
someone did in the app since is kept.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from goals.models import ActivityFollowUp, GoalAssessment
from indicators.models import IndicatorValue
from planning.services import plan_exists, start_year
from reporting.history import acting_user
from reporting.interchange import import_report, parse
from reporting.management.commands.demo_users import (
    ADMINISTRATION,
    BOARD,
    DEMO_USERS,
    MUNICIPALITY,
    role_text,
    table_line,
)
from reporting.models import Board, Membership, Municipality, Report
from reporting.services import create_report

DEMO = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"
T1_DEADLINE = date(2020, 5, 15)
ANALYSIS = {
    "area_goal": (
        "Nämnden bedömer att målet kommer att uppfyllas under året. Bedömningen grundas på att "
        "nämndmålen under målet prognostiseras att uppnås."
    ),
    "board_goal": (
        "Nämnden gör bedömningen att nämndmålet kommer att uppnås under året. Bedömningen "
        "grundas på att förväntade resultat samt indikatorerna prognostiseras att uppnås."
    ),
    "commitment": "Enheten bedömer att åtagandet kommer att uppfyllas under året.",
}


class Command(BaseCommand):
    help = (
        "Lägger in demot (Socialnämndens VB 2019, planen för 2020 och ett påbörjat T1 2020 "
        "med sista dag) och demokontona, bara det som saknas. Skriver aldrig över något."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är avslaget (demokonton med kända lösenord!).",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo skapar konton med kända lösenord och körs bara med DEBUG på. "
                "Använd --force om du verkligen vill."
            )
        with acting_user(None, reason="demo"):
            board = self.vb_2019()
            self.plan_2020(board)
            self.t1_2020(board)
            self.users(board)

    def say(self, text: str) -> None:
        self.stdout.write(text)

    def vb_2019(self) -> Board:
        report = Report.objects.filter(
            board__name=BOARD,
            board__municipality__name=MUNICIPALITY,
            unit=None,
            year=2019,
            period="VB",
        ).first()
        if report is not None:
            self.say(f"{report} finns redan: lämnas som den är.")
            return report.board
        report = import_report(parse(DEMO.read_bytes()))
        self.say(f"Importerade {report}.")
        return report.board

    def plan_2020(self, board: Board) -> None:
        if plan_exists(board, 2020):
            self.say(f"{board.name} har redan en plan för 2020: lämnas som den är.")
            return
        self.say(start_year(board, 2020).summary())

    def t1_2020(self, board: Board) -> None:
        if Report.objects.filter(board=board, unit=None, year=2020, period="T1").exists():
            self.say(f"{board.name} har redan tertialrapport 1 2020: lämnas som den är.")
            return
        with transaction.atomic():
            report = create_report(board, 2020, "T1", deadline=T1_DEADLINE)
            fill_in_t1(report)
        self.say(f"Skapade {report} med sista dag {T1_DEADLINE:%Y-%m-%d}, delvis ifylld.")

    def users(self, board: Board) -> None:
        User = get_user_model()
        municipality, _ = Municipality.objects.get_or_create(name=MUNICIPALITY)
        board, _ = Board.objects.get_or_create(
            municipality=municipality, name=BOARD, defaults={"administration": ADMINISTRATION}
        )
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            if user is None:
                user = User.objects.create_user(
                    username=demo.username,
                    password=demo.password,
                    first_name=demo.first_name,
                    last_name=demo.last_name,
                    is_staff=demo.superuser,
                    is_superuser=demo.superuser,
                )
            Membership.objects.get_or_create(user=user, board=board, defaults={"role": demo.role})
        header = ("Användarnamn", "Lösenord", "Roll")
        rows = [(d.username, d.password, role_text(d)) for d in DEMO_USERS]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.say(f"Demokonton i {board.name} (ett lösenord som ändrats i appen behålls):")
        for row in [header, ["-" * w for w in widths], *rows]:
            self.say(table_line(row, widths))


def fill_in_t1(report: Report) -> None:
    """What an editor has done a few weeks into the tertial: every goal assessed and analysed,
    the indicators measured each tertial given an outcome (last year's, as a plausible figure),
    every activity under way; the first half of the goals marked ready. The economy, the
    summary and the cover memo are left for the newcomer."""
    goals = list(
        GoalAssessment.objects.filter(report=report)
        .exclude(direction_goal__isnull=False)
        .order_by("pk")
    )
    for i, row in enumerate(goals):
        level = (
            "area_goal" if row.area_goal_id else "board_goal" if row.board_goal_id else "commitment"
        )
        row.assessment = "full" if i % 3 else "partial"
        row.analysis = ANALYSIS[level]
        row.ready = i < len(goals) // 2
        row.save()
    last_year = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(
            report__board=report.board, report__year=2019, report__period="VB", report__unit=None
        )
    }
    for value in IndicatorValue.objects.filter(report=report).select_related("indicator"):
        old = last_year.get(value.indicator.predecessor_id)
        if old is None or old.outcome is None or value.indicator.frequency == "annual":
            continue
        split = (old.outcome_men, old.outcome_women)
        if value.indicator.gender_split_required and None in split:
            continue
        if not _fits(old.outcome, split, value.indicator.unit):
            continue  # last year's figures do not add up (a real fault of the VB 2019)
        value.outcome = old.outcome
        value.outcome_men, value.outcome_women = split
        value.save()
    for follow_up in ActivityFollowUp.objects.filter(report=report):
        follow_up.status = "ongoing"
        follow_up.save()


def _fits(total: Decimal, split: tuple, unit: str) -> bool:
    """Whether a total agrees with its split: a count is the sum, anything else lies between."""
    men, women = split
    if men is None or women is None:
        return True
    if unit.strip() == "st":
        return total == men + women
    return min(men, women) <= total <= max(men, women)
