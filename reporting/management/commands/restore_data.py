"""``manage.py restore_data FILE``: put a backup back (the database and the stored files)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from reporting.backup import BackupError, read_manifest, restore


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia: ersätter databasens innehåll och de lagrade filerna med "
        "säkerhetskopians."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="säkerhetskopian (tar-fil från backup_data)")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="fråga inte om bekräftelse",
        )

    def handle(self, *args, file: str, interactive: bool, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: filen finns inte.")
        try:
            manifest = read_manifest(path)
            if interactive:
                name = connection.settings_dict["NAME"]
                answer = input(
                    f"Databasen {name} och de lagrade filerna ersätts med säkerhetskopian från "
                    f"{manifest['created']}. Skriv ja för att fortsätta: "
                )
                if answer.strip().lower() != "ja":
                    raise CommandError("Inget återställdes.")
            restore(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Återställde säkerhetskopian från {manifest['created']}.")
