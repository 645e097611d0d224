"""Properties over any input: text is text, and the build never fails unexpectedly."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from brochure.build import build
from brochure.errors import BrochureError, ContentError
from brochure.markup import parse_section, plain
from brochure.render import inline_markdown
from brochure.units import format_length, parse_length

from .conftest import CONTENT, pdfium_text
from .strategies import any_text, drawable_text, lengths

STYLES, COLOURS = {"body", "lead", "h1"}, {"navy"}


def collapsed(text: str) -> str:
    """Whitespace as the page shows it: runs become one space, but for the no-break
    space, which stays; ends trimmed."""
    return re.sub("[^\\S\u00a0]+", " ", text).strip()


@given(drawable_text)
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    """Any text escaped into the markup comes out of the parser unchanged."""
    section = parse_section(
        f"<section><p>{escape(text)}</p></section>", "t", styles=STYLES, colours=COLOURS
    )
    (para,) = section.blocks
    assert plain(para.content) == collapsed(text)  # type: ignore[attr-defined]


@given(drawable_text)
def test_inline_markdown_keeps_every_word(text: str) -> None:
    """The inline filter yields valid markup whose text is markdown-it's own reading."""
    from markdown_it import MarkdownIt

    section = parse_section(
        f"<section><p>{inline_markdown(text)}</p></section>", "t", styles=STYLES, colours=COLOURS
    )
    (para,) = section.blocks
    md = MarkdownIt("zero").enable(["emphasis", "link", "autolink", "escape"])
    expected = "".join(
        t.content
        for tok in md.parseInline(text)
        for t in tok.children or ()
        if t.type in ("text", "softbreak", "text_special")
    )
    assert plain(para.content) == collapsed(expected)  # type: ignore[attr-defined]


@given(lengths)
def test_lengths_round_trip(text: str) -> None:
    """A length parses to points and formats back to the same length."""
    value = parse_length(text)
    unit = text[-2:]
    # format_length writes four significant figures, as a person would read them
    assert parse_length(format_length(value, unit)) == pytest.approx(value, rel=1e-3, abs=1e-9)


def squeezed(text: str) -> str:
    """Text compared across line breaks: no whitespace, no hyphens; compatibility-normalised
    (NFKC), since readers may give a ligature such as 'ﬀ' back as the letters 'ff'."""
    text = unicodedata.normalize("NFKC", text.replace("\ufffe", ""))
    return re.sub(r"[\s\-\u00ad]", "", text)


def build_with(title: str, paragraph: str, work: Path) -> list[str] | None:
    """Build the screen edition with ``title`` and ``paragraph`` on the about page.
    Returns the pages' text, or None when the build refused the input with a clear error."""
    content = work / "content"
    if content.exists():
        shutil.rmtree(content)
    shutil.copytree(CONTENT, content)
    data = yaml.safe_load((content / "brochure.yaml").read_text(encoding="utf-8"))
    data["pages"][1]["title"] = title
    data["pages"][1]["blocks"].insert(0, {"paragraph": paragraph})
    (content / "brochure.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    try:
        (out,) = build(content, work / "out", ["screen"])
    except ContentError as exc:
        assert all(p.location is not None for p in exc.problems)
        return None
    return pdfium_text(out.path)


@given(title=st.one_of(drawable_text, any_text), paragraph=drawable_text)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_build_prints_the_input_or_explains(title: str, paragraph: str) -> None:
    """For any title and paragraph, the build prints both, or refuses with a located error;
    it never fails in any other way."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            pages = build_with(
                title, f"\\{paragraph}" if paragraph[0] in "*_[" else paragraph, Path(tmp)
            )
        except BrochureError as exc:  # pragma: no cover - would be a bug: say which
            raise AssertionError(f"unexpected {type(exc).__name__}: {exc}") from None
    if pages is None:
        return
    text = squeezed("".join(pages))
    assert squeezed(title) in text
    from markdown_it import MarkdownIt

    md = MarkdownIt("zero").enable(["emphasis", "link", "autolink", "escape"])
    words = "".join(
        t.content
        for tok in md.parseInline(paragraph)
        for t in tok.children or ()
        if t.type in ("text", "softbreak", "text_special")
    )
    assert squeezed(words) in text
