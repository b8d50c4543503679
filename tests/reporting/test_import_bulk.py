"""The first import writes in bulk (issue 13): a fixed number of queries for the demo instead
of one (and one history row) per row, and the audit trail still records every created row
with its user and the reason "import"."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.assemble import build_report_data
from reporting.history import AuditedManager, acting_user
from reporting.interchange import import_report, to_json
from tests.factories import make_user
from tests.interchange_helpers import canonical, numbers

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"
# Row by row this was 925 queries (a row and its history row each time).
# The economy's subsections, adjustment kinds and given totals added 8 (7 on PostgreSQL).
FIRST_IMPORT = {"sqlite": 95, "postgresql": 91}


@pytest.fixture
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def audited_models():
    for app in ("reporting", "goals", "indicators", "budget"):
        for model in apps.get_app_config(app).get_models():
            if isinstance(model._default_manager, AuditedManager) and hasattr(model, "history"):
                yield model


@pytest.mark.django_db
def test_the_first_import_of_the_demo_costs_a_fixed_number_of_queries(example):
    with CaptureQueriesContext(connection) as captured:
        report = import_report(example)

    assert len(captured) == FIRST_IMPORT[connection.vendor]
    assert numbers(to_json(build_report_data(report))) == canonical(example)


@pytest.mark.django_db
def test_every_row_the_bulk_import_creates_has_its_history_with_user_and_reason(example):
    person = make_user("importor")
    with acting_user(person, reason="import"):
        import_report(example)

    written = 0
    for model in audited_models():
        rows = model.objects.count()
        if not rows:
            continue
        created = model.history.filter(history_type="+")
        assert created.count() == rows, model._meta.label
        assert set(created.values_list("history_user", "history_change_reason").distinct()) == {
            (person.pk, "import")
        }, model._meta.label
        written += rows
    assert written > 400  # every row of the demo's report and plan
