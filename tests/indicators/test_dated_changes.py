"""KF changes targets and responsible boards during the year: each change carries its date and
decision, the indicator shows its history, and each report prints the target of its period."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Indicator, IndicatorTarget
from indicators.services import change_responsibility, change_target
from reporting.assemble import build_report_data
from reporting.models import period_of_date
from reporting.render import render_html
from reporting.services import create_report
from tests.factories import make_plan


def the_indicator(report):
    return build_report_data(report).direction_goals[0].area_goals[0].board_goals[0].indicators[0]


@pytest.mark.parametrize(
    "day, period",
    [
        (date(2018, 12, 1), "VP"),
        (date(2019, 1, 1), "T1"),
        (date(2019, 4, 30), "T1"),
        (date(2019, 5, 1), "T2"),
        (date(2019, 8, 31), "T2"),
        (date(2019, 9, 1), "VB"),
    ],
)
def test_a_date_reaches_the_first_report_whose_period_covers_it(day, period):
    assert period_of_date(day, 2019) == period


def test_a_target_changed_at_t2_prints_old_in_t1_and_new_in_t2_and_vb(board):
    make_plan(board, 2019)
    t1 = create_report(board, 2019, "T1")
    indicator = Indicator.objects.get(board=board, year=2019)
    target = change_target(
        indicator,
        valid_from=date(2019, 6, 17),
        decision_reference="KF T2 2019, bilaga 3",
        annual_target=Decimal("85"),
        kf_annual_target="Tas fram av nämnden",
    )
    assert target.period == "T2"
    t2 = create_report(board, 2019, "T2")
    vb = create_report(board, 2019, "VB")

    assert the_indicator(t1).annual_target == Decimal("80")
    assert the_indicator(t1).kf_annual_target == Decimal("75")
    for report in (t2, vb):
        assert the_indicator(report).annual_target == Decimal("85")
        assert the_indicator(report).kf_annual_target == "Tas fram av nämnden"
    t1_html, t2_html = render_html(build_report_data(t1)), render_html(build_report_data(t2))
    assert "80\u00a0%" in t1_html and "85\u00a0%" not in t1_html
    assert "85\u00a0%" in t2_html and "Tas fram av nämnden" in t2_html
    assert "85\u00a0%" in render_html(build_report_data(vb))


def test_the_history_is_on_the_indicator_its_admin_page_and_its_form(board, client, superuser):
    from reporting.models import Role
    from tests.factories import make_user

    make_plan(board, 2019)
    indicator = Indicator.objects.get(board=board, year=2019)
    change_target(
        indicator,
        valid_from=date(2019, 6, 17),
        decision_reference="KF T2 2019, bilaga 3",
        annual_target=Decimal("85"),
        kf_annual_target=Decimal("75"),
    )
    change_responsibility(
        indicator,
        valid_from=date(2019, 9, 1),
        decision_reference="KF 2019-08-26 § 12",
        responsible="Arbetsmarknadsnämnden",
    )
    changes = indicator.changes()
    assert [(c.kind, c.period, c.decision_reference) for c in changes] == [
        ("Målvärde", "VP", ""),
        ("Målvärde", "T2", "KF T2 2019, bilaga 3"),
        ("Ansvar", "VB", "KF 2019-08-26 § 12"),
    ]
    assert changes[1].description == "Årsmål 85\u00a0%, KF:s årsmål 75\u00a0%"

    client.force_login(superuser)
    page = client.get(reverse("admin:indicators_indicator_change", args=[indicator.pk]))
    html = page.content.decode()
    assert "KF T2 2019, bilaga 3" in html and "2019-06-17" in html
    assert "Arbetsmarknadsnämnden" in html and "KF 2019-08-26 § 12" in html

    t1 = create_report(board, 2019, "T1")
    editor = make_user("handlaggare", board=board, role=Role.EDITOR)
    client.force_login(editor)
    value = t1.indicator_values.get()
    url = reverse("indicators:indicator_value_edit", args=[t1.pk, value.pk])
    html = client.get(url).content.decode()
    assert "Ändringar under året" in html
    assert "KF T2 2019, bilaga 3" in html and "Årsmål 85\u00a0%" in html


def test_a_date_in_another_period_than_the_one_chosen_is_refused(board):
    make_plan(board, 2019)
    indicator = Indicator.objects.get(board=board, year=2019)
    target = IndicatorTarget(
        indicator=indicator, period="T1", valid_from=date(2019, 6, 17), annual_target=1
    )
    with pytest.raises(ValidationError) as refused:
        target.full_clean()
    assert "Tertialrapport 2 2019" in str(refused.value)
    with pytest.raises(ValidationError):
        change_target(indicator, valid_from=date(2020, 1, 1), decision_reference="KF")
