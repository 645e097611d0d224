"""Finishing editions side by side: same bytes as one after another, errors intact."""

from __future__ import annotations

import functools
import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from brochure.build import build
from brochure.cli import _prepare_finishing, _read_and_render
from brochure.errors import BrochureError, ContentError, Location, Problem
from brochure.finish import jobs as jobs_module
from brochure.parallel import Handoff, RemoteTraceback, Worker, map_forked

from .conftest import CONTENT, pdfium_text


def _command_worker(content: Path, editions: list[str] | None = None) -> Worker:
    """A worker as ``brochure build`` forks it: it reads and renders first, then finishes."""
    return Worker(_prepare_finishing, first=functools.partial(_read_and_render, content, editions))


def _square(x: int) -> int:
    return x * x


def _fail(x: int, tell: object = None) -> int:
    raise ContentError(Problem(f"bad {x}", Location("f.yaml", x, 1)))


def _zeros(size: int, tell: object) -> bytes:
    return bytes(size)


def _tells(values: list[object], then_fail: bool, tell: Callable[[object], None]) -> str:
    for value in values:
        tell(value)
    if then_fail:
        _fail(7)
    return "done"


def test_forked_map_matches_a_loop() -> None:
    """In worker processes or not, the results come back in order."""
    assert map_forked(_square, [1, 2, 3], worthwhile=True) == [1, 4, 9]
    assert map_forked(_square, [1, 2, 3], worthwhile=False) == [1, 4, 9]


def test_errors_cross_processes_whole() -> None:
    """A content error raised in a worker reaches the caller with its problems and places."""
    with pytest.raises(ContentError) as info:
        map_forked(_fail, [7, 8], worthwhile=True)
    (problem,) = info.value.problems
    assert str(problem) in ("f.yaml:7:1: bad 7", "f.yaml:8:1: bad 8")
    copy = pickle.loads(pickle.dumps(info.value))
    assert copy.problems == info.value.problems


_taken: list[object] = []


def _hand(item: tuple[str, Handoff, object]) -> object:
    kind, handoff, payload = item
    if kind == "give":
        handoff.give(payload)
        return "gave"
    if kind == "fail":
        raise ValueError(f"failed before giving {payload!r}")
    if kind == "take":
        _taken.append(handoff.take())
        return "took"
    return "did not take"


def test_a_handoff_crosses_from_one_worker_to_another() -> None:
    """Given in a forked worker (more than a pipe holds, without waiting), taken in this
    process in the middle of its share; not taken at all, nothing waits."""
    _taken.clear()
    big = bytes(range(256)) * 12_000
    with Handoff() as handoff:
        items = [("take", handoff, None), ("give", handoff, big)]
        assert map_forked(_hand, items, worthwhile=True) == ["took", "gave"]
    assert _taken == [big]
    with Handoff() as handoff:
        items = [("ignore", handoff, None), ("give", handoff, big)]
        assert map_forked(_hand, items, worthwhile=True) == ["did not take", "gave"]


def test_a_handoff_never_given_is_taken_as_none() -> None:
    """A giver that fails first: the taker gets None at once (and does the work itself),
    and the giver's error reaches the caller."""
    _taken.clear()
    with Handoff() as handoff, pytest.raises(ValueError, match="failed before giving 'x'"):
        map_forked(_hand, [("take", handoff, None), ("fail", handoff, "x")], worthwhile=True)
    assert _taken == [None]


def test_the_screen_edition_takes_its_colours_from_the_other_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finishing a long prospectus side by side, the process that finishes the screen
    edition turns none of its colours itself: the print edition's worker hands them over."""
    from brochure.finish import screen

    content = _long_content(tmp_path)
    here = os.getpid()
    turn = screen.recolour

    def recolour(stream: bytes, laid: object) -> bytes:
        assert os.getpid() != here, "the screen edition's process turned colours itself"
        return turn(stream, laid)  # type: ignore[arg-type]

    monkeypatch.setattr(screen, "recolour", recolour)
    assert {o.edition for o in build(content, tmp_path / "out", ["screen", "print"])} == {
        "screen",
        "print",
    }


FAILED_HANDOFF_ON_FOUR_CORES = """
import os, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
os.cpu_count = lambda: 4  # print, screen and booklet each in a process of its own
from brochure.build import build
from brochure.finish import screen

def broken(laid):
    raise RuntimeError("cannot turn the colours here")

screen.recoloured = broken  # the giver fails: the screen edition's process does it itself
outputs = build(Path({content!r}), Path({out!r}))
print(sorted(o.edition for o in outputs))
"""


def test_a_handoff_that_fails_on_four_cores_does_not_hang(tmp_path: Path) -> None:
    """With every edition in a process of its own, a giver that fails leaves the taker
    to turn the colours itself (the third process does not keep it waiting), and the
    build goes on with the same bytes."""
    content = _long_content(tmp_path)
    code = FAILED_HANDOFF_ON_FOUR_CORES.format(
        tests=str(Path(__file__).parent.parent), content=str(content), out=str(tmp_path / "a")
    )
    assert _script(code).strip() == "['booklet', 'print', 'screen']"
    serial = {o.edition: o.path.read_bytes() for o in build(content, tmp_path / "b")}
    assert {p.stem.rsplit("-", 1)[1]: p.read_bytes() for p in (tmp_path / "a").iterdir()} == serial


def _long_content(tmp_path: Path) -> Path:
    """The HSMC prospectus with 60 programme entries: long enough to finish in parallel."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "theme.yaml").write_text((CONTENT / "theme.yaml").read_text())
    data = yaml.safe_load((CONTENT / "brochure.yaml").read_text(encoding="utf-8"))
    entries = [
        {
            "title": f"Programme {i}",
            "code": f"P-{i}",
            "kind": "Short course",
            "text": "A programme on the commissioning and provision of care. " * 8,
        }
        for i in range(60)
    ]
    data["pages"].insert(-1, {"layout": "programmes", "title": "Programmes", "entries": entries})
    (content / "brochure.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    return content


def test_long_brochure_same_bytes_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prospectus long enough to finish in parallel gives the same files as in series
    (side by side, the screen edition's colours are turned by the print edition's worker)."""
    content = _long_content(tmp_path)
    parallel = {o.edition: o.path.read_bytes() for o in build(content, tmp_path / "a")}
    assert max(o.pages for o in build(content, tmp_path / "c", ["print"])) >= 24
    with _command_worker(content) as worker:
        early = build(content, tmp_path / "d", worker=worker)
    monkeypatch.setattr(jobs_module, "PARALLEL_PAGES", 10_000)
    serial = {o.edition: o.path.read_bytes() for o in build(content, tmp_path / "b")}
    assert parallel == serial
    assert {o.edition: o.path.read_bytes() for o in early} == serial


def test_an_early_worker_builds_the_same_bytes(tmp_path: Path) -> None:
    """The HSMC prospectus, all three editions, read, rendered and finished by a worker
    forked before the layout."""
    here = {o.edition: o.path.read_bytes() for o in build(CONTENT, tmp_path / "a")}
    with _command_worker(CONTENT) as worker:
        outputs = build(CONTENT, tmp_path / "b", worker=worker)
    assert {o.edition: o.path.read_bytes() for o in outputs} == here
    assert set(here) == {"print", "screen", "booklet"}


def test_a_line_break_survives_the_trip_from_the_worker(tmp_path: Path) -> None:
    """A ``<br/>`` in a layout breaks the line in the command's build too, where the
    sections reach the layout pickled: the same bytes as a build in one process."""
    import shutil

    from brochure.project import PACKAGE_DIR

    root = tmp_path / "brochure"
    shutil.copytree(CONTENT, root / "content")
    (root / "layouts").mkdir()
    back = (PACKAGE_DIR / "layouts" / "back.xml.j2").read_text(encoding="utf-8")
    name = '<p style="back_name">{{ org.name }}</p>'
    assert name in back
    (root / "layouts" / "back.xml.j2").write_text(
        back.replace(name, '<p style="back_name">LINEONE<br/>LINETWO</p>'), encoding="utf-8"
    )
    here = {o.edition: o.path.read_bytes() for o in build(root / "content", tmp_path / "a")}
    with _command_worker(root / "content") as worker:
        outputs = build(root / "content", tmp_path / "b", worker=worker)
    assert {o.edition: o.path.read_bytes() for o in outputs} == here
    text = pdfium_text(tmp_path / "b" / "hsmc-prospectus-screen.pdf")[-1]
    assert "LINEONE\r\nLINETWO" in text or "LINEONE\nLINETWO" in text, text


def test_a_worker_answers_once() -> None:
    with Worker(lambda: None) as worker:
        assert worker.call(_square, 12) == 144
        with pytest.raises(RuntimeError, match="used or closed"):
            worker.call(_square, 2)


def test_a_worker_sends_errors_back_whole() -> None:
    with Worker(lambda: None) as worker, pytest.raises(ContentError) as info:
        worker.call(_fail, 3)
    (problem,) = info.value.problems
    assert str(problem) == "f.yaml:3:1: bad 3"


def test_a_worker_whose_preparation_fails_still_answers() -> None:
    """Preparing is only a head start: if it fails, the call runs all the same."""

    def broken() -> None:
        raise ImportError("no such module")

    with Worker(broken) as worker:
        assert worker.call(_square, 5) == 25


def test_an_unused_worker_exits(tmp_path: Path) -> None:
    """Closed without a call, the worker process ends (nothing is left running)."""
    worker = Worker(lambda: None)
    pid = worker._pid
    assert pid is not None
    worker.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no such child any more


def test_a_worker_that_dies_is_reported() -> None:
    with Worker(lambda: None) as worker, pytest.raises(RuntimeError, match="without a result"):
        worker.call(os._exit, 3)


def test_an_error_in_a_worker_says_where_it_was_raised() -> None:
    with Worker(lambda: None) as worker, pytest.raises(ContentError) as info:
        worker.call(_fail, 4)
    cause = info.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "_fail" in str(cause) and "ContentError" in str(cause)


class _Unreadable:
    """Pickles fine, but cannot be unpickled."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_refuse, ())


def _refuse() -> None:
    raise ValueError("cannot be read back")


def test_a_call_the_worker_cannot_read_comes_back_as_an_error() -> None:
    """The worker reports it and exits; it never runs on into the caller's code."""
    with Worker(lambda: None) as worker, pytest.raises(ValueError, match="cannot be read back"):
        worker.call(_square, _Unreadable())


CLOSE_WHILE_ANSWERING = """
import pickle, sys
from brochure.parallel import Worker, _send
worker = Worker(lambda: None)
# a call whose result fills the pipe, and nobody reads it (the caller was interrupted)
_send(worker._job, pickle.dumps((bytes, 4_000_000)))
worker.close()
print("closed")
"""


def _script(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter (which a hang would time out)."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout


def test_closing_a_worker_that_is_answering_does_not_hang() -> None:
    assert _script(CLOSE_WHILE_ANSWERING).strip() == "closed"


def test_no_editions_builds_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "theme.yaml").write_text((CONTENT / "theme.yaml").read_text())
    data = yaml.safe_load((CONTENT / "brochure.yaml").read_text(encoding="utf-8"))
    data["editions"] = []
    (content / "brochure.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    assert build(content, tmp_path / "out") == []
    with _command_worker(content) as worker:
        assert build(content, tmp_path / "out", worker=worker) == []
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_worker_sends_its_first_result_then_answers_a_call() -> None:
    """The first task runs at once; its result is read when wanted, larger than a pipe holds."""
    with Worker(lambda: None, first=functools.partial(_zeros, 3_000_000)) as worker:
        assert worker.first() == bytes(3_000_000)
        with pytest.raises(RuntimeError, match="no first task"):
            worker.first()
        assert worker.call(_square, 6) == 36


def test_what_a_first_task_tells_comes_ahead_of_its_result() -> None:
    """Told values reach ``early`` in order, before the result (or the error) is returned;
    without ``early`` they are passed over."""
    told: list[object] = []
    values: list[object] = [{"fonts": (1, 2)}, "en-GB", bytes(2_000_000)]
    with Worker(lambda: None, first=functools.partial(_tells, values, False)) as worker:
        assert worker.first(told.append) == "done"
    assert told == values
    with Worker(lambda: None, first=functools.partial(_tells, values, False)) as worker:
        assert worker.first() == "done"
    told.clear()
    failing = Worker(lambda: None, first=functools.partial(_tells, ["a"], True))
    with failing, pytest.raises(ContentError, match="bad 7"):
        failing.first(told.append)
    assert told == ["a"]


def test_the_command_worker_tells_the_theme_fonts_and_language_first() -> None:
    """So that the command loads them (:func:`brochure.layout.document.prepare`) while the
    worker renders the templates."""
    told: list[object] = []
    with _command_worker(CONTENT) as worker:
        rendered, _timings = worker.first(told.append)
    ((theme, fonts, language),) = told
    assert theme == rendered.theme and language == rendered.language == "en-GB"
    assert fonts.files == rendered.fonts.files and fonts.faces == rendered.fonts.faces


def _tells_then_fails(told: object, tell: Callable[[object], None]) -> None:
    tell(told)
    _fail(9)


def test_the_workers_error_comes_before_a_failure_to_prepare_ahead(tmp_path: Path) -> None:
    """Fonts told ahead that cannot be loaded do not hide the problem the worker then
    finds: the build reports the worker's."""
    from brochure.fonts import FontSet
    from brochure.project import Project
    from brochure.validate import read_theme

    theme, _fonts = read_theme(Project(CONTENT))
    faces = dict.fromkeys(("regular", "bold", "italic", "bold_italic"), "gone-1")
    broken = FontSet({"gone": faces}, {"gone-1": tmp_path / "gone.ttf"}, frozenset())
    told = (theme, broken, "en-GB")
    worker = Worker(lambda: None, first=functools.partial(_tells_then_fails, told))
    with worker, pytest.raises(ContentError, match="bad 9"):
        build(CONTENT, tmp_path / "out", worker=worker)


def test_an_early_callback_that_fails_is_raised_by_first() -> None:
    def early(value: object) -> None:
        raise ValueError(f"cannot use {value!r}")

    worker = Worker(lambda: None, first=functools.partial(_tells, ["x"], False))
    with worker, pytest.raises(ValueError, match="cannot use 'x'"):
        worker.first(early)


def test_a_first_task_that_fails_is_raised_whole_and_the_worker_exits() -> None:
    worker = Worker(lambda: None, first=functools.partial(_fail, 5))
    with pytest.raises(ContentError) as info:
        worker.first()
    (problem,) = info.value.problems
    assert str(problem) == "f.yaml:5:1: bad 5"
    assert isinstance(info.value.__cause__, RemoteTraceback)
    pid = worker._pid
    assert pid is not None
    worker.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


CLOSE_BEFORE_THE_FIRST_RESULT = """
import functools
from brochure.parallel import Worker
# a first result bigger than any pipe, never read (the caller failed before it wanted it)
worker = Worker(lambda: None, first=lambda tell: bytes(8_000_000))
worker.close()
print("closed")
"""


def test_closing_a_worker_before_reading_its_first_result_does_not_hang() -> None:
    assert _script(CLOSE_BEFORE_THE_FIRST_RESULT).strip() == "closed"


def _command(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``brochure`` run as a user runs it: its own process, which forks its worker."""
    return subprocess.run(
        [sys.executable, "-m", "brochure", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


def test_the_command_reports_content_errors_found_in_its_worker(tmp_path: Path) -> None:
    """A mistake found while the worker reads the content: file:line, exit 1, no traceback,
    and the last good PDF left as it was."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "theme.yaml").write_text((CONTENT / "theme.yaml").read_text())
    good = (CONTENT / "brochure.yaml").read_text(encoding="utf-8")
    (content / "brochure.yaml").write_text(good, encoding="utf-8")
    out = tmp_path / "out"
    assert _command("build", "-q", "--content", str(content), "--out", str(out)).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (content / "brochure.yaml").write_text(good.replace("\ntitle:", "\ntitel:", 1))
    done = _command("build", "--content", str(content), "--out", str(out))
    assert done.returncode == 1
    assert "brochure.yaml:" in done.stderr and "unknown key 'titel'" in done.stderr
    assert "Traceback" not in done.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    debug = _command("build", "--debug", "--content", str(content), "--out", str(out))
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    assert "read_and_render" in debug.stderr  # the worker's own traceback, as the cause


def test_a_file_the_worker_cannot_write_is_a_clear_error(tmp_path: Path) -> None:
    """The worker writes the PDFs: a folder it cannot make is reported as the library
    reports it in process, exit 1, no traceback, nothing written."""
    out = tmp_path / "out"
    out.write_text("a file where the output folder should be")
    with pytest.raises(BrochureError, match="cannot write output"):
        build(CONTENT, out)
    done = _command("build", "--content", str(CONTENT), "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert "cannot write output" in done.stderr and "Traceback" not in done.stderr
    assert out.read_text() == "a file where the output folder should be"


def test_the_command_reports_every_stage_in_order(tmp_path: Path) -> None:
    """``-v`` lists the worker's stages too, in pipeline order."""
    out = tmp_path / "out"
    done = _command("build", "-v", "--content", str(CONTENT), "--out", str(out))
    assert done.returncode == 0, done.stderr
    stages = [line.rsplit(None, 2)[0].strip() for line in done.stderr.splitlines()]
    assert stages == [
        "theme and fonts",
        "content",
        "templates",
        "fonts and hyphenation",
        "layout",
        "finish (print, screen, booklet)",
        "write",
    ]


LAYOUT_PROCESS_IMPORTS = """
import sys
import brochure.build, brochure.cli
print(" ".join(sorted({m.split(".")[0] for m in sys.modules} & {"yaml", "jinja2", "pypdf"})))
print(" ".join(sorted(m for m in sys.modules if m in
    ("brochure.model", "brochure.load", "brochure.validate", "brochure.render"))))
"""


def test_the_layout_process_loads_neither_the_front_half_nor_pypdf() -> None:
    """The command's own process, which lays out, never imports YAML, Jinja2, the content
    model or pypdf: its worker does that work (and those imports) on the other core."""
    assert _script(LAYOUT_PROCESS_IMPORTS).split("\n")[:2] == ["", ""]
