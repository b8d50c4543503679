"""`make bench`: how long the heavy paths take on the demo report (84 printed pages).

Timings, not pass/fail: pytest-benchmark prints min/mean/max per operation.
"""

import pytest

from reporting.assemble import build_report_data
from reporting.interchange import import_report, to_json


@pytest.fixture
def demo_report(db, demo_document):
    return import_report(demo_document)


def test_import_of_the_demo(benchmark, db, demo_document):
    report = benchmark.pedantic(import_report, args=(demo_document,), rounds=3, iterations=1)
    assert report.year == 2019


def test_assembly_of_the_demo(benchmark, demo_report):
    data = benchmark(build_report_data, demo_report)
    assert len(data.direction_goals) == 3


def test_export_of_the_demo(benchmark, demo_report):
    document = benchmark(lambda: to_json(build_report_data(demo_report)))
    assert document["organisation"]["board"] == "Socialnämnden"


def test_html_of_the_demo(benchmark, demo_report):
    from reporting.render import render_html

    html = benchmark(lambda: render_html(build_report_data(demo_report)))
    assert "Socialnämnden" in html


def test_pdf_of_the_demo(benchmark, demo_report):
    from reporting.render import render_pdf

    pdf = benchmark.pedantic(
        lambda: render_pdf(build_report_data(demo_report)), rounds=1, iterations=1
    )
    assert pdf.startswith(b"%PDF")
