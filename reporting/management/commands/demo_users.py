"""Demo accounts, one per role, on Socialnämnden. The passwords are fixed and public: for a
demo or a test installation only, never for real use."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reporting.models import Board, Membership, Municipality, Role

MUNICIPALITY = "Stockholms stad"
BOARD = "Socialnämnden"
ADMINISTRATION = "Socialförvaltningen"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    superuser: bool = False

    @property
    def password(self) -> str:
        return f"demo-{self.username}"


DEMO_USERS = [
    DemoUser("handlaggare", "Hanna", "Lindqvist", Role.EDITOR),
    DemoUser("chef", "Erik", "Johansson", Role.APPROVER),
    # The administrator also uses the Django admin to set up the year, hence superuser.
    DemoUser("sekreterare", "Maria", "Berg", Role.ADMINISTRATOR, superuser=True),
    DemoUser("ledamot", "Lars", "Nilsson", Role.READER),
]


class Command(BaseCommand):
    help = (
        "Skapar (eller återställer) ett demokonto per roll i Socialnämnden, med kända "
        "lösenord. Endast för demo och test."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är avslaget (konton med kända lösenord!).",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo_users skapar konton med kända lösenord och körs bara med DEBUG på. "
                "Använd --force om du verkligen vill."
            )
        board = self.create_users()
        self.print_table(board)

    @transaction.atomic
    def create_users(self) -> Board:
        municipality, _ = Municipality.objects.get_or_create(name=MUNICIPALITY)
        board, _ = Board.objects.get_or_create(
            municipality=municipality, name=BOARD, defaults={"administration": ADMINISTRATION}
        )
        User = get_user_model()
        for demo in DEMO_USERS:
            user, _ = User.objects.update_or_create(
                username=demo.username,
                defaults={
                    "first_name": demo.first_name,
                    "last_name": demo.last_name,
                    "is_active": True,
                    "is_staff": demo.superuser,
                    "is_superuser": demo.superuser,
                },
            )
            user.set_password(demo.password)
            user.save(update_fields=["password"])
            Membership.objects.update_or_create(
                user=user, board=board, defaults={"role": demo.role}
            )
        return board

    def print_table(self, board: Board) -> None:
        header = ("Användarnamn", "Lösenord", "Roll")
        rows = [(demo.username, demo.password, role_text(demo)) for demo in DEMO_USERS]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write(f"Demokonton i {board.name}:")
        self.stdout.write(table_line(header, widths))
        self.stdout.write(table_line(["-" * width for width in widths], widths))
        for row in rows:
            self.stdout.write(table_line(row, widths))
        self.stdout.write(
            self.style.WARNING(
                "Detta är demokonton med kända lösenord, endast för demo och test. "
                "Använd dem aldrig i en riktig installation."
            )
        )


def role_text(demo: DemoUser) -> str:
    return f"{demo.role.label} (även Django-admin)" if demo.superuser else demo.role.label


def table_line(cells, widths) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
