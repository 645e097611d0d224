"""The command line: exit codes, messages, and what it prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from brochure.cli import main


def test_build_prints_each_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`brochure build` prints every file with its page count and size, and exits 0."""
    from .conftest import CONTENT

    assert main(["build", "--content", str(CONTENT), "--out", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3  # print, screen, booklet
    assert lines[0].startswith(str(tmp_path / "hsmc-prospectus-print.pdf"))
    assert "4 pages" in lines[0] and "KB" in lines[0]
    assert (tmp_path / "hsmc-prospectus-screen.pdf").exists()
    assert lines[2].endswith("KB") and "4 pages on 1 A4 sheet" in lines[2]


def test_one_edition(tmp_path: Path) -> None:
    """--edition limits the build to that edition."""
    from .conftest import CONTENT

    assert (
        main(
            [
                "build",
                "-q",
                "--content",
                str(CONTENT),
                "--out",
                str(tmp_path),
                "--edition",
                "screen",
            ]
        )
        == 0
    )
    assert [p.name for p in tmp_path.iterdir()] == ["hsmc-prospectus-screen.pdf"]


def test_content_error_exit_1_without_traceback(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A content mistake exits 1 with file:line: message and no traceback."""
    content = project()
    text = (content / "brochure.yaml").read_text().replace("\ntitle:", "\ntitel:", 1)
    (content / "brochure.yaml").write_text(text)
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "brochure.yaml:" in err and "unknown key 'titel'" in err
    assert "Traceback" not in err


def test_debug_shows_traceback(
    project,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--debug adds the traceback to the message."""
    content = project({"content/theme.yaml": "page: [\n"})
    assert main(["build", "--debug", "--content", str(content), "--out", str(tmp_path)]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown edition is a usage error: exit 2."""
    with pytest.raises(SystemExit) as info:
        main(["build", "--edition", "poster"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_missing_content_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A content folder without brochure.yaml says which file is missing."""
    assert main(["build", "--content", str(tmp_path / "nowhere")]) == 1
    assert "brochure.yaml: file not found" in capsys.readouterr().err


def test_help_shows_examples() -> None:
    """`python -m brochure --help` works as a module and shows examples."""
    result = subprocess.run(
        [sys.executable, "-m", "brochure", "--help"], capture_output=True, text=True, check=True
    )
    assert "examples:" in result.stdout and "brochure build" in result.stdout


def test_figure_export(tmp_path: Path) -> None:
    """`brochure figure` writes the circle as SVG with its labels as text, and as PDF."""
    from .conftest import CONTENT

    svg = tmp_path / "circle.svg"
    assert (
        main(["figure", "virtuous-circle", "-q", "--content", str(CONTENT), "--out", str(svg)]) == 0
    )
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text
    for label in ("Research", "Teaching", "Consultancy", "HSMC"):
        assert f">{label}<" in text or label in text
    assert "font-family: 'Source Sans 3', sans-serif; font-weight: 600;" in text


def test_figure_export_pdf(tmp_path: Path) -> None:
    """`brochure figure --format pdf` writes the circle with searchable, embedded text."""
    from .conftest import CONTENT, pdffonts, pdfium_text

    pdf = tmp_path / "circle.pdf"
    assert (
        main(
            [
                "figure",
                "virtuous-circle",
                "-q",
                "--format",
                "pdf",
                "--content",
                str(CONTENT),
                "--out",
                str(pdf),
            ]
        )
        == 0
    )
    assert "Consultancy" in pdfium_text(pdf)[0]
    assert all(f["emb"] == "yes" for f in pdffonts(pdf))


def test_unknown_figure(capsys: pytest.CaptureFixture[str]) -> None:
    """Asking for a figure that does not exist names the ones that do."""
    from .conftest import CONTENT

    assert main(["figure", "virtuous-cirle", "--content", str(CONTENT)]) == 1
    assert "did you mean 'virtuous-circle'" in capsys.readouterr().err
