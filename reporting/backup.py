"""Backup and restore of everything the application keeps: the database and the stored files.

A backup is one tar file (``nämndrapport-<database>-<time>.tar``) holding

- ``manifest.json``: the database engine, the time, and the Django migrations applied;
- ``database.dump`` (PostgreSQL, ``pg_dump -Fc``) or ``database.sqlite3`` (SQLite, made with
  SQLite's online backup API, so it is consistent while the application runs);
- ``media/``: the files under ``MEDIA_ROOT``.

``restore`` puts a backup back into the database the settings name (``pg_restore --clean
--if-exists --no-owner`` on PostgreSQL; the backup API again on SQLite) and replaces
``MEDIA_ROOT`` with the backup's files. The engine must match. Run from the command line:
``make backup`` and ``make restore FILE=backups/...tar``.
"""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that could not be made; the message is Swedish."""


def _engine() -> str:
    return connection.vendor  # "postgresql" or "sqlite"


def _pg_env() -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore and the environment with the password."""
    config = connection.settings_dict
    args = ["-h", config.get("HOST") or "127.0.0.1", "-p", str(config.get("PORT") or 5432)]
    if config.get("USER"):
        args += ["-U", config["USER"]]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} misslyckades: {result.stderr.strip()}")


def _dump_database(target: Path) -> str:
    """Write the database into ``target`` (a folder); the name of the file written."""
    if _engine() == "postgresql":
        args, env = _pg_env()
        path = target / POSTGRES_DUMP
        _run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                *args,
                "-f",
                str(path),
                connection.settings_dict["NAME"],
            ],
            env,
        )
        return POSTGRES_DUMP
    if _engine() == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target / SQLITE_COPY)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return SQLITE_COPY
    raise BackupError(f"Databasen {_engine()} kan inte säkerhetskopieras med det här kommandot.")


def _add_media(archive: tarfile.TarFile) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.add(path, arcname=f"media/{path.relative_to(root).as_posix()}")
                count += 1
    return count


def backup(directory: Path) -> Path:
    """Make a backup in ``directory``; the path of the tar file."""
    directory.mkdir(parents=True, exist_ok=True)
    name = Path(str(connection.settings_dict["NAME"])).name.replace(".", "-") or "databas"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"nämndrapport-{name}-{stamp}.tar"
    with tempfile.TemporaryDirectory() as scratch:
        database_file = _dump_database(Path(scratch))
        migrations = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        )
        with tarfile.open(path, "w") as archive:
            archive.add(Path(scratch) / database_file, arcname=database_file)
            files = _add_media(archive)
            manifest = {
                "engine": _engine(),
                "database_file": database_file,
                "created": timezone.now().isoformat(),
                "media_files": files,
                "migrations": migrations,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path) as archive:
            return json.load(archive.extractfile(MANIFEST))
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError, TypeError) as error:
        raise BackupError(f"{path} är ingen säkerhetskopia från Nämndrapport ({error}).") from None


def restore(path: Path) -> dict:
    """Put the backup at ``path`` back: the database the settings name, and MEDIA_ROOT."""
    manifest = read_manifest(path)
    if manifest["engine"] != _engine():
        raise BackupError(
            f"Säkerhetskopian är från {manifest['engine']}, men databasen är {_engine()}."
        )
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(path) as archive:
        archive.extractall(scratch, filter="data")
        database_file = Path(scratch) / manifest["database_file"]
        connection.close()
        if _engine() == "postgresql":
            args, env = _pg_env()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--exit-on-error",
                    "--single-transaction",
                    *args,
                    "-d",
                    connection.settings_dict["NAME"],
                    str(database_file),
                ],
                env,
            )
        else:
            source = sqlite3.connect(database_file)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        media = Path(scratch) / "media"
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            shutil.rmtree(root)
        if media.is_dir():
            shutil.copytree(media, root)
    return manifest
