"""The login policy: django-axes configured for this application.

django-axes counts failed logins (``axes.AccessAttempt``) and refuses further attempts once a
combination of **normalised user name and client address** has failed ``AXES_FAILURE_LIMIT``
times within ``AXES_COOLOFF_TIME``; the site's login and the admin's login share that policy
because both go through Django's ``authenticate()``. This module holds what axes asks us for:

- ``normalised_username``: NFKC and case-folded, so that ``ａｎｎａ`` and ``ANNA`` count as
  ``anna`` (Django's own login form already applies NFKC before it looks the user up);
- ``client_address``: ``REMOTE_ADDR``, or, only when ``settings.TRUSTED_PROXY_COUNT`` says that
  many proxies stand in front of the application, the address our own proxy wrote into
  ``X-Forwarded-For`` (the entry that many places from the right: anything further left was sent
  by the client and can be forged);
- the login forms, which take a lock per user name around checking the count, checking the
  password and recording a failure, so that parallel guesses are counted one after another.

A failed login at the admin by a person who typed the right password but is not staff is not a
failure of the password and is not counted. To lift a lockout: ``python manage.py
axes_reset_username anna`` (or ``axes_reset`` for all), or delete the row under "Åtkomstförsök"
in the admin.
"""

import hashlib
import ipaddress
import unicodedata
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection, transaction

USERNAME_LENGTH = 255  # axes.AccessAttempt.username


def normalise(username: str | None) -> str:
    """The user name as the lock-out counts it: NFKC, case-folded, without outer spaces."""
    text = unicodedata.normalize("NFKC", username or "").strip()
    return unicodedata.normalize("NFKC", text.casefold())[:USERNAME_LENGTH]


def normalised_username(request, credentials) -> str:
    """``AXES_USERNAME_CALLABLE``: the normalised user name of a login attempt."""
    name = (credentials or {}).get("username")
    if name is None and request is not None:
        name = request.POST.get("username", "")
    return normalise(name)


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """``AXES_CLIENT_IP_CALLABLE``: the client's address, trusting a forwarded header only as far
    as ``settings.TRUSTED_PROXY_COUNT`` proxies of our own have written it."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part.strip() for part in forwarded if part.strip()]
        if len(forwarded) >= proxies:
            address = _valid_address(forwarded[-proxies])
            if address:
                return address
    return _valid_address(remote) or remote or None


def _lock_key(username: str) -> int:
    digest = hashlib.sha256(("login:" + username).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def login_gate(username: str):
    """One attempt at a time per user name: a transaction that holds a lock on the name.

    On PostgreSQL a transaction-scoped advisory lock; on SQLite the transaction itself takes the
    database's write lock when it begins (``transaction_mode = IMMEDIATE`` in the settings)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(username)])
        yield


class GatedLoginMixin:
    """Checks the count, the password and records a failure under ``login_gate``."""

    def clean(self):
        error = None
        with login_gate(normalise(self.data.get("username"))):
            try:
                cleaned = super().clean()
            except forms.ValidationError as refused:
                error = refused  # leave the transaction normally, so the failure is kept
        if error is not None:
            raise error
        return cleaned


class LoginForm(GatedLoginMixin, AuthenticationForm):
    """The site's login form."""


class AdminLoginForm(GatedLoginMixin, AdminAuthenticationForm):
    """The admin's login form."""
