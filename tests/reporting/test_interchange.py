import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from jsonschema import Draft202012Validator, FormatChecker

from budget.models import AdjustmentKind, GivenTotals
from goals.models import Activity, ActivityFollowUp, BoardGoal, GoalAssessment
from indicators.models import Indicator, IndicatorTarget, IndicatorValue
from reporting.assemble import build_report_data
from reporting.interchange import InvalidDocument, import_report, parse, to_json, validate
from reporting.models import Report
from tests.interchange_helpers import canonical, numbers

EXAMPLE = Path(settings.BASE_DIR) / "fixtures" / "example-vb-2019-socialnamnden.json"
TERTIAL = Path(__file__).parent.parent / "data" / "t1-2024-aldrenamnden.json"
SCHEMA = json.loads(settings.INTERCHANGE_SCHEMA.read_text(encoding="utf-8"))
FIGURES = (
    "outcome",
    "outcome_men",
    "outcome_women",
    "previous_outcome",
    "forecast",
    "annual_target",
    "kf_annual_target",
)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def export(report: Report) -> dict:
    return to_json(build_report_data(report))


def counts() -> dict[str, int]:
    """The number of rows of every model of the project's apps."""
    return {
        model._meta.label: model.objects.count()
        for app in ("reporting", "goals", "indicators", "budget")
        for model in apps.get_app_config(app).get_models()
    }


class Writes:
    """Every save and delete of a model instance: what a signal-based audit history sees."""

    def __init__(self) -> None:
        self.saved: list = []
        self.deleted: list = []

    def __enter__(self) -> "Writes":
        post_save.connect(self.on_save)
        post_delete.connect(self.on_delete)
        return self

    def __exit__(self, *exc) -> None:
        post_save.disconnect(self.on_save)
        post_delete.disconnect(self.on_delete)

    def on_save(self, sender, instance, **kwargs) -> None:
        self.saved.append(instance)

    def on_delete(self, sender, instance, **kwargs) -> None:
        self.deleted.append(instance)


@pytest.fixture
def example() -> dict:
    return load(EXAMPLE)


@pytest.fixture
def tertial() -> dict:
    return load(TERTIAL)


def area_goal(document: dict, d: int = 0, a: int = 0) -> dict:
    return document["direction_goals"][d]["area_goals"][a]


# -- round trip -----------------------------------------------------------------------------


def test_export_of_the_imported_example_equals_the_input_up_to_normalisation(db, example):
    report = import_report(example)
    assert numbers(export(report)) == canonical(example)


def test_every_part_of_the_example_survives_import_and_export(db, example):
    exported, expected = numbers(export(import_report(example))), canonical(example)
    seen = {"goals": 0, "figures": 0, "activities": 0, "economy rows": 0, "texts": 0}

    def same_items(got: dict, want: dict, keys, what: str) -> None:
        for key in keys:
            assert got[key] == want[key], f"{what}: {key}"

    def same_goal_items(got: dict, want: dict) -> None:
        assert len(got["indicators"]) == len(want["indicators"])
        for got_i, want_i in zip(got["indicators"], want["indicators"], strict=True):
            same_items(got_i, want_i, ("name", "kind", "unit", "period_label"), want_i["name"])
            same_items(got_i, want_i, FIGURES, want_i["name"])
            same_items(got_i, want_i, ("analysis",), want_i["name"])
            seen["figures"] += len(FIGURES)
        for got_a, want_a in zip(got["activities"], want["activities"], strict=True):
            same_items(got_a, want_a, want_a.keys(), want_a["title"])
            seen["activities"] += 1

    for got_d, want_d in zip(exported["direction_goals"], expected["direction_goals"], strict=True):
        same_items(got_d, want_d, ("number", "title", "assessment", "analysis"), want_d["number"])
        seen["goals"] += 1
        for got_a, want_a in zip(got_d["area_goals"], want_d["area_goals"], strict=True):
            same_items(got_a, want_a, ("number", "title", "assessment", "analysis"), "area goal")
            same_goal_items(got_a, want_a)
            seen["goals"] += 1
            for got_b, want_b in zip(got_a["board_goals"], want_a["board_goals"], strict=True):
                keys = ("number", "title", "assessment", "description", "expected_results")
                same_items(got_b, want_b, (*keys, "analysis"), want_b["number"])
                same_goal_items(got_b, want_b)
                seen["goals"] += 1

    economy, want_economy = exported["economy"], expected["economy"]
    for key in ("operating_budget", "income_statement", "investments", "tables"):
        assert len(economy[key]) == len(want_economy[key])
        for got_row, want_row in zip(economy[key], want_economy[key], strict=True):
            same_items(got_row, want_row, want_row.keys(), key)
            seen["economy rows"] += 1

    assert exported["summary"] == expected["summary"]
    assert economy["analysis"] == want_economy["analysis"]
    assert exported["internal_control"] == expected["internal_control"]
    for got_s, want_s in zip(exported["other_sections"], expected["other_sections"], strict=True):
        assert got_s == want_s
        seen["texts"] += 1
    same_items(
        exported["cover"], expected["cover"], SCHEMA["properties"]["cover"]["properties"], ""
    )
    assert exported["anomalies"] == expected["anomalies"]

    # 3 direction goals, 12 area goals, 16 board goals; 52 indicators; 81 activities
    assert seen == {
        "goals": 31,
        "figures": 52 * len(FIGURES),
        "activities": 81,
        "economy rows": 10 + 10 + 7,
        "texts": 2,
    }
    assert IndicatorValue.objects.count() == 52
    assert ActivityFollowUp.objects.count() == 81


def test_tertial_report_survives_import_and_export(db, tertial):
    report = import_report(tertial)
    exported = export(report)

    assert numbers(exported) == canonical(tertial)
    assert (report.board.name, report.period, report.year) == ("Äldrenämnden", "T1", 2024)
    indicators = area_goal(exported)["indicators"]
    assert indicators[1]["annual_target"] == "Tas fram av nämnden"
    assert indicators[2]["kf_annual_target"] == "Fastställs 2024"
    assert indicators[0]["outcome"] is None and indicators[0]["forecast"] == 88
    assert exported["economy"]["operating_budget"][1]["outcome"] is None  # absent in the file
    assert exported["economy"]["tables"][0]["rows"][1]["is_total"] is False  # absent in the file
    assert exported["internal_control"]["assessment"] == "Delvis tillräcklig"
    statuses = {a.status for a in ActivityFollowUp.objects.all()}
    assert statuses == {"completed", "ongoing", "not_started", "cancelled", ""}


def test_unit_report_with_commitments_survives_import_and_export(db, tertial):
    document = copy.deepcopy(tertial)
    document["organisation"]["unit"] = "Hemtjänstenheten Söder"
    board_goal = area_goal(document)["board_goals"][0]
    board_goal["commitments"] = [
        {
            "title": "Vi åtar oss att öka kontinuiteten i hemtjänsten",
            "assessment": "partial",
            "expected_results": ["Färre personal per brukare."],
            "analysis": "Arbetet pågår.",
            "indicators": [{"name": "Antal personal per brukare", "unit": "st", "outcome": 12}],
            "activities": [{"title": "Se över planeringen", "status": "ongoing"}],
        },
        {"title": "Vi åtar oss att informera om valfrihet"},
    ]

    report = import_report(document)

    assert report.unit.name == "Hemtjänstenheten Söder"
    assert numbers(export(report)) == canonical(document)


def test_exported_documents_validate_against_the_schema(db, example, tertial):
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    for document in (example, tertial):
        exported = export(import_report(document))
        assert list(validator.iter_errors(exported)) == []
        assert validate(exported) == []
        assert set(exported) == set(SCHEMA["properties"])  # every key, even the empty ones


def test_numbers_are_exported_in_their_shortest_form(db, example):
    exported = export(import_report(example))

    budget = exported["economy"]["operating_budget"][0]["budget"]  # 88.0 in the file
    outcome = area_goal(exported)["indicators"][0]["outcome"]  # 0.03 in the file
    assert (budget, type(budget)) == (88, int)
    assert (outcome, type(outcome)) == (0.03, float)
    assert '"budget": 88,' in json.dumps(exported)


# -- re-import ------------------------------------------------------------------------------


def test_importing_twice_duplicates_nothing_and_saves_nothing(db, example):
    import_report(example)
    before = counts()

    with Writes() as writes:
        report = import_report(copy.deepcopy(example))

    assert counts() == before
    assert writes.saved == [] and writes.deleted == []
    assert numbers(export(report)) == canonical(example)


def test_changed_reimport_updates_through_save_and_delete(db, example):
    import_report(example)
    changed = copy.deepcopy(example)
    indicators = area_goal(changed)["indicators"]
    indicators[0]["outcome"] = 0.05
    removed = indicators.pop(1)
    before = counts()

    with Writes() as writes:
        report = import_report(changed)

    assert numbers(export(report)) == canonical(changed)
    after = counts()
    assert after["indicators.IndicatorValue"] == before["indicators.IndicatorValue"] - 1
    assert after["indicators.Indicator"] == before["indicators.Indicator"]  # the plan stays
    assert [v.indicator.name for v in writes.deleted] == [removed["name"]]
    value = IndicatorValue.objects.get(report=report, indicator__name=indicators[0]["name"])
    assert value in writes.saved
    assert (value.outcome, value.version) == (Decimal("0.05"), 2)


def _locate(document: dict, path: str) -> tuple:
    """The container and key of ``path`` (``a.b[0].c``) in ``document``."""
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    target = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    return target, int(last) if last.isdigit() else last


def drop(path: str):
    """A change that removes what is at ``path`` from a document."""

    def change(document: dict) -> None:
        target, key = _locate(document, path)
        del target[key]

    return change


def put(path: str, value):
    """A change that sets what is at ``path`` to ``value``."""

    def change(document: dict) -> None:
        target, key = _locate(document, path)
        target[key] = value

    return change


CHANGES = {
    "an activity removed": drop("direction_goals[0].area_goals[0].activities[0]"),
    "a board goal removed": drop("direction_goals[0].area_goals[1].board_goals[0]"),
    "an area goal removed": drop("direction_goals[2].area_goals[0]"),
    "a text target": put("direction_goals[0].area_goals[0].indicators[0].annual_target", "öka"),
    "a board goal retitled": put(
        "direction_goals[0].area_goals[1].board_goals[0].title", "Ny titel"
    ),
    "an operating area removed": drop("economy.operating_budget[0]"),
    "an adjustment removed": drop("economy.operating_budget[6].adjustments[0]"),
    "an adjustment added": put(
        "economy.operating_budget[0].adjustments", [{"label": "Justering", "amount": 1.5}]
    ),
    "income statement emptied": put("economy.income_statement", []),
    "a table added": put(
        "economy.tables",
        [{"title": "T", "columns": ["a"], "rows": [{"label": "r", "values": [1]}]}],
    ),
    "no economy": put("economy", None),
    "no cover memo": put("cover", None),
    "a proposed decision removed": drop("cover.proposed_decisions[3]"),
    "a signatory added": lambda document: document["cover"]["signatories"].append(
        {"name": "Ny Person", "title": "Avdelningschef"}
    ),
    "no summary": put("summary", None),
    "no internal control": put("internal_control", None),
    "a section removed": drop("other_sections[0]"),
    "no anomalies": put("anomalies", []),
    "administration renamed": put("organisation.administration", "Nya förvaltningen"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_reimport_makes_the_report_equal_the_changed_file(db, example, change):
    import_report(example)
    changed = copy.deepcopy(example)
    change(changed)
    plan = {key: n for key, n in counts().items() if key.split(".")[0] in ("goals", "indicators")}

    report = import_report(changed)

    assert numbers(export(report)) == canonical(changed)
    assert Activity.objects.count() == plan["goals.Activity"]  # the plan is never deleted
    assert BoardGoal.objects.count() >= plan["goals.BoardGoal"]
    assert Indicator.objects.count() == plan["indicators.Indicator"]


def test_another_boards_import_never_changes_the_council_goals_it_reports_a_differing_title(
    db, example
):
    """The council's goals are shared: a file with other titles is reported, not applied."""
    ours = import_report(example)
    theirs = copy.deepcopy(example)
    theirs["organisation"]["board"] = "Äldrenämnden"
    theirs["direction_goals"][0]["title"] = "En annan rubrik"
    theirs["direction_goals"][0]["area_goals"][0]["title"] = "Ett annat mål"
    before = export(ours)

    other = import_report(theirs)

    assert export(ours) == before
    warnings = other.import_warnings
    assert len(warnings) == 2
    number = example["direction_goals"][0]["number"]
    assert (
        f"Inriktningsmål {number} heter ”{example['direction_goals'][0]['title']}”" in warnings[0]
    )
    assert "”En annan rubrik” i filen" in warnings[0]
    assert "rubriken i filen används inte" in warnings[1]
    assert import_report(example).import_warnings == []


def test_reimport_into_a_submitted_report_is_refused_and_changes_nothing(db, example):
    report = import_report(example)
    report.status = Report.Status.SUBMITTED
    report.save()
    before = counts()

    with pytest.raises(InvalidDocument, match="Inskickad för granskning"):
        import_report(example)

    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert counts() == before


def test_reimport_leaves_a_goal_other_reports_use_in_the_plan(db, example):
    import_report(example)
    t2 = copy.deepcopy(example)
    t2["period"] = "T2"
    import_report(t2)
    changed = copy.deepcopy(example)
    removed = area_goal(changed, 1, 0)["board_goals"].pop(0)

    import_report(changed)

    goal = BoardGoal.objects.get(year=2019, number=removed["number"])
    assert GoalAssessment.objects.filter(board_goal=goal, report__period="T2").exists()
    assert not GoalAssessment.objects.filter(board_goal=goal, report__period="VB").exists()


# -- targets, periods and the previous year ----------------------------------------------------


def test_t1_and_t2_of_one_year_keep_each_their_own_target(db, tertial):
    t1 = import_report(tertial)
    t2_document = copy.deepcopy(tertial)
    t2_document["period"] = "T2"
    area_goal(t2_document)["indicators"][2]["annual_target"] = 45
    area_goal(t2_document)["indicators"][1]["kf_annual_target"] = 30.5

    t2 = import_report(t2_document)

    assert numbers(export(t1)) == canonical(tertial)
    assert numbers(export(t2)) == canonical(t2_document)
    assert area_goal(export(t1))["indicators"][2]["annual_target"] == 50
    assert area_goal(export(t2))["indicators"][2]["annual_target"] == 45
    indicator = Indicator.objects.get(name=area_goal(tertial)["indicators"][2]["name"])
    assert sorted(IndicatorTarget.objects.filter(indicator=indicator).values_list("period")) == [
        ("T1",),
        ("T2",),
    ]


def vb_2018(example: dict) -> dict:
    """The example as if it were last year's VB, with other outcomes."""
    document = copy.deepcopy(example)
    document["year"] = 2018
    area_goal(document)["indicators"][0]["outcome"] = 0.07
    area_goal(document)["indicators"][2]["outcome"] = None
    return document


@pytest.mark.parametrize("order", ["2018 first", "2019 first"])
def test_vb_2019_takes_previous_outcome_from_the_imported_vb_2018(db, example, order):
    documents = [vb_2018(example), example]
    if order == "2019 first":
        documents.reverse()
    reports = {document["year"]: import_report(document) for document in documents}

    indicators = area_goal(export(reports[2019]))["indicators"]

    assert indicators[0]["previous_outcome"] == 0.07  # from the 2018 VB, not the file's 0.04
    assert indicators[2]["previous_outcome"] == 14  # 2018 has no outcome: the file's stays
    assert indicators[1]["previous_outcome"] == area_goal(example)["indicators"][1]["outcome"]
    last_year = Indicator.objects.get(year=2018, name=area_goal(example)["indicators"][0]["name"])
    assert last_year.successors.get().year == 2019


# -- broken files ---------------------------------------------------------------------------

INDICATOR_3 = "direction_goals[0].area_goals[0].indicators[3]"

BROKEN = {
    "a required key missing": (
        drop("direction_goals[0].area_goals[0].title"),
        "direction_goals[0].area_goals[0].title: saknas men är obligatorisk",
    ),
    "an unknown assessment": (
        put("direction_goals[0].area_goals[1].assessment", "Uppfylles helt"),
        'direction_goals[0].area_goals[1].assessment: okänt värde "Uppfylles helt"; '
        'tillåtna värden är "full", "partial", "not_met" eller null',
    ),
    "an object where a number belongs": (
        put(f"{INDICATOR_3}.outcome", {"värde": 1}),
        f"{INDICATOR_3}.outcome: förväntade ett tal, en text eller null, fick ett objekt",
    ),
    "a duplicate goal number": (
        put("direction_goals[1].area_goals[0].number", "1.1"),
        'direction_goals[1].area_goals[0].number: målet med nummer "1.1" förekommer redan i '
        "direction_goals[0].area_goals[0]",
    ),
    "a duplicate board goal number in another area goal": (
        put("direction_goals[2].area_goals[0].board_goals[0].number", "1.1.1"),
        "direction_goals[2].area_goals[0].board_goals[0].number: nämndmålet med nummer",
    ),
    "a number too large for its column": (
        put(f"{INDICATOR_3}.forecast", 123456789012345),
        f"{INDICATOR_3}.forecast: talet 123456789012345 är för stort: högst 14 siffror",
    ),
    "an amount too large for its column": (
        put("economy.operating_budget[2].budget", 1e13),
        "economy.operating_budget[2].budget: talet 10000000000000.0 är för stort: högst 12",
    ),
    "too many decimals": (
        put(f"{INDICATOR_3}.outcome_men", 0.1234567),
        f"{INDICATOR_3}.outcome_men: talet 0.1234567 har för många decimaler: högst 6",
    ),
    "an end before the start": (
        put("direction_goals[0].area_goals[0].activities[0].end_date", "2018-12-31"),
        "direction_goals[0].area_goals[0].activities[0].end_date: slutdatum 2018-12-31 ligger "
        "före startdatum 2019-01-01",
    ),
    "a date that does not exist": (
        put("cover.date", "2020-02-30"),
        'cover.date: "2020-02-30" är inte ett giltigt datum (ÅÅÅÅ-MM-DD)',
    ),
    "an unknown key": (
        put(f"{INDICATOR_3}.outcom", 1),
        f"{INDICATOR_3}.outcom: okänd nyckel; tillåtna här är name, kind, unit,",
    ),
    "another format version": (
        put("format_version", 2),
        "format_version: måste vara 1, fick 2",
    ),
    "a year as text": (
        put("year", "2019"),
        'year: förväntade ett heltal, fick en text ("2019")',
    ),
    "a year out of range": (put("year", 1899), "year: året måste ligga mellan 1990 och 2200"),
    "a duplicate indicator in a goal": (
        put(
            "direction_goals[0].area_goals[0].indicators[1].name",
            "Andel personer som har ekonomiskt bistånd i förhållande till befolkningen",
        ),
        "direction_goals[0].area_goals[0].indicators[1].name: indikatorn ",
    ),
    "a duplicate operating area": (
        put("economy.operating_budget[1].area", "Barn och ungdom"),
        'economy.operating_budget[1].area: verksamhetsområdet "Barn och ungdom" förekommer '
        "redan i economy.operating_budget[0]",
    ),
    "a unit text too long": (
        put(f"{INDICATOR_3}.unit", "procent av befolkningen i åldern 18-64"),
        f"{INDICATOR_3}.unit: texten är för lång: 38 tecken, högst 30 får plats",
    ),
    "an unknown internal-control assessment": (
        put("internal_control.assessment", "Ganska bra"),
        'internal_control.assessment: okänd bedömning "Ganska bra"; tillåtna är "Tillräcklig", '
        '"Delvis tillräcklig" eller "Ej tillräcklig"',
    ),
    "a commitment without a unit": (
        put("direction_goals[0].area_goals[0].board_goals[0].commitments", [{"title": "Vi"}]),
        "direction_goals[0].area_goals[0].board_goals[0].commitments[0]: ett åtagande hör till "
        "en enhets rapport, men organisation.unit saknas",
    ),
}


@pytest.mark.parametrize("with_demo", [False, True], ids=["empty database", "demo loaded"])
@pytest.mark.parametrize("change, message", BROKEN.values(), ids=BROKEN.keys())
def test_broken_file_is_refused_with_a_located_message_and_nothing_written(
    db, example, change, message, with_demo
):
    if with_demo:
        demo = import_report(copy.deepcopy(example))
        demo_before = export(demo)
    broken = copy.deepcopy(example)
    change(broken)
    before = counts()

    with pytest.raises(InvalidDocument) as refused:
        import_report(broken)

    assert any(str(problem).startswith(message) for problem in refused.value.problems), [
        str(p) for p in refused.value.problems
    ]
    assert counts() == before
    if with_demo:
        assert export(Report.objects.get()) == demo_before


def test_validation_reports_every_problem_not_only_the_first(example):
    broken = copy.deepcopy(example)
    for change, _ in BROKEN.values():
        change(broken)

    problems = validate(broken)

    found = {p.path for p in problems}
    assert f"{INDICATOR_3}.outcome" in found  # a schema problem
    assert "direction_goals[0].area_goals[0].activities[0].end_date" in found  # a database one
    assert "economy.operating_budget[1].area" in found
    assert len(problems) >= len(BROKEN) - 3  # some changes overwrite each other's place


@pytest.mark.parametrize("document", [[], "rapport", None], ids=["list", "text", "null"])
def test_a_document_that_is_not_an_object_is_refused(db, document):
    before = counts()
    with pytest.raises(InvalidDocument) as refused:
        import_report(document)
    assert str(refused.value).startswith("dokumentet: förväntade ett objekt, fick ")
    assert counts() == before


def test_commitments_with_a_unit_are_accepted(example):
    document = copy.deepcopy(example)
    document["organisation"]["unit"] = "Beställarenheten"
    area_goal(document)["board_goals"][0]["commitments"] = [{"title": "Vi åtar oss"}]
    assert validate(document) == []


# -- normalisation --------------------------------------------------------------------------

MINIMAL = {
    "format_version": 1,
    "organisation": {"municipality": "Stockholms stad", "board": "Äldrenämnden"},
    "year": 2024,
    "period": "T2",
    "direction_goals": [{"number": "1", "title": "En stad som håller ihop"}],
}


def test_a_minimal_document_is_exported_with_every_key():
    assert canonical(MINIMAL)["economy"] is None


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"summary": None, "cover": None, "economy": None, "internal_control": None},
        {"summary": "", "other_sections": [], "anomalies": []},
        {"economy": {}},
        {"economy": {"analysis": "", "operating_budget": [], "tables": []}},
        {"internal_control": {}},
        {"internal_control": {"assessment": None, "analysis": ""}},
        {"organisation": {**MINIMAL["organisation"], "administration": "", "unit": None}},
    ],
    ids=lambda variant: json.dumps(variant, ensure_ascii=False)[:40],
)
def test_absent_null_and_empty_mean_the_same(db, variant):
    report = import_report({**MINIMAL, **variant})
    exported = export(report)
    assert exported == export(import_report(MINIMAL))
    assert (exported["summary"], exported["economy"], exported["internal_control"]) == (
        None,
        None,
        None,
    )


def test_normalised_values_are_exported_in_their_one_spelling(db):
    document = {
        **MINIMAL,
        "internal_control": {"assessment": "delvis TILLRÄCKLIG", "analysis": None},
        "economy": {
            "tables": [{"title": "T", "columns": [], "rows": [{"label": "r", "values": [1.0, ""]}]}]
        },
        "cover": {"signatories": [{"name": "Eva Lind"}]},
    }
    exported = export(import_report(document))

    assert exported["internal_control"]["assessment"] == "Delvis tillräcklig"
    assert exported["economy"]["tables"][0]["rows"][0] == {
        "label": "r",
        "values": [1.0, ""],  # table cells are kept as given
        "is_total": False,
    }
    assert exported["cover"]["signatories"] == [{"name": "Eva Lind", "title": ""}]
    assert exported["cover"]["proposed_decisions"] == []
    assert numbers(exported) == canonical(document)


def test_text_is_stored_exactly_as_given(db):
    text = "  Inledning  \n\n- punkt ett \n- punkt två\n"
    report = import_report({**MINIMAL, "summary": text})
    assert export(report)["summary"] == text


def test_parse_names_line_and_column_of_broken_json():
    with pytest.raises(InvalidDocument) as refused:
        parse('{\n  "year": 2019,\n  "period" "VB"\n}')
    assert [str(p) for p in refused.value.problems] == [
        "rad 3, kolumn 12: inte giltig JSON: förväntade ett kolon"
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        (b"\xff\xfe{}", "rad 1, kolumn 1: filen är inte text i UTF-8 (byte 1 är 0xff)"),
        ('{"year": NaN}', "rad 1, kolumn 10: inte giltig JSON: NaN är inte ett tal i JSON"),
        ("", "rad 1, kolumn 1: inte giltig JSON: förväntade ett värde"),
    ],
)
def test_parse_refuses_what_is_not_json(text, message):
    with pytest.raises(InvalidDocument) as refused:
        parse(text)
    assert str(refused.value) == message


# -- keys added with the year in the app (issue 9): dnr, decimals, frequency, deadline, template


def test_a_document_of_the_earlier_format_still_imports_unchanged(db, example):
    from reporting.interchange.export import FORMAT_VERSION

    new_keys = {"deadline", "template"}
    assert not new_keys & set(example) and "dnr" not in example["cover"]
    indicators = [
        i
        for d in example["direction_goals"]
        for a in d["area_goals"]
        for i in [
            *a.get("indicators", []),
            *(j for b in a.get("board_goals", []) for j in b.get("indicators", [])),
        ]
    ]
    assert indicators and not any({"decimals", "frequency"} & set(i) for i in indicators)
    assert validate(example) == []
    report = import_report(example)
    exported = export(report)
    assert exported["format_version"] == FORMAT_VERSION
    assert numbers(exported) == canonical(example)
    assert exported["cover"]["dnr"] is None and exported["template"] is None
    assert exported["deadline"] is None
    assert {i["frequency"] for i in _indicators_of(exported)} == {"tertial"}
    assert {i["decimals"] for i in _indicators_of(exported)} == {None}


def _indicators_of(document: dict) -> list[dict]:
    found = []
    for direction_goal in document["direction_goals"]:
        for area_goal in direction_goal["area_goals"]:
            found += area_goal["indicators"]
            for board_goal in area_goal["board_goals"]:
                found += board_goal["indicators"]
    return found


def test_dnr_decimals_frequency_direction_deadline_and_template_go_in_and_out(db, example):
    from datetime import date

    from reporting.models import CoverMemo, ReportTemplate

    document = copy.deepcopy(example)
    document["cover"]["dnr"] = "1.2.3-123/2019"
    document["deadline"] = "2020-02-14"
    document["template"] = {
        "name": "VB 2013",
        "sections": ["Bakgrund", "Ärendets beredning", "summary", "goals", "economy", "other"],
        "tertial_wording": "forecast",
        "unassessed_label": "Ingen",
    }
    indicator = document["direction_goals"][0]["area_goals"][0]["indicators"][0]
    indicator.update(decimals=1, frequency="annual", direction="lower_is_better")
    assert validate(document) == []
    report = import_report(document)
    assert CoverMemo.objects.get(report=report).dnr == "1.2.3-123/2019"
    assert report.deadline == date(2020, 2, 14)
    template = ReportTemplate.objects.get(name="VB 2013")
    assert report.template == template and template.board == report.board
    assert template.sections[:2] == ["Bakgrund", "Ärendets beredning"]
    stored = Indicator.objects.get(name=indicator["name"], year=2019, board=report.board)
    assert (stored.decimals, stored.frequency, stored.direction) == (
        1,
        "annual",
        "lower_is_better",
    )
    assert numbers(export(report)) == canonical(document)

    # a second import finds the template by name and changes neither it nor the report's
    document["template"]["tertial_wording"] = "stated"
    import_report(document)
    assert ReportTemplate.objects.count() == 1
    assert ReportTemplate.objects.get().tertial_wording == "forecast"
    # a document without deadline and template leaves the report's own
    import_report(example)
    report.refresh_from_db()
    assert report.deadline == date(2020, 2, 14) and report.template == template


def test_the_new_keys_are_checked(db, example):
    document = copy.deepcopy(example)
    document["cover"]["dnr"] = "x" * 61
    document["template"] = {"name": "", "tertial_wording": "prognos"}
    document["deadline"] = "2020-02-30"
    indicator = document["direction_goals"][0]["area_goals"][0]["indicators"][0]
    indicator.update(decimals=9, frequency="monthly")
    paths = {p.path for p in validate(document)}
    assert {
        "cover.dnr",
        "template.name",
        "template.tertial_wording",
        "deadline",
        "direction_goals[0].area_goals[0].indicators[0].decimals",
        "direction_goals[0].area_goals[0].indicators[0].frequency",
    } <= paths


def test_the_dnr_prints_on_the_memo_and_the_report_and_decimals_on_the_figures(db, example):
    from reporting.render import render_print_html

    document = copy.deepcopy(example)
    document["cover"]["dnr"] = "1.2.3-123/2019"
    indicator = document["direction_goals"][0]["area_goals"][0]["indicators"][0]
    indicator.update(decimals=2, unit="%", outcome=12.5)
    report = import_report(document)
    data = build_report_data(report)
    memo = render_print_html(data, memo_only=True)
    full = render_print_html(data)
    assert "Dnr 1.2.3-123/2019" in memo
    cover = full[full.index('class="report-cover"') :]
    assert "Dnr 1.2.3-123/2019" in cover[: cover.index("</header>")]
    assert "12,50\u00a0%" in full


# -- the economy's printed figures (issue 10): given, given_totals, adjustment_kinds ----------

ECONOMY_ROWS = ("operating_budget", "income_statement", "investments")


def without_printed_figures(document: dict) -> dict:
    """The document as written before the printed figures were in the format."""
    document = copy.deepcopy(document)
    economy = document["economy"]
    economy.pop("given_totals", None)
    economy.pop("adjustment_kinds", None)
    for key in ECONOMY_ROWS:
        for row in economy[key]:
            row.pop("given", None)
    return document


def test_the_demo_carries_the_real_reports_printed_figures_through_import_and_export(db, example):
    economy = example["economy"]
    assert economy["given_totals"]["operating_budget"]["adjusted_deviation"] == 20.3
    exported = export(import_report(example))
    assert numbers(exported) == canonical(example)
    got = exported["economy"]
    assert numbers(got["given_totals"]) == numbers(economy["given_totals"])
    assert got["adjustment_kinds"] == ["Resultatöverföring", "Justering Nyanlända"]
    for key in ECONOMY_ROWS:
        assert [numbers(r.get("given")) for r in got[key]] == [
            numbers(r.get("given")) for r in economy[key]
        ]
    assert GivenTotals.objects.get().operating_budget["budget"] == "1297.1"  # exact, as text


def test_a_document_without_the_printed_figures_exports_unchanged(db, example, tertial):
    for document in (without_printed_figures(example), tertial):
        assert "given_totals" not in document["economy"]
        exported = export(import_report(document))
        assert numbers(exported) == canonical(document)
        economy = exported["economy"]
        assert "given_totals" not in economy and "adjustment_kinds" not in economy
        assert not any("given" in row for key in ECONOMY_ROWS for row in economy[key])


def test_reimport_without_the_printed_figures_drops_them_but_keeps_the_boards_kinds(db, example):
    import_report(example)
    report = import_report(without_printed_figures(example))
    assert not GivenTotals.objects.filter(report=report).exists()
    assert not any(row.given for row in report.operating_budget_rows.all())
    assert not any(row.given for row in report.income_statement_rows.all())
    # the adjustment kinds belong to the board's plan of the year, like its operating areas
    assert list(AdjustmentKind.objects.values_list("label", "position")) == [
        ("Resultatöverföring", 1),
        ("Justering Nyanlända", 2),
    ]
    assert export(report)["economy"]["adjustment_kinds"] == [
        "Resultatöverföring",
        "Justering Nyanlända",
    ]


def test_reimport_with_the_kinds_in_another_order_reorders_them(db, example):
    import_report(example)
    document = copy.deepcopy(example)
    document["economy"]["adjustment_kinds"] = ["justering nyanlända", "Resultatöverföring"]
    export_ = export(import_report(document))
    # matched without regard to case: the board's spelling stays
    assert export_["economy"]["adjustment_kinds"] == ["Justering Nyanlända", "Resultatöverföring"]
    assert AdjustmentKind.objects.count() == 2


def test_the_printed_figures_are_checked(example):
    document = copy.deepcopy(example)
    economy = document["economy"]
    economy["given_totals"]["operating_budget"]["budget"] = "1 297,1"
    economy["given_totals"]["investments"]["total"] = 8
    economy["given_totals"]["income_statement"]["net"]["change"] = 56.123456789
    economy["operating_budget"][0]["given"] = {"deviation": 1e15}
    economy["adjustment_kinds"] = ["Resultatöverföring", "resultatöverföring ", ""]
    paths = {p.path for p in validate(document)}
    assert {
        "economy.given_totals.operating_budget.budget",
        "economy.given_totals.investments.total",
        "economy.given_totals.income_statement.net.change",
        "economy.operating_budget[0].given.deviation",
        "economy.adjustment_kinds[1]",
        "economy.adjustment_kinds[2]",
    } <= paths


# -- the economy's subsections (issue 10) ---------------------------------------------------


def with_subsections(document: dict) -> dict:
    """The example with its economy laid out in subsections: a free table with a total row in
    one of them, the income statement placed in the middle of a text, one without a table."""
    document = copy.deepcopy(document)
    economy = document["economy"]
    economy["analysis"] = "Inledning om ekonomin."
    economy["tables"] = [
        {
            "title": "Återredovisning nyanlända, mnkr",
            "columns": ["Belopp"],
            "rows": [
                {"label": "Försörjningsstöd", "values": [31.4]},
                {"label": "Boenden", "values": [23.8]},
                {"label": "Summa", "values": [55.2], "is_total": True},
            ],
        }
    ]
    economy["subsections"] = [
        {
            "heading": "Analys av resultaträkning",
            "text": "Intäkts- och kostnadsutveckling\n[tabell]\nTabellen visar förändringen.",
            "tables": ["income_statement"],
        },
        {
            "heading": "Uppföljning av driftbudget per verksamhetsområde",
            "text": "Nämnden redovisar ett överskott.",
            "tables": ["operating_budget"],
        },
        {
            "heading": "Återredovisning av medel för nyanlända",
            "text": "Se tabellen.",
            "tables": [0],
        },
        {"heading": "Resultatenheter", "text": "Inte aktuellt."},
        {"heading": "Investeringar", "tables": ["investments"]},
    ]
    return document


def test_subsections_go_in_and_come_out_unchanged(db, example):
    from budget.models import EconomySubsection, EconomyTable, EconomyText

    document = with_subsections(example)
    assert validate(document) == []
    report = import_report(document)
    rows = list(EconomySubsection.objects.filter(report=report).order_by("position"))
    assert [r.heading for r in rows] == [s["heading"] for s in document["economy"]["subsections"]]
    assert rows[2].tables == ["table"]
    assert EconomyTable.objects.get(report=report).subsection == rows[2]
    assert EconomyText.objects.get(report=report).analysis == "Inledning om ekonomin."
    exported = export(report)
    assert numbers(exported) == canonical(document)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(exported)
    with Writes() as writes:
        import_report(document)
    assert writes.saved == [] and writes.deleted == []


def without_subsections(document: dict) -> dict:
    """The example in the format before subsections: the economy's text in one piece."""
    document = copy.deepcopy(document)
    economy = document["economy"]
    parts = [f"{s['heading']}\n\n{s.get('text') or ''}" for s in economy.pop("subsections")]
    economy["analysis"] = "\n\n".join(parts).replace("[tabell]\n\n", "")
    return document


def test_a_file_without_subsections_loads_into_the_default_ones_and_exports_unchanged(db, example):
    from budget.models import EconomySubsection, EconomyText

    legacy = without_subsections(example)
    report = import_report(legacy)
    rows = list(EconomySubsection.objects.filter(report=report).order_by("position"))
    assert [(r.heading, r.tables) for r in rows] == [
        ("Driftbudget per verksamhetsområde", ["operating_budget"]),
        ("Resultaträkning per intäkts- och kostnadsslag", ["income_statement"]),
        ("Investeringar", ["investments"]),
        ("Analys av ekonomin", []),
    ]
    assert rows[-1].text == legacy["economy"]["analysis"]
    assert not EconomyText.objects.filter(report=report).exclude(analysis="").exists()
    exported = export(report)
    assert exported["economy"]["subsections"] == []
    assert numbers(exported) == canonical(legacy)


def test_the_demo_has_the_real_reports_subsections(db, example):
    headings = [s["heading"] for s in example["economy"]["subsections"]]
    assert headings[:4] == [
        "Analys av resultaträkning – uppföljning av driftbudget",
        "Uppföljning av driftsbudget 2019 per verksamhetsområde",
        "Återredovisning av medel för nyanlända",
        "Jämförelse utfall med lämnad prognos i tertialrapport 2",
    ]
    assert headings[-1] == "Analys av balansräkning"
    report = import_report(example)
    assert numbers(export(report)) == canonical(example)


def test_a_changed_subsection_text_exports_the_subsections(db, example):
    from budget.models import EconomySubsection

    example = without_subsections(example)
    report = import_report(example)
    row = EconomySubsection.objects.get(report=report, heading="Investeringar")
    row.text = "Nämnden har investerat 12,5 mnkr."
    row.save()
    economy = export(report)["economy"]
    headings = [s["heading"] for s in economy["subsections"]]
    assert "Investeringar" in headings and economy["analysis"] is None
    assert headings[-1] == "Analys av ekonomin"
    # the exported file loads back to the same report
    again = import_report(economy_replaced(example, economy))
    assert export(again)["economy"] == economy


def economy_replaced(document: dict, economy: dict) -> dict:
    document = copy.deepcopy(document)
    document["economy"] = json.loads(json.dumps(economy))
    return document


@pytest.mark.parametrize(
    "tables, message",
    [
        ([1], "det finns ingen tabell 1 i economy.tables"),
        (["investments", "investments"], "tabellen står redan i economy.subsections[0]"),
        (["table"], "följer inte formatet"),
    ],
)
def test_the_subsections_tables_are_checked(example, tables, message):
    document = with_subsections(example)
    document["economy"]["subsections"] = [{"heading": "Investeringar", "tables": tables}]
    problems = validate(document)
    assert any(message in p.message for p in problems), problems
    assert all(p.path.startswith("economy.subsections[0].tables") for p in problems), problems


def test_a_free_table_stands_in_one_subsection_and_a_heading_is_not_empty(example):
    document = with_subsections(example)
    document["economy"]["subsections"][3]["tables"] = [0]
    document["economy"]["subsections"][4]["heading"] = " "
    problems = {(p.path, p.message) for p in validate(document)}
    assert ("economy.subsections[3].tables[0]", "tabellen står redan i economy.subsections[2]") in (
        problems
    )
    assert ("economy.subsections[4].heading", "får inte vara tom") in problems
