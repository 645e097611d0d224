"""Our TrueType font splits text into subset codes exactly as ReportLab's own does,
and our text frame deep-copies to an equal, independent frame."""

from __future__ import annotations

import copy
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfdoc, ttfonts

from brochure.layout.pages import TextFrame
from brochure.layout.ttfont import TTFont

FONT = Path(__file__).resolve().parent.parent / "fonts" / "SourceSans3-Regular.ttf"
_FACE = ttfonts.TTFont("reference", str(FONT))

# Latin, Greek and Cyrillic letters (more than one subset's 256 codes), a no-break
# space, and characters the face cannot draw (CJK, a private-use one).
_ALPHABET = sorted(
    [chr(c) for c in _FACE.face.charToGlyph if 0x20 <= c <= 0x4FF]
    + ["\u00a0", "\u4e00", "\ue000", "\u0000"]
)


def _ours() -> TTFont:
    return TTFont("ours", str(FONT))


def _split_both(texts: list[str]) -> tuple[list[object], list[object]]:
    reference, ours = ttfonts.TTFont("reference", str(FONT)), _ours()
    doc_r, doc_o = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    return (
        [reference.splitString(t, doc_r) for t in texts],
        [ours.splitString(t, doc_o) for t in texts],
    )


def test_repeated_text_splits_as_reportlab_does() -> None:
    texts = ["Health Services", "Management Centre", "", "Health\u00a0Services", "Ωmega"]
    texts += [*texts, "\u4e00 not drawable", "Health Services"]
    reference, ours = _split_both(texts)
    assert ours == reference
    assert ours[0] == [(0, ours[0][0][1])] and len(ours[0][0][1]) == len(texts[0])


def test_past_the_first_subset() -> None:
    many = "".join(_ALPHABET[:600])  # some 600 characters: codes in subsets 0, 1 and 2
    reference, ours = _split_both([many, many[::-1], many, "abc" + many[-5:], "abc"])
    assert ours == reference
    assert {subset for subset, _ in ours[0]} >= {0, 1, 2}


def test_bytes_are_split_as_utf8() -> None:
    reference, ours = _split_both(["caf\u00e9", "caf\u00e9".encode(), "caf\u00e9"])  # type: ignore[list-item]
    assert ours == reference


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=80), max_size=30))
def test_any_texts_split_as_reportlab_does(texts: list[str]) -> None:
    reference, ours = _split_both(texts * 2)  # the second time round, from the memo
    assert ours == reference


def test_each_document_has_its_own_codes() -> None:
    font = _ours()
    first, second = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    assert font.splitString("xyz", first) == font.splitString("xyz", first)
    font.splitString("abc", second)  # "x" gets another code in the second document
    reference = ttfonts.TTFont("reference", str(FONT))
    doc = pdfdoc.PDFDocument()
    reference.splitString("abc", doc)
    assert font.splitString("xyz", second) == reference.splitString("xyz", doc)


def test_a_saved_document_starts_afresh_as_in_reportlab() -> None:
    """ReportLab drops a document's subsets when it is saved; the memo goes with them."""
    reference, ours = ttfonts.TTFont("reference", str(FONT)), _ours()
    doc_r, doc_o = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    for font, doc in ((reference, doc_r), (ours, doc_o)):
        font.splitString("zyx", doc)
        del font.state[doc]  # what TTFont.addObjects does when the document is written
    assert ours.splitString("abc", doc_o) == reference.splitString("abc", doc_r)
    assert ours.splitString("zyx", doc_o) == reference.splitString("zyx", doc_r)


def test_text_frame_deep_copy_is_equal_and_independent() -> None:
    frame = TextFrame(10, 20, 300, 400, id="f")
    frame._frameBGs = [("back", [1, 2])]  # as the document template sets it
    top = frame._y
    clone = copy.deepcopy(frame)
    assert type(clone) is TextFrame and vars(clone) == vars(frame)
    frame._generated_content = [{"frame": frame}]  # content that points back at its frame
    clone = copy.deepcopy(frame)
    assert clone._generated_content[0]["frame"] is clone
    clone._frameBGs[0][1].append(3)
    clone._y -= 50
    assert frame._frameBGs == [("back", [1, 2])] and frame._y == top
