"""Bad input never costs a print run: each row of docs/bad-input.md, as the user meets it.

Every case runs the real command line (`brochure build`) and checks what the user
sees: exit status, a `file:line` message, no traceback, and no half-written PDF.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brochure.cli import main

from .conftest import pdfium_text


def run(content: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Build ``content`` into ``out`` with the command line; (exit status, stderr)."""
    status = main(
        ["build", "-q", "--content", str(content), "--out", str(out), "--edition", "screen"]
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def edit(content: Path, old: str, new: str) -> None:
    path = content / "brochure.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LEAD = "      - lead: >-\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("title: Health", "title: [Health", "YAML syntax error", id="malformed-yaml"),
        pytest.param(
            "\ntitle: Health",
            "\ntitel: Health",
            "unknown key 'titel' (did you mean 'title'?)",
            id="misspelt-key",
        ),
        pytest.param(
            "  - layout: back\n",
            "  - layout: back\n    blocks: Rigour\n",
            "pages[3].blocks: expected a list (got 'Rigour')",
            id="wrong-type",
        ),
        pytest.param(
            "slug: hsmc-prospectus",
            "slug: !!python/object:os.system hsmc",
            "unsupported YAML tag",
            id="python-tag",
        ),
        pytest.param(
            "  - layout: back",
            "  - layout: back\n\t",
            "indent with spaces, not tabs",
            id="tab-indent",
        ),
        pytest.param(
            "slug: hsmc-prospectus",
            "slug: hsmc-prospectus\nslug: other",
            "key 'slug' is written twice",
            id="duplicate-key",
        ),
        pytest.param(
            "{letter: C, label: Consultancy}",
            "{letter: C, label: Consult☃}",
            "'☃' (U+2603 SNOWMAN) cannot be drawn",
            id="undrawable-character",
        ),
        pytest.param(
            "      - {letter: P, label: Policy advice}\n",
            "      - {letter: P, label: Policy advice}\n"
            + "".join(f"      - {{letter: X{i}, label: Extra}}\n" for i in range(5)),
            "expected 3 to 8 items (got 9)",
            id="nine-nodes",
        ),
        pytest.param(
            "      - figure: virtuous-circle",
            "      - figure: virtuous-circel",
            "unknown figure 'virtuous-circel' (did you mean 'virtuous-circle'?)",
            id="unknown-figure",
        ),
        pytest.param(
            LEAD,
            "      - image: {src: ../../etc/passwd, alt: x}\n" + LEAD,
            "lies outside the brochure's folder",
            id="path-outside",
        ),
        pytest.param(
            LEAD,
            "      - image: {src: /etc/passwd, alt: x}\n" + LEAD,
            "expected a path relative to the content folder",
            id="absolute-path",
        ),
        pytest.param(
            LEAD,
            "      - image: {src: brochure.yaml, alt: x}\n" + LEAD,
            "not an image brochure can read",
            id="not-an-image",
        ),
    ],
)
def test_content_mistakes_are_reported(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    expected: str,
) -> None:
    """Each mistake exits 1 with a file:line message saying what is wrong, and writes nothing."""
    content = project()
    edit(content, old, new)
    status, err = run(content, tmp_path / "out", capsys)
    assert status == 1
    assert expected in err
    assert "brochure.yaml:" in err
    assert not (tmp_path / "out").exists()


def test_link_outside_the_folder_is_refused(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A symbolic link inside content/ pointing outside the brochure is refused too."""
    content = project()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    outside.write_bytes((ROOT_IMAGES / "small.png").read_bytes())
    os.symlink(outside, content / "sneaky.png")
    edit(content, LEAD, "      - image: {src: sneaky.png, alt: x}\n" + LEAD)
    status, err = run(content, tmp_path / "out", capsys)
    assert status == 1 and "lies outside the brochure's folder" in err


ROOT_IMAGES = Path(__file__).parent / "fixtures" / "sink" / "content" / "images"


@pytest.mark.parametrize(
    "text",
    [
        "<b>not bold</b> & <i>",
        "{{ brochure.title }} {% if x %} {# no #}",
        'Tom\'s "quote" ‘x’',
        "Gwŷr Ŵyn, Łódź Żółć, Ærø Ångström, Søren",
    ],
    ids=["markup", "jinja", "quotes", "european"],
)
def test_text_reads_back_literally(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
    text: str,
) -> None:
    """Markup characters, template syntax, quotes and European letters print as written."""
    content = project()
    edit(content, "    title: About HSMC", f"    title: {text!r}".replace("\\'", "''"))
    status, _ = run(content, tmp_path / "out", capsys)
    assert status == 0
    page = pdfium_text(tmp_path / "out" / "hsmc-prospectus-screen.pdf")[1]
    assert text in page


def test_failed_build_keeps_the_last_good_pdfs(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A build that fails leaves the previous PDFs byte for byte as they were."""
    content = project()
    out = tmp_path / "out"
    assert main(["build", "-q", "--content", str(content), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    edit(content, "{letter: C, label: Consultancy}", "{letter: C, label: Consult☃}")
    assert main(["build", "-q", "--content", str(content), "--out", str(out)]) == 1
    capsys.readouterr()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary files left


def test_ten_times_the_content_flows_on(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ten copies of the about page's text flow onto more pages, with nothing lost."""
    from .conftest import letters
    from .test_seed import seed_sentences

    content = project()
    text = (content / "brochure.yaml").read_text(encoding="utf-8")
    start = text.index("  - layout: article\n    title: About HSMC")
    end = text.index("  - layout: article\n    title: Rigour")
    page = text[start:end]
    (content / "brochure.yaml").write_text(text[:end] + page * 9 + text[end:], encoding="utf-8")
    status, _ = run(content, tmp_path / "out", capsys)
    assert status == 0
    pages = pdfium_text(tmp_path / "out" / "hsmc-prospectus-screen.pdf")
    assert len(pages) > 12
    everything = letters("".join(pages))
    first = seed_sentences()[1]
    assert everything.count(letters(first)) == 10


def test_very_long_word_wraps(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A 200-letter word breaks across lines; every letter is still there."""
    word = "abcdefghij" * 20
    content = project()
    edit(
        content,
        "      - paragraph: >-\n          The commissioning",
        f"      - paragraph: {word}\n      - paragraph: >-\n          The commissioning",
    )
    status, _ = run(content, tmp_path / "out", capsys)
    assert status == 0
    text = "".join(pdfium_text(tmp_path / "out" / "hsmc-prospectus-screen.pdf"))
    # pdfium marks a break inside a word as U+FFFE; ReportLab may add a hyphen there
    assert word in "".join(text.split()).replace("\ufffe", "").replace("-", "")


def test_oversized_figure_is_scaled_down(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A figure asked to be 500 mm wide is drawn at the text width instead."""
    content = project()
    edit(
        content,
        "      - figure: virtuous-circle",
        "      - {figure: {name: virtuous-circle, width: 500mm}}",
    )
    status, _ = run(content, tmp_path / "out", capsys)
    assert status == 0


def test_template_typo_names_the_template(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A misspelt name in a layout is an error naming the template file and its line."""
    layout = (
        "{% import '_blocks.xml.j2' as b with context %}\n"
        "<section>\n<h1>{{ page.titel }}</h1>\n</section>\n"
    )
    content = project({"layouts/article.xml.j2": layout})
    status, err = run(content, tmp_path / "out", capsys)
    assert status == 1
    assert "layouts/article.xml.j2:3" in err and "titel" in err


def test_broken_markup_names_the_template(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A layout writing an unknown element is reported with the template and output line."""
    layout = "<section>\n  <para>{{ page.title }}</para>\n</section>\n"
    content = project({"layouts/article.xml.j2": layout})
    status, err = run(content, tmp_path / "out", capsys)
    assert status == 1
    assert "article.xml.j2 (output for pages[1]):2: unknown element <para>" in err


def test_sandbox_blocks_python_internals(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A layout reaching for Python internals is stopped by the sandbox, with a message."""
    layout = "<section><p>{{ page.__class__.__init__.__globals__ }}</p></section>\n"
    content = project({"layouts/article.xml.j2": layout})
    status, err = run(content, tmp_path / "out", capsys)
    assert status == 1 and "article.xml.j2" in err
