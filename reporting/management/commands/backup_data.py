"""``manage.py backup_data [--directory DIR]``: back up the database and the stored files."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reporting.backup import BackupError, backup


class Command(BaseCommand):
    help = "Säkerhetskopierar databasen och de lagrade filerna till en tar-fil."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--directory",
            default=str(Path(settings.BASE_DIR) / "backups"),
            help="mappen där säkerhetskopian läggs (standard: backups/)",
        )

    def handle(self, *args, directory: str, **options) -> None:
        try:
            path = backup(Path(directory))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Säkerhetskopian är sparad i {path}")
