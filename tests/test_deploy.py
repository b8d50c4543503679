"""The deployment configuration: ``gunicorn.conf.py`` starts the app with its settings, and
responses are compressed (docs/deploy.md)."""

import gzip
import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


def read_config(**env) -> dict:
    """The values gunicorn.conf.py sets, with ``env`` in the environment."""
    values: dict = {}
    saved = os.environ.copy()
    os.environ.update(env)
    try:
        exec((ROOT / "gunicorn.conf.py").read_text(), values)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return values


def test_gunicorn_is_sized_for_the_machine_and_overridable():
    config = read_config()
    assert config["workers"] == 2 * (os.cpu_count() or 1)
    assert config["worker_class"] == "sync"
    assert config["timeout"] == 30
    assert config["max_requests"] > 0 and config["preload_app"] is True
    assert config["wsgi_app"] == "config.wsgi:application"
    changed = read_config(GUNICORN_WORKERS="4", GUNICORN_BIND="127.0.0.1:9999")
    assert (changed["workers"], changed["bind"]) == (4, "127.0.0.1:9999")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_serves_the_app_with_production_settings(tmp_path):
    port = free_port()
    env = os.environ | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-only-" + "k" * 50,
        "DJANGO_BEHIND_PROXY": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "/dev/null",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(150):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request(
                    "GET",
                    "/login/",
                    headers={"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"},
                )
                response = connection.getresponse()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(
                server.stderr.read1().decode() if server.poll() is not None else "no answer"
            )
        body = response.read()
        assert response.status == 200
        assert response.getheader("Content-Encoding") == "gzip"
        assert "Logga in" in gzip.decompress(body).decode()
        assert response.getheader("Strict-Transport-Security")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_pages_are_compressed_for_a_browser_that_asks(db, reader, report):
    client = Client()
    client.force_login(reader)
    plain = client.get(f"/rapporter/{report.pk}/")
    packed = client.get(f"/rapporter/{report.pk}/", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert report.board.name in gzip.decompress(packed.content).decode()
    assert len(packed.content) < len(plain.content) / 2
