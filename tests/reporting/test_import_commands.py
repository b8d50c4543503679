import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from reporting.assemble import build_report_data
from reporting.interchange import to_json
from reporting.models import Municipality, Report
from tests.reporting.test_interchange import EXAMPLE, TERTIAL, counts, load

INDICATOR_3 = "direction_goals[0].area_goals[0].indicators[3]"


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """manage.py in its own process, as a person runs it."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def import_command(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_report", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, document, name: str = "rapport.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_command_prints_a_swedish_summary(db):
    out, err = import_command(EXAMPLE)
    assert out.strip() == (
        "Importerade Socialnämnden, Verksamhetsberättelse 2019: 3 inriktningsmål, "
        "12 mål för verksamhetsområdet, 16 nämndmål, 52 indikatorer, 81 aktiviteter."
    )
    assert err == ""


def test_import_command_summarises_a_tertial_report(db):
    out, _ = import_command(TERTIAL)
    assert out.strip() == (
        "Importerade Äldrenämnden, Tertialrapport 1 2024: 2 inriktningsmål, "
        "3 mål för verksamhetsområdet, 3 nämndmål, 9 indikatorer, 6 aktiviteter."
    )


def broken_example(change) -> dict:
    document = load(EXAMPLE)
    change(document)
    return document


BROKEN_FILES = {
    "not JSON": ('{"year": 2019,,}', "rad 1, kolumn 15: inte giltig JSON: förväntade ett"),
    "a required key missing": (
        broken_example(lambda d: d.pop("period")),
        "period: saknas men är obligatorisk",
    ),
    "an object where a number belongs": (
        broken_example(
            lambda d: d["direction_goals"][0]["area_goals"][0]["indicators"][3].update(
                outcome={"total": 3}
            )
        ),
        f"{INDICATOR_3}.outcome: förväntade ett tal, en text eller null, fick ett objekt",
    ),
}


@pytest.mark.parametrize("content, message", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_import_command_refuses_a_broken_file_and_writes_nothing(db, tmp_path, content, message):
    import_command(EXAMPLE)
    path = tmp_path / "trasig.json"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        write(tmp_path, content, path.name)
    before = counts()
    err = StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(path), stdout=StringIO(), stderr=err)

    assert message in err.getvalue().splitlines()[0]
    assert str(refused.value) == f"{path}: inget importerades (1 fel)."
    assert counts() == before


def test_import_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="finns-inte.json: filen finns inte."):
        import_command(tmp_path / "finns-inte.json")


@pytest.mark.parametrize(
    "content, message",
    [*BROKEN_FILES.values(), (None, "saknas.json: filen finns inte.")],
    ids=[*BROKEN_FILES.keys(), "no such file"],
)
def test_import_command_exits_with_1_and_no_traceback(tmp_path, content, message):
    if content is None:
        path = tmp_path / "saknas.json"
    elif isinstance(content, str):
        path = tmp_path / "trasig.json"
        path.write_text(content, encoding="utf-8")
    else:
        path = write(tmp_path, content)
    # An empty database without tables: any attempt to write would fail loudly.
    empty = {"DATABASE_URL": f"sqlite:///{tmp_path / 'tom.sqlite3'}"}

    result = run("import_report", str(path), "--skip-checks", env=empty)

    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert message in result.stderr
    assert result.stdout == ""


def test_commands_import_and_export_end_to_end(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.sqlite3'}"}
    assert run("migrate", "--noinput", env=env).returncode == 0

    imported = run("import_report", str(TERTIAL), env=env)
    exported = run(
        "export_report", "--board", "Äldrenämnden", "--year", "2024", "--period", "T1", env=env
    )
    missing = run(
        "export_report", "--board", "Äldrenämnden", "--year", "2023", "--period", "T1", env=env
    )

    assert imported.returncode == 0 and "Äldrenämnden, Tertialrapport 1 2024" in imported.stdout
    assert exported.returncode == 0
    assert json.loads(exported.stdout)["organisation"]["board"] == "Äldrenämnden"
    assert missing.returncode == 1
    assert "Det finns ingen rapport för Äldrenämnden, T1 2023." in missing.stderr
    assert "Traceback" not in missing.stderr


def test_export_command_writes_the_document_to_stdout(db):
    import_command(EXAMPLE)
    out = StringIO()

    call_command(
        "export_report", "--board", "Socialnämnden", "--year", "2019", "--period", "VB", stdout=out
    )

    text = out.getvalue()
    assert json.loads(text) == to_json(build_report_data(Report.objects.get()))
    assert '  "organisation": {\n    "municipality": "Stockholms stad"' in text  # indent=2
    assert "Socialnämnden" in text  # not \u00e4


def test_export_command_writes_a_file_with_o(db, tmp_path):
    import_command(TERTIAL)
    target = tmp_path / "ut.json"

    call_command(
        "export_report",
        *("--board", "Äldrenämnden", "--year", "2024", "--period", "T1", "-o", str(target)),
        stdout=StringIO(),
    )

    assert json.loads(target.read_text(encoding="utf-8"))["period"] == "T1"


def test_export_command_finds_a_units_report(db, tmp_path):
    document = load(TERTIAL)
    document["organisation"]["unit"] = "Hemtjänstenheten Söder"
    import_command(write(tmp_path, document))
    out = StringIO()
    arguments = ("--board", "Äldrenämnden", "--year", "2024", "--period", "T1")

    call_command("export_report", *arguments, "--unit", "Hemtjänstenheten Söder", stdout=out)

    assert json.loads(out.getvalue())["organisation"]["unit"] == "Hemtjänstenheten Söder"
    with pytest.raises(CommandError, match="ingen rapport för Äldrenämnden, T1 2024"):
        call_command("export_report", *arguments, stdout=StringIO())  # the board's own: none


def test_export_command_asks_for_the_municipality_when_two_boards_share_a_name(db, tmp_path):
    import_command(TERTIAL)
    document = load(TERTIAL)
    document["organisation"]["municipality"] = "Göteborgs stad"
    import_command(write(tmp_path, document))
    arguments = ("--board", "Äldrenämnden", "--year", "2024", "--period", "T1")

    with pytest.raises(CommandError, match="ange --municipality"):
        call_command("export_report", *arguments, stdout=StringIO())
    out = StringIO()
    call_command("export_report", *arguments, "--municipality", "Göteborgs stad", stdout=out)

    assert json.loads(out.getvalue())["organisation"]["municipality"] == "Göteborgs stad"
    assert Municipality.objects.count() == 2


def test_import_command_records_the_named_user_in_the_history(db):
    from goals.models import GoalAssessment
    from tests.factories import make_user

    person = make_user("sekreterare")
    call_command("import_report", str(TERTIAL), "--user", "sekreterare", stdout=StringIO())
    entries = GoalAssessment.history.all()
    assert entries.exists() and {e.history_user for e in entries} == {person}


def test_import_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="ingen användare"):
        call_command("import_report", str(TERTIAL), "--user", "okand", stdout=StringIO())
    assert not Report.objects.exists()
