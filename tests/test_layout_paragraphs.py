"""A paragraph read from its tuple tree has exactly the fragments ReportLab's XML
parser makes of the same text, whatever the text; and markup's text takes the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import CMYKColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser

from brochure import markup as m
from brochure.layout.builder import inline_tree, inline_xml
from brochure.layout.flowables import Para

from .strategies import MARKUPISH

_SPACES = [" ", " ", " ", "\t", "\n", "\u00a0", "\u2009", "\u200b"]

runs = st.one_of(
    st.just(m.LINE_BREAK),
    st.builds(
        m.Run,
        st.text(
            alphabet=st.one_of(
                st.sampled_from("abcxyzHSMC\u00e9\u0151\u03a9"),
                st.sampled_from(_SPACES),
                st.sampled_from(MARKUPISH),
            ),
            max_size=20,
        ),
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, None, 'https://example.org/a?b=1&c="2"', "mailto:x@y.uk"]),
    ),
)

STYLES = [
    ParagraphStyle("plain"),
    ParagraphStyle("label", textTransform="uppercase", textColor=CMYKColor(0, 0.5, 1, 0)),
]


def _fragments(para: Para) -> list[dict[str, Any]]:
    return [vars(f) for f in para.frags]


@settings(max_examples=300, deadline=None)
@given(st.lists(runs, max_size=8).map(tuple), st.sampled_from(STYLES), st.booleans())
def test_tree_and_xml_give_the_same_fragments(
    inline: m.Inline, style: ParagraphStyle, links: bool
) -> None:
    xml = inline_xml(inline, links=links)
    ours = Para.of(xml, style, inline_tree(inline, links=links))
    reportlab = Para(xml, style)
    assert _fragments(ours) == _fragments(reportlab)
    assert ours.style is reportlab.style and ours.text == reportlab.text


def test_text_as_markup_makes_it_takes_the_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    section = m.parse_section(
        "<section>\n  <p>The <em>Health Services</em>\n  Management Centre, <strong>since"
        " 1972</strong>:<br/> research, <a href='https://www.birmingham.ac.uk/hsmc'>teaching"
        "</a>.</p>\n</section>",
        "about.html",
        styles={"body"},
        colours=set(),
    )
    (block,) = section.blocks
    assert isinstance(block, m.Para)
    xml = inline_xml(block.content, links=True)
    expected = _fragments(Para(xml, STYLES[0]))

    def no_xml(*args: object) -> None:
        raise AssertionError("the XML parser ran")

    monkeypatch.setattr(ParaParser, "feed", no_xml)
    assert _fragments(Para.of(xml, STYLES[0], inline_tree(block.content, links=True))) == expected
    with pytest.raises(AssertionError, match="XML parser ran"):  # an entity needs the parser
        Para.of("R&amp;D", STYLES[0], inline_tree((m.Run("R&D"),), links=True))


def test_a_no_break_space_keeps_words_on_one_line(
    project,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Words joined by a no-break space are never split across lines; with plain
    spaces the same paragraph does break between them."""
    from brochure.build import build

    from .conftest import pdfium_text

    content = project()
    path = content / "brochure.yaml"
    text = path.read_text(encoding="utf-8")

    def line_ends(joiner: str) -> list[str]:
        marker = "      - paragraph: >-\n          The commissioning"
        pairs = " ".join([f"qx{joiner}zy"] * 160)
        path.write_text(text.replace(marker, f'      - paragraph: "{pairs}"\n{marker}', 1))
        (screen,) = build(content, tmp_path / joiner.encode().hex(), ["screen"])
        lines = "".join(pdfium_text(screen.path)).replace("\r\n", "\n").split("\n")
        return [line.rstrip()[-2:] for line in lines if "qx" in line or "zy" in line]

    assert "qx" in line_ends(" ")  # some line ends between the two words
    ends = line_ends("\\u00a0")  # as YAML writes a no-break space in a quoted string
    assert len(ends) > 5 and "qx" not in ends
