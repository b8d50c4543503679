from reporting.text import to_html


def test_paragraphs_and_lists_become_html():
    html = to_html("Inledning\n\nFörsta stycket.\n\n- en punkt\n- en till\n\nSista.")
    assert html == (
        "<p>Inledning</p>\n<p>Första stycket.</p>\n<ul><li>en punkt</li><li>en till</li></ul>\n"
        "<p>Sista.</p>"
    )


def test_a_list_directly_after_a_paragraph_line_is_still_a_list():
    assert to_html("Bland annat:\n- ett\n- två") == (
        "<p>Bland annat:</p>\n<ul><li>ett</li><li>två</li></ul>"
    )


def test_html_from_users_is_escaped():
    html = to_html("<p>hej</p> <script>alert(1)</script>\n\n- <b>fet</b>")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;fet&lt;/b&gt;" in html


def test_empty_text_gives_nothing():
    assert to_html(None) == "" and to_html("\n\n") == ""
