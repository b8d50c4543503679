"""Every review finding links to exactly its own item's form and heading: a lookup of the item's
key in the report's tree, never a reading of the finding's location text."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budget.models import OperatingBudgetRow
from reporting.access import EVERYTHING
from reporting.assemble import build_report_data
from reporting.links import finding_links
from reporting.models import Section
from reporting.review import review_report
from reporting.tree import item_key, load_tree
from tests.factories import fill_in, make_report

# Five names alike in their first 60 characters (the length a finding's location keeps), so
# a link found by the location would go to the same indicator for all of them.
PREFIX = "Andel brukare i hemtjänsten som är nöjda med bemötandet, område "
NAMES = ["Norr", "Söder", "Öster", "Väster", "Mitt"]


@pytest.fixture
def crafted(board):
    report = fill_in(make_report(board, indicators=5, activities=1, areas=1))
    values = list(
        report.indicator_values.select_related("indicator").order_by("indicator__position")
    )
    for value, name in zip(values, NAMES, strict=True):
        value.indicator.name = PREFIX + name
        value.indicator.save()
        if name != "Mitt":  # four without outcome, one with
            value.outcome = value.outcome_men = value.outcome_women = None
            value.save()
    follow_up = report.activity_follow_ups.get()
    follow_up.status = ""
    follow_up.save()
    row = OperatingBudgetRow.objects.get(report=report)
    row.budget, row.outcome, row.comment = Decimal("10"), Decimal("9"), "TODO: skriv om avvikelsen."
    row.save()
    section = Section.objects.create(
        report=report, kind=Section.Kind.OTHER, title="Övrigt", text="", position=9
    )
    return report, values, follow_up, row, section


def links_of(report):
    data = build_report_data(report)
    findings = review_report(data)
    return finding_links(report, data, findings, EVERYTHING, editable=True)


def form(name: str, report, row) -> str:
    return reverse(name, args=[report.pk, row.pk])


def test_every_finding_links_to_its_own_items_form_and_heading(crafted):
    report, values, follow_up, row, section = crafted
    page = reverse("reporting:report_detail", args=[report.pk])
    links = links_of(report)

    outcome = [link for link in links if link.finding.code == "missing_outcome"]
    assert len(outcome) == 4  # one finding per indicator, though their locations are alike
    assert len({link.finding.location for link in outcome}) == 1
    expected = {
        PREFIX + name: form("indicators:indicator_value_edit", report, value)
        for value, name in zip(values, NAMES, strict=True)
    }
    for link in outcome:
        [name] = [n for n in expected if f"”{n}”" in link.finding.message]
        assert link.form_url == expected[name], name
        assert link.page_url == f"{page}#mal-1-1-1"
    assert {link.form_url for link in outcome} == set(expected.values()) - {
        expected[PREFIX + "Mitt"]
    }
    mitt = expected[PREFIX + "Mitt"]
    assert all(link.form_url != mitt for link in links)  # the indicator with an outcome

    [activity] = [link for link in links if link.finding.code == "activity_without_status"]
    assert activity.form_url == form("goals:activity_follow_up_edit", report, follow_up)
    assert activity.page_url == f"{page}#mal-1-1-1"

    [budget] = [
        link
        for link in links
        if link.finding.code == "draft_mark" and "Uppföljning av ekonomi" in link.finding.location
    ]
    assert budget.form_url == form("budget:operating_budget_row_edit", report, row)
    assert budget.page_url == f"{page}#ekonomi"

    [other] = [
        link
        for link in links
        if link.finding.code == "missing_section_text" and link.finding.location == "Övrigt"
    ]
    assert other.form_url == form("reporting:section_edit", report, section)
    assert other.page_url == f"{page}#avsnitt-1"

    for link in (*outcome, activity, budget, other):
        assert link.finding.key  # a lookup: the key of the item
    assert outcome[0].finding.key.startswith("indicators.indicatorvalue:")

    [summary] = [  # no summary yet: its form creates it
        link for link in links if link.finding.location == "Sammanfattande analys"
    ]
    assert summary.form_url == reverse("reporting:summary_edit", args=[report.pk])
    assert summary.page_url == f"{page}#sammanfattande-analys"


def test_a_finding_key_is_the_items_key_in_the_tree(crafted):
    report, values, follow_up, row, section = crafted
    tree = load_tree(report)
    for item in (*values, follow_up, row, section):
        node = tree.get(item_key(item))
        assert node is not None and node.row.pk == item.pk
    keys = {f.key for f in review_report(report)}
    assert item_key(section) in keys and item_key(row) in keys and item_key(follow_up) in keys


def test_a_finding_outside_the_persons_scope_has_no_form(crafted):
    from reporting.access import EditScope

    report = crafted[0]
    data = build_report_data(report)
    links = finding_links(
        report, data, review_report(data), EditScope(everything=False), editable=True
    )
    assert links and all(link.form_url == "" for link in links)
    assert all(
        link.page_url.startswith(reverse("reporting:report_detail", args=[report.pk]))
        for link in links
    )


def test_the_tree_loads_in_a_fixed_number_of_queries(board, django_assert_num_queries):
    from reporting.tree import QUERIES

    small = make_report(board, indicators=1, activities=1)
    with django_assert_num_queries(QUERIES):
        load_tree(small)
    large = make_report(board, year=2020, board_goals=4, indicators=4, activities=3, areas=4)
    with django_assert_num_queries(QUERIES):
        tree = load_tree(large)
    assert len(list(tree.items())) > len(list(load_tree(small).items()))
    for node in tree.items():
        assert tree.get(node.key) is node
        assert node.version == node.row.version and node.ready == node.row.ready
