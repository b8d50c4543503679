"""The report page's document is rendered once for the same data (``reporting.rendered.
page_document``): readers of an unchanged report share one rendering, and any change to what
the document shows gives the page the new document at once."""

from django.urls import reverse

from reporting.assemble import build_report_data
from reporting.models import Role
from reporting.rendered import page_document
from tests.factories import make_user
from tests.scale import import_scaled_demo

DOCUMENT = "reporting/_document.html"


def rendered_templates(response) -> set[str]:
    return {t.name for t in response.templates}


def test_an_unchanged_report_is_rendered_once_and_shown_the_same(client, db):
    report = import_scaled_demo(1)
    client.force_login(make_user("handlaggare", board=report.board, role=Role.EDITOR))
    url = reverse("reporting:report_detail", args=[report.pk])
    first = client.get(url)
    second = client.get(url)
    assert DOCUMENT in rendered_templates(first)
    assert DOCUMENT not in rendered_templates(second)  # from the cache
    document = page_document(build_report_data(report))
    assert document in first.content.decode()
    assert document in second.content.decode()
    assert "Innehållsförteckning" in document and 'class="report-document' in document


def test_a_change_is_on_the_page_at_once(client, db):
    report = import_scaled_demo(1)
    client.force_login(make_user("handlaggare", board=report.board, role=Role.EDITOR))
    url = reverse("reporting:report_detail", args=[report.pk])
    assert "Ett alldeles nytt stycke." not in client.get(url).content.decode()
    row = report.goal_assessments.exclude(analysis="").first()
    row.analysis += "\n\nEtt alldeles nytt stycke."
    row.save()
    response = client.get(url)
    assert DOCUMENT in rendered_templates(response)
    assert "<p>Ett alldeles nytt stycke.</p>" in response.content.decode()


def test_a_goal_renamed_in_the_plan_is_on_the_page_at_once(client, db):
    """The document shows the plan's rows too (a goal's title): they are part of the data the
    rendering is keyed by, not only the report's own rows."""
    report = import_scaled_demo(1)
    client.force_login(make_user("handlaggare", board=report.board, role=Role.EDITOR))
    url = reverse("reporting:report_detail", args=[report.pk])
    client.get(url)
    goal = report.goal_assessments.filter(board_goal__isnull=False).first().board_goal
    goal.title = "Ett nytt namn på nämndmålet"
    goal.save()
    assert "Ett nytt namn på nämndmålet" in client.get(url).content.decode()


def test_the_same_data_gives_the_same_document_whoever_reads_it(client, db):
    """The rendering is given the data alone: an editor's page and a reader's carry the same
    document, and the reader's page none of the working material around it."""
    report = import_scaled_demo(1)
    url = reverse("reporting:report_detail", args=[report.pk])
    client.force_login(make_user("handlaggare", board=report.board, role=Role.EDITOR))
    editor_page = client.get(url).content.decode()
    client.force_login(make_user("ledamot", board=report.board, role=Role.READER))
    reader = client.get(url)
    assert reader.status_code == 200
    assert DOCUMENT not in rendered_templates(reader)  # the editor's rendering, reused
    document = page_document(build_report_data(report))
    assert document in editor_page
    assert document in reader.content.decode()
    assert "Historik: alla ändringar" in editor_page
    assert "Historik: alla ändringar" not in reader.content.decode()
