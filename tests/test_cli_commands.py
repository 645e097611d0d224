"""The authoring, preflight and email commands, driven end to end through the command line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from brochure.cli import main

from .conftest import CONTENT


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HSMC editions, built once through the command line."""
    out = tmp_path_factory.mktemp("built")
    assert main(["build", "-q", "--content", str(CONTENT), "--out", str(out)]) == 0
    return out


def test_check_passes_the_print_edition(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`brochure check` passes our print edition and says PDF/X-4; exit 0."""
    assert main(["check", str(built / "hsmc-prospectus-print.pdf")]) == 0
    out = capsys.readouterr().out
    assert "PASSED" in out and "PDF/X-4" in out


def test_check_fails_the_screen_edition_for_print(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The screen edition is no press file: RGB and no bleed are named; exit 1; JSON too."""
    assert main(["check", "--json", str(built / "hsmc-prospectus-screen.pdf")]) == 1
    report = json.loads(capsys.readouterr().out)
    failed = {c["name"]: c["message"] for c in report["checks"] if c["status"] == "fail"}
    assert "RGB" in failed["colour"]
    assert "no bleed" in failed["boxes"] or "no bleed" in failed.get("artwork-bleed", "")


def test_check_booklet_page_count(built: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--booklet passes a 4-page file's page count."""
    main(["check", "--booklet", "--json", str(built / "hsmc-prospectus-print.pdf")])
    report = json.loads(capsys.readouterr().out)
    (count,) = [c for c in report["checks"] if c["name"] == "page-count"]
    assert count["status"] == "pass"


def test_check_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is not a PDF is a clear error, exit 1."""
    bogus = tmp_path / "x.pdf"
    bogus.write_text("hello")
    assert main(["check", str(bogus)]) == 1
    assert "x.pdf" in capsys.readouterr().err


def test_new_then_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`brochure new DIR` makes a brochure that builds with nothing else around it."""
    target = tmp_path / "mine"
    assert main(["new", str(target)]) == 0
    assert (target / "content" / "brochure.yaml").exists()
    assert (
        main(["build", "-q", "--content", str(target / "content"), "--out", str(target / "build")])
        == 0
    )
    assert len(list((target / "build").glob("*.pdf"))) >= 2
    assert main(["new", str(target)]) == 1  # never over an existing brochure
    assert "content" in capsys.readouterr().err


def test_preview(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`brochure preview` writes one PNG per page and a contact sheet."""
    assert main(["preview", "--content", str(CONTENT), "--out", str(tmp_path), "--dpi", "30"]) == 0
    pngs = sorted((tmp_path / "preview").glob("*-page-*.png"))
    assert len(pngs) == 4
    assert (tmp_path / "preview" / "hsmc-prospectus-contact.png").exists()
    assert "contact sheet of 4 pages" in capsys.readouterr().out


def test_figure_png(tmp_path: Path) -> None:
    """`brochure figure --format png` writes the circle as a PNG."""
    out = tmp_path / "c.png"
    assert (
        main(
            [
                "figure",
                "virtuous-circle",
                "-q",
                "--format",
                "png",
                "--dpi",
                "72",
                "--content",
                str(CONTENT),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_email_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`brochure email list.csv` writes one .eml per recipient and sends nothing."""
    recipients = tmp_path / "list.csv"
    recipients.write_text(
        "name,email,organisation\nAnn Jones,ann@example.org,NHS Trust\n"
        "Gwŷn Łukasz,gwyn@example.org,\n",
        encoding="utf-8",
    )
    assert (
        main(["email", str(recipients), "--content", str(CONTENT), "--out", str(tmp_path / "out")])
        == 0
    )
    assert len(list((tmp_path / "out" / "outbox").glob("*.eml"))) == 2
    assert "dry run" in capsys.readouterr().out


def test_email_bad_list_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A list with a bad address is refused with its row, exit 1, and no message written."""
    recipients = tmp_path / "list.csv"
    recipients.write_text("name,email\nAnn,ann@example.org\nBob,not-an-address\n")
    assert (
        main(["email", str(recipients), "--content", str(CONTENT), "--out", str(tmp_path / "out")])
        == 1
    )
    assert "list.csv:3:" in capsys.readouterr().err
    assert not (tmp_path / "out" / "outbox").exists()


def test_email_bad_rate_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--rate that is not a rate says so."""
    recipients = tmp_path / "list.csv"
    recipients.write_text("name,email\nAnn,ann@example.org\n")
    assert main(["email", str(recipients), "--content", str(CONTENT), "--rate", "fast"]) == 1
    assert "--rate" in capsys.readouterr().err


def test_watch_rebuilds_on_save(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`brochure watch` builds, rebuilds after a save, and stops cleanly on Ctrl-C."""
    content = project()
    out = tmp_path / "out"
    pdf = out / "hsmc-prospectus-screen.pdf"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "brochure",
            "watch",
            "--content",
            str(content),
            "--out",
            str(out),
            "--edition",
            "screen",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = _wait_for(lambda: pdf.exists() and pdf.stat().st_size > 0)
        before = pdf.read_bytes()
        yaml = content / "brochure.yaml"
        yaml.write_text(yaml.read_text().replace("title: About HSMC", "title: About us"))
        _wait_for(lambda: pdf.read_bytes() != before)
        assert first
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "built in" in err


def _wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    raise AssertionError("timed out")
