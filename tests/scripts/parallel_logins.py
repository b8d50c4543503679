"""Fire wrong passwords for one user name from several threads at once; print how many password
checks ran and the status codes. Run by tests/reporting/test_security.py."""

import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.backends import ModelBackend  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

setup_test_environment()
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
username, guesses = sys.argv[1], int(sys.argv[2])
checks = []
lock = threading.Lock()
original = ModelBackend.authenticate


def counting(self, request, username=None, password=None, **kwargs):
    with lock:
        checks.append(username)
    time.sleep(0.02)  # widen the window between the check and the recorded failure
    return original(self, request, username, password, **kwargs)


ModelBackend.authenticate = counting


def guess(n: int) -> int:
    try:
        response = Client().post(reverse("login"), {"username": username, "password": f"fel{n}"})
        return response.status_code
    finally:
        connection.close()


with ThreadPoolExecutor(max_workers=8) as pool:
    statuses = list(pool.map(guess, range(guesses)))
print(json.dumps({"checks": len(checks), "statuses": statuses}))
