"""`brochure watch`: rebuilds on save, reports bad edits, keeps the last good PDFs."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from brochure.errors import ContentError
from brochure.watch import Rebuild, watch

from .conftest import letters, pdfium_text

TIMEOUT = 30.0
"""Seconds to wait for a build: generous, for a busy CI machine."""


class Watching:
    """A watch running in a thread: its results, and whatever it raised."""

    def __init__(self) -> None:
        self.results: queue.Queue[Rebuild | BaseException] = queue.Queue()
        self.stages: list[str] = []

    def next(self, wanted: Callable[[Rebuild], bool] = lambda r: True) -> Rebuild:
        """The next result that is ``wanted``, skipping others; fails after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, "no such build within the timeout"
            result = self.results.get(timeout=remaining)
            if isinstance(result, BaseException):
                raise result
            if wanted(result):
                return result


@contextmanager
def watching(content: Path, out: Path) -> Iterator[Watching]:
    """Run watch() on ``content`` in a thread until the block ends, then stop it."""
    state = Watching()
    stop = threading.Event()

    def run() -> None:
        try:
            watch(
                content,
                out,
                ["screen"],
                on_result=state.results.put,
                stop=stop,
                progress=lambda stage, seconds: state.stages.append(stage),
            )
        except BaseException as exc:
            state.results.put(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(timeout=TIMEOUT)
    assert not thread.is_alive(), "watch() did not stop when told to"


def save(path: Path, text: str) -> None:
    """Save ``text`` to ``path`` as many editors do: write a new file, rename it over the old."""
    temporary = path.with_name(f".{path.name}.saving")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def test_rebuilds_reports_errors_and_keeps_the_last_good_pdf(
    project: Callable[..., Path], tmp_path: Path
) -> None:
    """Edit -> new PDF; broken YAML -> its problem reported, PDF untouched; fixed -> rebuilt."""
    content = project()
    source = content / "brochure.yaml"
    original = source.read_text(encoding="utf-8")
    pdf = tmp_path / "build" / "hsmc-prospectus-screen.pdf"
    with watching(content, tmp_path / "build") as state:
        first = state.next()
        assert first.ok and first.changed == ()
        assert [o.path for o in first.outputs] == [pdf]

        save(source, original.replace("subtitle: Prospectus", "subtitle: Prospectus 2031"))
        edited = state.next(lambda r: r.ok)
        assert source.resolve() in edited.changed
        assert letters("Prospectus 2031") in letters(pdfium_text(pdf)[0])
        good = pdf.read_bytes()

        save(source, original.replace("\nslug: ", "\nslug: [unclosed\n", 1))
        broken = state.next(lambda r: not r.ok)
        assert broken.outputs == () and broken.error is not None
        problem = broken.error.problems[0]
        assert problem.location is not None and problem.location.file.endswith("brochure.yaml")
        assert problem.location.line is not None and problem.location.line > 1
        assert pdf.read_bytes() == good

        save(source, original.replace("subtitle: Prospectus", "subtitle: Prospectus 2032"))
        state.next(lambda r: r.ok)
        assert letters("Prospectus 2032") in letters(pdfium_text(pdf)[0])
    assert "layout" in state.stages  # build()'s own progress, passed through


def test_a_new_layouts_folder_is_watched(project: Callable[..., Path], tmp_path: Path) -> None:
    """A layouts/ folder made while watching is used, and its changes set off builds."""
    content = project()
    pdf = tmp_path / "build" / "hsmc-prospectus-screen.pdf"
    back = tmp_path / "layouts" / "back.xml.j2"
    with watching(content, tmp_path / "build") as state:
        state.next()
        back.parent.mkdir()
        save(back, "<section><p>First override</p></section>\n")
        state.next(lambda r: r.ok and letters("First override") in letters(pdfium_text(pdf)[-1]))
        save(back, "<section><p>Second override</p></section>\n")
        state.next(lambda r: r.ok and letters("Second override") in letters(pdfium_text(pdf)[-1]))


def test_output_folder_must_not_be_watched(project: Callable[..., Path]) -> None:
    """Writing the PDFs into the content folder would rebuild for ever: an error instead."""
    content = project()
    with pytest.raises(ContentError, match="output folder"):
        watch(content, content, on_result=lambda r: None)


def test_missing_content_folder(tmp_path: Path) -> None:
    """Watching a content folder that does not exist is an error that names it."""
    with pytest.raises(ContentError, match="expected a folder") as info:
        watch(tmp_path / "nowhere", tmp_path / "build", on_result=lambda r: None)
    assert "nowhere" in str(info.value)
