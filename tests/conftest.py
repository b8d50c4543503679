import os

import pytest
from django.contrib.auth import get_user_model
from hypothesis import settings as hypothesis_settings

from reporting.models import Role

from .factories import make_board, make_report, make_user

# Property-based tests: a few hundred examples in `make test`, thousands in `make soak`.
hypothesis_settings.register_profile("default", max_examples=200, deadline=None)
hypothesis_settings.register_profile("soak", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs ~0.6 s per user; tests need working passwords, not slow ones."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def board(db):
    return make_board()


@pytest.fixture
def other_board(db):
    return make_board("Äldrenämnden")


@pytest.fixture
def report(board):
    return make_report(board)


@pytest.fixture
def editor(board):
    return make_user("handlaggare", board=board, role=Role.EDITOR)


@pytest.fixture
def approver(board):
    return make_user("chef", board=board, role=Role.APPROVER)


@pytest.fixture
def administrator(board):
    return make_user("sekreterare", board=board, role=Role.ADMINISTRATOR)


@pytest.fixture
def reader(board):
    return make_user("ledamot", board=board, role=Role.READER)


@pytest.fixture
def outsider(other_board):
    return make_user("utomstaende", board=other_board, role=Role.EDITOR)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        username="admin", password="lösenord-för-test", email=""
    )


@pytest.fixture(autouse=True)
def no_cached_documents():
    """Every test starts without the report page's rendered documents of earlier tests (keyed
    by data and templates, they could not be wrong, but a test may patch the renderer)."""
    from django.core.cache import caches

    caches["documents"].clear()


@pytest.fixture(autouse=True)
def tasks_run_immediately(settings):
    """Background tasks run inside the request in tests; a test that needs the queue and a
    worker sets the database backend itself (see ``tests/reporting/test_rendered.py``)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
