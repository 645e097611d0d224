"""The published words: every sentence of the seed document is in both editions."""

from __future__ import annotations

import re

import pytest

from brochure.build import Output

from .conftest import SEED, letters, pdfium_text, pdftotext


def seed_sentences() -> list[str]:
    """The seed's sentences and headings, without the figure-marker artefact."""
    text = SEED.read_text(encoding="utf-8").replace("TCPR-image", "")
    text = text.replace("Image: ", "")  # the caption's label, not part of its words
    parts = []
    for line in text.splitlines():
        line = line.strip().lstrip("•").strip()
        parts += [s for s in re.split(r"(?<=[.:])\s+(?=[A-Z])", line) if s]
    return parts


def test_seed_is_read() -> None:
    """The seed has the sentences we expect to publish (guards the test itself)."""
    sentences = seed_sentences()
    assert "About HSMC" in sentences
    assert len(sentences) >= 15


@pytest.mark.parametrize("edition", ["print", "screen"])
def test_every_seed_sentence_is_printed(hsmc: dict[str, Output], edition: str) -> None:
    """Each seed sentence appears, word for word, in the text pdfium extracts."""
    text = letters("".join(pdfium_text(hsmc[edition].path)))
    missing = [s for s in seed_sentences() if letters(s) not in text]
    assert missing == []


def test_poppler_reads_the_same_words(hsmc: dict[str, Output]) -> None:
    """A second reader (poppler) finds every seed sentence too."""
    text = letters(pdftotext(hsmc["print"].path))
    assert [s for s in seed_sentences() if letters(s) not in text] == []


def test_artefact_is_not_printed(hsmc: dict[str, Output]) -> None:
    """The seed's figure marker 'TCPR-image' never reaches the page."""
    assert "TCPR" not in "".join(pdfium_text(hsmc["print"].path))


def test_figure_labels_are_text(hsmc: dict[str, Output]) -> None:
    """The circle's letters and labels are real, searchable text on the figure's page."""
    page3 = pdfium_text(hsmc["screen"].path)[2]
    for word in ("Research", "Teaching", "Consultancy", "Policy", "HSMC"):
        assert word in page3
