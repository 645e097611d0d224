"""Doing the same thing to several items at once, one process per core (fork).

Finishing the print and screen editions are independent jobs over the same
laid-out pages. Two ways to run them side by side:

- :func:`map_forked` forks when the jobs are ready: the workers inherit the
  pages (no copying or pickling of them) and send back only the finished bytes.
  Short jobs, one core, or a platform without fork run in this process instead.
- :class:`Worker` forks *before* the layout, so that the worker loads what
  finishing needs (pypdf) on the other core while the layout runs; the pages
  then travel to it pickled, and it finishes the editions (with
  :func:`map_forked` in turn, for long documents). The ``brochure`` command
  uses it: a fresh process with no other threads, which forking early needs.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

__all__ = ["Worker", "map_forked"]

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], *, worthwhile: bool
) -> list[Result]:
    """``[function(item) for item in items]``, in forked processes when ``worthwhile``.

    The items are dealt out in turn to one process per core, which inherit them;
    only the results travel back, pickled. An exception raised by ``function``
    reaches the caller whole (if several items fail, the caller sees one of them).
    """
    cores = os.cpu_count() or 1
    if not worthwhile or len(items) < 2 or cores < 2 or not hasattr(os, "fork"):
        return [function(item) for item in items]
    count = min(len(items), cores)
    children: list[tuple[int, int]] = []  # (pid, result fd)
    try:
        for index in range(count):
            result_read, result_write = os.pipe()
            pid = os.fork()
            if pid == 0:  # a worker
                os.close(result_read)
                for _pid, fd in children:
                    os.close(fd)
                _answer(result_write, functools.partial(_each, function, items[index::count]))
            os.close(result_write)
            children.append((pid, result_read))
        replies = [_receive(fd) for _pid, fd in children]
    finally:
        _reap(children)
    results: list[Result | None] = [None] * len(items)
    for index, reply in enumerate(replies):
        results[index::count] = _unpickle(reply)
    return results  # type: ignore[return-value]


def _each(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


class Worker:
    """A process forked ahead of need, readying itself while this one works on.

    Made before a long stage (the layout), the worker runs ``prepare`` (imports,
    say) on another core meanwhile, then waits for one :meth:`call`, whose
    argument travels to it pickled. A worker never called exits when
    :meth:`close` is called, or when this process ends (it sees the end of its pipe).
    """

    def __init__(self, prepare: Callable[[], object]) -> None:
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(job_write)
            os.close(result_read)
            _serve(prepare, job_read, result_write)
        os.close(job_read)
        os.close(result_write)
        self._pid: int | None = pid
        self._job = job_write
        self._result = result_read

    def call(self, function: Callable[[Item], Result], argument: Item) -> Result:
        """``function(argument)``, in the worker. An exception it raises reaches the caller."""
        if self._pid is None:
            raise RuntimeError("this worker has been used or closed")
        try:
            _send(self._job, pickle.dumps((function, argument)))
            reply = _receive(self._result)
        finally:
            self.close()
        return _unpickle(reply)  # type: ignore[no-any-return]

    def close(self) -> None:
        """Let the worker go (if not called, it sees its pipe close and exits)."""
        if self._pid is not None:
            _reap([(self._pid, self._job), (-1, self._result)])
            self._pid = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(prepare: Callable[[], object], job_fd: int, result_fd: int) -> NoReturn:
    """An early worker's life: prepare, wait for its job, answer it."""
    try:
        with contextlib.suppress(Exception):  # if preparing fails, the job itself will say why
            prepare()
        job = _receive(job_fd)
    except BaseException:
        os._exit(1)
    if not job:
        os._exit(0)  # closed without a job
    function, argument = pickle.loads(job)
    _answer(result_fd, lambda: function(argument))


def _answer(fd: int, compute: Callable[[], object]) -> NoReturn:
    """In a worker: send ``compute()``'s result, or the exception it raised, then exit.

    ``os._exit``: a worker never returns into its parent's code, nor flushes its buffers.
    """
    status = 1
    try:
        try:
            reply = pickle.dumps((True, compute()))
        except BaseException as exc:  # sent to the caller, which raises it
            try:
                reply = pickle.dumps((False, exc))
            except Exception:
                reply = pickle.dumps((False, RuntimeError(f"in a worker process: {exc!r}")))
        _send(fd, reply)
        status = 0
    finally:
        os._exit(status)


def _unpickle(reply: bytes) -> Any:
    if not reply:
        raise RuntimeError("a worker process ended without a result")
    ok, value = pickle.loads(reply)
    if not ok:
        raise value
    return value


def _send(fd: int, data: bytes) -> None:
    """One message: its length, then its bytes."""
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes:
    """One message from ``fd``, or b"" if the other end closed without sending one."""
    size = _read(fd, 8)
    return _read(fd, int.from_bytes(size, "big")) if len(size) == 8 else b""


def _read(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _reap(processes: list[tuple[int, int]]) -> None:
    """Close each pipe (a waiting worker sees its end and exits) and wait for each process."""
    for pid, fd in processes:
        os.close(fd)
        if pid > 0:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
