"""The safe text format of report sections."""

from reports.formatting import Piece, pieces, placed_blocks, to_html


def test_numbered_paragraphs_keep_the_number_typed():
    html = to_html("8. First.\n\n8. Second, as published.")
    assert html.count('<span class="dps-para-number">8.</span>') == 2


def test_bullets_with_indented_continuation_lines():
    html = to_html("- Intelligence\n  It was agreed.\n- Finance")
    assert html == "<ul><li>Intelligence<br>It was agreed.</li><li>Finance</li></ul>"


def test_lead_in_line_then_bullets():
    html = to_html("6. The PSSP offers:\n- Civil actions\n- Accident claims")
    assert html.startswith('<p class="dps-numbered">')
    assert html.endswith("<ul><li>Civil actions</li><li>Accident claims</li></ul>")


def test_numbered_list():
    assert to_html("1. one\n2. two") == '<ol start="1"><li>one</li><li>two</li></ol>'


def test_emphasis_and_safe_links():
    html = to_html("**Bold** and *soft* [MPA](https://www.mpa.gov.uk) [mail](mailto:a@b.example)")
    assert "<strong>Bold</strong>" in html and "<em>soft</em>" in html
    assert 'href="https://www.mpa.gov.uk"' in html and 'href="mailto:a@b.example"' in html
    assert 'rel="noopener noreferrer"' in html


def test_other_link_schemes_stay_text():
    html = to_html("[x](javascript:alert(1)) [y](file:///etc/passwd) [z](data:text/html,hi)")
    assert "<a" not in html
    assert "[x](javascript:alert(1))" in html


def test_markup_is_escaped_never_interpreted():
    html = to_html('<b onclick="x()">hi</b> <img src=x onerror=alert(1)> & "quotes"')
    assert "<b" not in html and "<img" not in html
    assert "&lt;b onclick=" in html and "&amp;" in html


def test_block_markers_split_the_text():
    result = pieces("Before.\n\n[block 2]\n\nAfter.")
    assert result[1] == Piece(block=2)
    assert placed_blocks("[block 1]\n\ntext\n[BLOCK 3]") == {1, 3}
