"""Backup and restore (issue 14): a backup restored into a fresh database gives back every
report's export, every frozen version's SHA-256, the audit trail and the stored files, exactly.

It runs on the database the suite runs on: SQLite (the online backup API) locally, PostgreSQL
(pg_dump -Fc / pg_restore) in CI."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from reporting.interchange import import_report
from reporting.models import Report, ReportEvent, ReportVersion
from tests.concurrency import PROJECT
from tests.factories import make_user
from tests.reporting.test_interchange import EXAMPLE, load
from tests.scripts.fingerprint import fingerprint


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def fresh_database(tmp_path):
    """A DATABASE_URL of an empty database of the suite's own kind."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'återställd.sqlite3'}"
        return
    config = connection.settings_dict
    name = f"nr_restore_{uuid.uuid4().hex[:10]}"
    args = ["-h", config.get("HOST") or "127.0.0.1", "-p", str(config.get("PORT") or 5432)]
    if config.get("USER"):
        args += ["-U", config["USER"]]
    env = {**os.environ, "PGPASSWORD": config.get("PASSWORD") or ""}
    subprocess.run(["createdb", *args, name], env=env, check=True)
    user = config.get("USER") or ""
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    try:
        yield f"postgres://{user}{password}@{args[1]}:{args[3]}/{name}"
    finally:
        subprocess.run(["dropdb", "--if-exists", *args, name], env=env, check=False)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_gives_back_everything(
    tmp_path, settings, fresh_database
):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "pdf").mkdir(parents=True)
    (settings.MEDIA_ROOT / "pdf" / "rapport.pdf").write_bytes(b"%PDF-1.7 lagrad fil")
    report = import_report(load(EXAMPLE))
    approver = make_user("chef")
    ReportEvent.objects.create(
        report=report, from_status="draft", to_status="submitted", user=approver
    )
    data, pdf = json.dumps({"rapport": report.pk}), b"%PDF-1.7 godk\xe4nd"
    ReportVersion.objects.create(
        report=report,
        number=1,
        approved_by=approver,
        data=data,
        data_sha256=hashlib.sha256(data.encode()).hexdigest(),
        pdf=pdf,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
    )
    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)
    before = fingerprint()
    assert before["versions"] and before["events"]["rows"] == 1
    assert sum(h["rows"] for h in before["history"].values()) > 100
    assert before["files"]

    call_command("backup_data", directory=str(tmp_path / "backups"), stdout=StringIO())
    [backup] = list((tmp_path / "backups").glob("*.tar"))
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    engine_file = "database.dump" if connection.vendor == "postgresql" else "database.sqlite3"
    assert {"manifest.json", engine_file, "media/pdf/rapport.pdf"} <= set(names)

    restored_media = tmp_path / "återställda-filer"
    env = {"DATABASE_URL": fresh_database, "DJANGO_MEDIA_ROOT": str(restored_media)}
    manage("restore_data", str(backup), "--noinput", env=env)
    script = PROJECT / "tests" / "scripts" / "fingerprint.py"
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    after = json.loads(result.stdout)
    assert after == json.loads(json.dumps(before, ensure_ascii=False, default=str))


def test_a_backup_of_another_engine_is_refused(tmp_path):
    path = tmp_path / "fel.tar"
    manifest = json.dumps({"engine": "oracle", "database_file": "x", "created": "nu"}).encode()
    with tarfile.open(path, "w") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    with pytest.raises(CommandError, match="Säkerhetskopian är från oracle"):
        call_command("restore_data", str(path), "--noinput")
