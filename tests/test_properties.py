"""Property-based tests (hypothesis) of the two ways content gets in: an import file and a
form. Whatever they are fed, the outcome is a located Swedish message or a correct save: never
a 500, a traceback or a half-written report.

``make test`` runs the default profile (a few hundred examples each); ``make soak`` runs the
"soak" profile (thousands), chosen with HYPOTHESIS_PROFILE (see tests/conftest.py)."""

import contextlib
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.assemble import build_report_data
from reporting.editing import _content
from reporting.interchange import InvalidDocument, import_report, parse, to_json
from reporting.review import review_report
from tests.entry_helpers import entry_urls, shown_form
from tests.reporting.test_interchange import EXAMPLE, counts, load

FIXTURES = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


def trimmed(node, width: int = 2):
    """The example report with every list cut to ``width`` items: all its kinds of content,
    small enough to import hundreds of times."""
    if isinstance(node, dict):
        return {key: trimmed(value, width) for key, value in node.items()}
    if isinstance(node, list):
        return [trimmed(value, width) for value in node[:width]]
    return node


SEED = trimmed(load(EXAMPLE))


def paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*here, index))


ALL_PATHS = list(paths(SEED))[1:]

hostile_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "\x00", "\ud800", "1.²", "١٢", "NaN", "−4,5", "<b>x</b>", "???"]),
    st.builds(lambda n: "9" * n, st.integers(1, 6000)),
    st.builds(lambda n: "Å" * n, st.integers(300, 2000)),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**60), max_value=10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def mutate(document, path, action, value):
    *parents, last = path
    node = document
    for key in parents:
        node = node[key]
    if action == "replace":
        node[last] = value
    elif action == "delete":
        del node[last]
    elif action == "duplicate" and isinstance(node, list):
        node.insert(last, json.loads(json.dumps(node[last])))
    elif action == "nest":
        node[last] = [[[node[last]]]]


@st.composite
def hostile_files(draw) -> bytes:
    document = json.loads(json.dumps(SEED))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "nest"]))
        value = draw(json_values)
        with contextlib.suppress(KeyError, IndexError, TypeError):  # the path went earlier
            mutate(document, path, action, value)
    text = json.dumps(document, ensure_ascii=draw(st.booleans()), allow_nan=True)
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=4)) + raw[at + draw(st.integers(0, 3)) :]
    return raw


@pytest.mark.django_db
@settings(suppress_health_check=FIXTURES, deadline=None)
@given(raw=hostile_files())
def test_a_mutated_import_file_is_refused_with_a_place_or_imported_whole(raw):
    before = counts()
    try:
        report = import_report(parse(raw))
    except InvalidDocument as refused:
        assert refused.problems
        for problem in refused.problems:
            assert isinstance(problem.message, str) and problem.message
            assert "Traceback" not in problem.message
        assert counts() == before  # nothing half-written
    else:
        data = build_report_data(report)
        json.dumps(to_json(data))  # the export works
        review_report(report)  # and so does the review


typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40
) | st.sampled_from(["1 165,1", "0,03 %", "−4,5", "1,2.3", "9" * 5000, "1e9", "\x00", "²"])

FIELDS = {
    "indicator": ["outcome", "outcome_men", "outcome_women", "forecast", "analysis"],
    "goal": ["assessment", "analysis"],
    "budget_row": ["budget", "outcome", "comment"],
}
_SHOWN: dict = {}


@pytest.mark.django_db
@settings(suppress_health_check=FIXTURES, deadline=None)
@given(data=st.data())
def test_random_values_in_a_form_give_a_swedish_error_or_a_correct_save(
    client, editor, report, data
):
    client.force_login(editor)
    name = data.draw(st.sampled_from(sorted(FIELDS)))
    key = (report.pk, name)
    if key not in _SHOWN:  # the page once per form; each example sends it back changed
        url = entry_urls(report)[name]
        _SHOWN[key] = (url, *shown_form(client, url))
    url, form, shown = _SHOWN[key]
    row = type(form.instance).objects.get(pk=form.instance.pk)
    shown = {**shown, "version": str(row.version)}
    typed = {
        field: data.draw(typed_text)
        for field in data.draw(st.lists(st.sampled_from(FIELDS[name]), min_size=1, unique=True))
    }
    typed.update({f"{k}_confirmed": "on" for k in typed if data.draw(st.booleans())})
    response = client.post(url, {**shown, **typed})
    assert response.status_code in (200, 302)
    saved = type(row).objects.get(pk=row.pk)
    if response.status_code == 302:
        # a save that changes nothing writes nothing (issue 11: no empty history entries)
        changed = _content(saved) != _content(row)
        assert saved.version == row.version + (1 if changed else 0)
        for field, value in typed.items():
            stored = getattr(saved, field, None)
            if isinstance(stored, str) and field in ("analysis", "comment"):
                assert stored == value.strip()
            elif isinstance(stored, Decimal):
                assert len(stored.as_tuple().digits) <= 20
    else:
        errors = response.context["form"].errors
        assert errors
        assert all(message for messages in errors.values() for message in messages)
        assert saved.version == row.version  # nothing written
