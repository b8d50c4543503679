import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from reporting.models import FailedLogin
from tests.factories import make_user

PROJECT = Path(__file__).resolve().parents[2]


def attempt(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client, db, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    make_user("anna")
    for _ in range(5):
        response = attempt(client, "anna", "fel")
        assert response.status_code == 200
    response = attempt(client, "anna", "lösenord-för-test")
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_earlier_failures(client, db):
    make_user("anna")
    for _ in range(3):
        attempt(client, "anna", "fel")
    response = attempt(client, "anna", "lösenord-för-test")
    assert response.status_code == 302
    assert not FailedLogin.objects.filter(username="anna").exists()


def test_failures_on_other_names_from_one_address_lock_that_address(client, db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_user("anna")
    for n in range(8):
        attempt(client, f"gissning{n}", "fel")
    response = attempt(client, "anna", "lösenord-för-test")
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_the_admin_login_is_throttled_too(client, db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_user("anna")
    for _ in range(2):
        attempt(client, "anna", "fel", reverse("admin:login"))
    response = attempt(client, "anna", "lösenord-för-test", reverse("admin:login"))
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "rapport.example.se",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_development_secret_key():
    env = {**os.environ, "DJANGO_DEBUG": "false"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
