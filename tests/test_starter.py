"""`brochure new`: a starter brochure that builds on its own, anywhere."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml

from brochure.build import build
from brochure.cli import main
from brochure.errors import BrochureError
from brochure.starter import STARTER_FILES, new_brochure

from .conftest import letters, pdfium_text

SHIPPED_LAYOUTS = {"cover", "article", "programmes", "back"}
ARTICLE_BLOCKS = {
    "lead",
    "paragraph",
    "heading",
    "list",
    "labelled_list",
    "figure",
    "columns",
}


def test_new_writes_the_starter_files(tmp_path: Path) -> None:
    """new_brochure copies the content, the theme and a README into the folder, making it."""
    target = tmp_path / "new" / "brochure"
    written = new_brochure(target)
    assert written == [target / name for name in STARTER_FILES]
    assert all(path.is_file() and path.stat().st_size > 0 for path in written)
    assert len((target / "README.md").read_text(encoding="utf-8").splitlines()) == 3


def test_starter_shows_every_layout_and_block(tmp_path: Path) -> None:
    """The starter has a page of each shipped layout, its article every common block, and a
    pull quote opening its programmes page."""
    new_brochure(tmp_path)
    content = yaml.safe_load((tmp_path / "content" / "brochure.yaml").read_text("utf-8"))
    assert [page["layout"] for page in content["pages"]] == [
        "cover",
        "article",
        "programmes",
        "back",
    ]
    article = next(page for page in content["pages"] if page["layout"] == "article")
    assert {kind for block in article["blocks"] for kind in block} == ARTICLE_BLOCKS
    programmes = next(page for page in content["pages"] if page["layout"] == "programmes")
    assert len(programmes["entries"]) == 3
    assert [kind for block in programmes["blocks"] for kind in block] == ["quote"]
    (figure,) = content["figures"].values()
    assert len(figure["nodes"]) == 4


def test_starter_builds_in_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`brochure build` run inside the new folder writes both editions, with nothing else there."""
    new_brochure(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-q"]) == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [
        "harbour-lane-print.pdf",
        "harbour-lane-screen.pdf",
    ]


def test_starter_pages_render_its_own_words(tmp_path: Path) -> None:
    """Each page of the starter draws something, and the words are the starter's, not HSMC's."""
    new_brochure(tmp_path)
    outputs = {o.edition: o for o in build(tmp_path / "content", tmp_path / "build")}
    screen = outputs["screen"].path
    text = pdfium_text(screen)
    assert len(text) == outputs["screen"].pages == 4
    assert "Harbour Lane Centre" in text[0]
    assert "Courses this term" in text[2]
    assert not any("HSMC" in page or "Birmingham" in page for page in text)
    pdf = pdfium.PdfDocument(str(screen))
    try:
        for page in pdf:
            image = page.render(scale=0.25).to_pil().convert("L")
            low, high = image.getextrema()
            assert high - low > 100  # not a blank page
    finally:
        pdf.close()


def test_new_refuses_an_existing_brochure(tmp_path: Path) -> None:
    """new_brochure will not overwrite a content/ folder that has files in it."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "brochure.yaml").write_text("title: Mine\n", encoding="utf-8")
    with pytest.raises(BrochureError, match="already here") as info:
        new_brochure(tmp_path)
    assert str(content) in str(info.value)
    assert (content / "brochure.yaml").read_text(encoding="utf-8") == "title: Mine\n"
    assert not (tmp_path / "README.md").exists()


def test_new_fills_an_empty_content_folder_and_keeps_a_readme(tmp_path: Path) -> None:
    """An empty content/ is filled; a README.md already in the folder is left alone."""
    (tmp_path / "content").mkdir()
    (tmp_path / "README.md").write_text("Ours.\n", encoding="utf-8")
    written = new_brochure(tmp_path)
    assert written == [tmp_path / "content" / "brochure.yaml", tmp_path / "content" / "theme.yaml"]
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "Ours.\n"


def test_new_refuses_a_file(tmp_path: Path) -> None:
    """A target that is a file, not a folder, is an error that names it."""
    target = tmp_path / "taken"
    target.write_text("", encoding="utf-8")
    with pytest.raises(BrochureError, match="expected a folder"):
        new_brochure(target)


def test_layout_beside_content_overrides_the_package(tmp_path: Path) -> None:
    """A layouts/back.xml.j2 beside content/ draws the back page instead of the package's."""
    new_brochure(tmp_path)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "back.xml.j2").write_text(
        "<section><p>Back page of {{ brochure.organisation.short_name }}</p></section>\n",
        encoding="utf-8",
    )
    outputs = {o.edition: o for o in build(tmp_path / "content", tmp_path / "build", ["screen"])}
    back = pdfium_text(outputs["screen"].path)[-1]
    assert letters("Back page of HLC") in letters(back)
    assert "Learning together on Harbour Lane" not in back  # the package's back tagline
