"""Helpers for tests that need several real database connections at once.

An in-memory SQLite test database cannot be shared by threads that each write (shared-cache mode
answers "table is locked" instead of waiting), so such tests run their clients in a subprocess
against a file copy of the test database (SQLite's online backup API) or, on PostgreSQL, against
the test database itself (the test must use ``django_db(transaction=True)`` so that its rows are
committed and visible to other connections).
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection

PROJECT = Path(__file__).resolve().parents[1]


def database_url(tmp_path: Path) -> str:
    """A DATABASE_URL with which another process sees the test database as it is now."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = tmp_path / "copy.sqlite3"
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return f"sqlite:///{target}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def run_script(name: str, url: str, *args: str, timeout: int = 120) -> str:
    """Run ``tests/scripts/<name>.py`` with the database at ``url``; its stdout."""
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, str(PROJECT / "tests" / "scripts" / f"{name}.py"), *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
