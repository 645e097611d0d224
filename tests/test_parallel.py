"""Finishing editions side by side: same bytes as one after another, errors intact."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from brochure.build import build
from brochure.cli import _prepare_finishing
from brochure.errors import ContentError, Location, Problem
from brochure.finish import jobs as jobs_module
from brochure.parallel import RemoteTraceback, Worker, map_forked

from .conftest import CONTENT


def _square(x: int) -> int:
    return x * x


def _fail(x: int) -> int:
    raise ContentError(Problem(f"bad {x}", Location("f.yaml", x, 1)))


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


def test_long_brochure_same_bytes_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prospectus long enough to finish in parallel gives the same files as in series."""
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
    parallel = {o.edition: o.path.read_bytes() for o in build(content, tmp_path / "a")}
    assert max(o.pages for o in build(content, tmp_path / "c", ["print"])) >= 24
    with Worker(_prepare_finishing) as worker:
        early = build(content, tmp_path / "d", finisher=worker)
    monkeypatch.setattr(jobs_module, "PARALLEL_PAGES", 10_000)
    serial = {o.edition: o.path.read_bytes() for o in build(content, tmp_path / "b")}
    assert parallel == serial
    assert {o.edition: o.path.read_bytes() for o in early} == serial


def test_an_early_worker_finishes_the_same_bytes(tmp_path: Path) -> None:
    """The HSMC prospectus, all three editions, finished by a worker forked before the layout."""
    here = {o.edition: o.path.read_bytes() for o in build(CONTENT, tmp_path / "a")}
    with Worker(_prepare_finishing) as worker:
        outputs = build(CONTENT, tmp_path / "b", finisher=worker)
    assert {o.edition: o.path.read_bytes() for o in outputs} == here
    assert set(here) == {"print", "screen", "booklet"}


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


def test_closing_a_worker_that_is_answering_does_not_hang() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CLOSE_WHILE_ANSWERING],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "closed"


def test_no_editions_builds_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "theme.yaml").write_text((CONTENT / "theme.yaml").read_text())
    data = yaml.safe_load((CONTENT / "brochure.yaml").read_text(encoding="utf-8"))
    data["editions"] = []
    (content / "brochure.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    assert build(content, tmp_path / "out") == []
    with Worker(_prepare_finishing) as worker:
        assert build(content, tmp_path / "out", finisher=worker) == []
    assert not list((tmp_path / "out").glob("*.pdf"))
