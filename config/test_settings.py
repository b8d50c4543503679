"""The settings the test suite runs with: the development settings (``DJANGO_DEBUG=true``)
unless the environment says otherwise; pytest-django then turns DEBUG off while tests run.
Subprocesses started by tests inherit DJANGO_DEBUG through the environment."""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")

from .settings import *  # noqa: E402, F403
