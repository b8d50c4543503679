""" "Jag bekräftar värdet": a confirmed value is stored with who and when, shown as confirmed on
the form and in the review (neither error nor warning) while its figures stay the ones
confirmed; an unlikely stored value not yet confirmed can be confirmed from the form."""

from django.urls import reverse
from django.utils import timezone

from indicators.models import IndicatorValue
from reporting.assemble import build_report_data
from reporting.review import CONFIRMED, ERROR, review_report
from tests.entry_helpers import entry_urls, shown_form

# outside the range of men and women: the employee index of the demo (80 against 81–83)
OUTSIDE = {"outcome": "80", "outcome_men": "81", "outcome_women": "83"}


def _split_findings(report):
    return [f for f in review_report(build_report_data(report)) if f.code == "split_mismatch"]


def _named(editor):
    editor.first_name, editor.last_name = "Anna", "Andersson"
    editor.save()
    return editor


def test_a_confirmed_value_is_stored_with_who_and_when_and_shown_as_confirmed(
    client, editor, report
):
    url = entry_urls(report)["indicator"]
    client.force_login(_named(editor))
    _, data = shown_form(client, url)
    asked = client.post(url, {**data, **OUTSIDE, "action": "save"})
    assert asked.status_code == 200 and 'name="confirm"' in asked.content.decode()
    assert [f.severity for f in _split_findings(report)] == []  # nothing saved yet

    before = timezone.now()
    response = client.post(url, {**data, **OUTSIDE, "confirm": "on", "action": "save"})
    assert response.status_code == 302
    value = IndicatorValue.objects.get(report=report)
    assert value.confirmed_by == editor
    assert before <= value.confirmed_at <= timezone.now()
    assert value.confirmation_holds

    when = timezone.localtime(value.confirmed_at).strftime("%Y-%m-%d %H:%M")
    page = client.get(url).content.decode()
    assert "Bekräftat" in page
    assert "Värdena är bekräftade av Anna Andersson" in page and when in page
    assert 'name="confirm"' not in page  # nothing left to confirm

    (finding,) = _split_findings(report)
    assert finding.severity == CONFIRMED
    assert finding.message.endswith(f"Värdet är bekräftat av Anna Andersson {when}.")
    findings = review_report(build_report_data(report))
    assert not [f for f in findings if f.key == finding.key and f.severity == ERROR]
    review = client.get(reverse("reporting:report_review", args=[report.pk])).content.decode()
    confirmed = review.split('id="granskning-confirmed"')[1]
    assert "Bekräftade värden (1)" in review
    assert "bekräftat av Anna Andersson" in confirmed
    assert "bekräftat av Anna Andersson" not in review.split('id="granskning-warning"')[0]


def test_changed_figures_are_no_longer_confirmed(client, editor, report):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    client.post(url, {**data, **OUTSIDE, "confirm": "on", "action": "save"})
    value = IndicatorValue.objects.get(report=report)
    assert value.confirmation_holds
    # someone changes the figures elsewhere (an import, the admin): the confirmation lapses
    value.outcome = 79
    value.save()
    value.refresh_from_db()
    assert not value.confirmation_holds
    (finding,) = _split_findings(report)
    assert finding.severity == ERROR
    # and the form asks again when the figures change there
    _, data = shown_form(client, url)
    response = client.post(url, {**data, "outcome": "78", "action": "save"})
    assert response.status_code == 200
    assert "ligger utanför intervallet" in response.content.decode()


def test_a_stored_unlikely_value_can_be_confirmed_from_the_form(client, editor, report):
    value = IndicatorValue.objects.get(report=report)
    value.outcome, value.outcome_men, value.outcome_women = 80, 81, 83
    value.save()
    assert _split_findings(report)[0].severity == ERROR
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "Ett sparat värde ser orimligt ut och är inte bekräftat." in page
    doubts = page.split('class="small stored-doubts"')[1].split("</ul>")[0]
    assert "Utfallet 80" in doubts and "ligger utanför intervallet" in doubts
    _, data = shown_form(client, url)
    # saving without the box keeps it as it is (the value did not change: nothing is stopped)
    assert client.post(url, {**data, "analysis": "Text.", "action": "save"}).status_code == 302
    assert not IndicatorValue.objects.get(report=report).confirmation_holds
    _, data = shown_form(client, url)
    assert client.post(url, {**data, "confirm": "on", "action": "save"}).status_code == 302
    value = IndicatorValue.objects.get(report=report)
    assert value.confirmation_holds and value.confirmed_by == editor
    assert _split_findings(report)[0].severity == CONFIRMED
    assert value.history.first().confirmed_by_id == editor.pk  # in the audit trail


def test_ticking_the_box_without_anything_unlikely_records_nothing(client, editor, report):
    url = entry_urls(report)["indicator"]
    client.force_login(editor)
    _, data = shown_form(client, url)
    fine = {"outcome": "82", "outcome_men": "81", "outcome_women": "83", "confirm": "on"}
    assert client.post(url, {**data, **fine, "action": "save"}).status_code == 302
    assert IndicatorValue.objects.get(report=report).confirmed_at is None
