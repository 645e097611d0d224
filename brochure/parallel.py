"""Doing the same thing to several items at once, one process per core (fork).

Finishing the print and screen editions are independent jobs over the same
laid-out pages. Two ways to run them side by side:

- :func:`map_forked` forks when the jobs are ready: the workers inherit the
  pages (no copying or pickling of them) and send back only the finished bytes,
  while the process that forked them does its own share.
  Short jobs, one core, or a platform without fork run in this process instead.
- :class:`Worker` forks *before* the heavy imports. The ``brochure build``
  command's worker first reads and renders the brochure while the command
  loads ReportLab (telling it early which fonts and language the layout will
  need, so that it can load them if it would otherwise wait), then loads what
  finishing needs (pypdf) on the other core
  while the layout runs; the pages then travel to it pickled, and it finishes
  the editions (with :func:`map_forked` in turn, for long documents). Forking
  early needs a process with no other threads, as the command's own is.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import tempfile
import traceback
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

__all__ = ["Handoff", "RemoteTraceback", "Worker", "forks", "map_forked"]

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_forked(
    function: Callable[[Item], Result], items: Sequence[Item], *, worthwhile: bool
) -> list[Result]:
    """``[function(item) for item in items]``, in forked processes when ``worthwhile``.

    The items are dealt out in turn, one share per core: this process takes the first
    share, and a forked worker each of the others. The workers inherit the items; only
    their results travel back, pickled. An exception raised by ``function`` reaches the
    caller whole (if several items fail, the caller sees one of them).
    """
    if not forks(len(items), worthwhile=worthwhile):
        return _each(function, items)
    count = min(len(items), os.cpu_count() or 1)
    pids: list[int] = []
    pipes: list[int] = []  # the read end of each worker's result pipe
    try:
        for index in range(1, count):
            work = functools.partial(_each, function, items[index::count])
            pid, result = _fork(work, pipes)
            pids.append(pid)
            pipes.append(result)
        shares = [_each(function, items[0::count])]
        shares += [_unpickle(_receive(fd)) for fd in pipes]
    finally:
        _reap(pids, pipes)
    results: list[Result | None] = [None] * len(items)
    for index, share in enumerate(shares):
        results[index::count] = share
    return results  # type: ignore[return-value]


def forks(count: int, *, worthwhile: bool) -> bool:
    """Whether :func:`map_forked` would fork workers for ``count`` items."""
    return worthwhile and count >= 2 and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


class Handoff:
    """One value handed from one process to another that :func:`map_forked` runs, in the
    middle of their items: made before the fork (a context manager, which frees it in
    this process), given in one, taken in the other.

    The value goes through an unnamed temporary file, so giving never waits for the
    taker; a pipe tells the taker it is there. :meth:`take` waits for it, or returns
    None at once if the giver ended (or closed) without giving: the taker then does
    the work itself.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (shared across the fork)
        self._ready, signal = os.pipe()
        self._signal: int | None = signal

    def give(self, value: object) -> None:
        """In the giving process: hand ``value`` over (at most once)."""
        data = memoryview(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        done = 0
        while done < len(data):
            done += os.pwrite(self._file.fileno(), data[done:], done)
        if self._signal is not None:
            os.write(self._signal, len(data).to_bytes(8, "big"))
        self.close()

    def close(self) -> None:
        """Give nothing (more) from this process: every process that does not take must
        call this (or :meth:`give`), or the taker waits for it to end."""
        signal, self._signal = self._signal, None
        if signal is not None:  # closed once: the number may be another file's by now
            with contextlib.suppress(OSError):
                os.close(signal)

    def take(self) -> Any:
        """In the taking process, once the giver has been forked: the value, or None."""
        self.close()  # this process's copy of the signalling end: the giver's alone is left
        size = _read(self._ready, 8)
        if len(size) < 8:
            return None
        return pickle.loads(os.pread(self._file.fileno(), int.from_bytes(size, "big"), 0))

    def __enter__(self) -> Handoff:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        with contextlib.suppress(OSError):
            os.close(self._ready)
        self._file.close()


def _each(function: Callable[[Item], Result], items: Sequence[Item]) -> list[Result]:
    return [function(item) for item in items]


class Worker:
    """A process forked ahead of need, working while this one works on.

    Made before the heavy imports, the worker starts at once on its ``first``
    task, if any, whose result :meth:`first` waits for; then it runs ``prepare``
    (imports, say) while this process goes on, and waits for one :meth:`call`,
    whose argument travels to it pickled. A worker never called exits when
    :meth:`close` is called, or when this process ends (it sees the end of its pipe).

    The first task is called with a function, ``tell``, through which it can send
    values ahead of its result (what it has learnt so far): :meth:`first` hands
    each to its ``early`` callback, in order, before it returns the result.
    """

    def __init__(
        self,
        prepare: Callable[[], object],
        *,
        first: Callable[[Callable[[object], None]], object] | None = None,
    ) -> None:
        job_read, self._job = os.pipe()
        first_read = first_write = None
        if first is not None:
            first_read, first_write = os.pipe()
            _widen(first_write)
        ours = [fd for fd in (self._job, first_read) if fd is not None]
        theirs = [fd for fd in (job_read, first_write) if fd is not None]
        try:
            serve = functools.partial(_serve, first, first_write, prepare, job_read)
            pid, self._result = _fork(serve, ours)
        except BaseException:
            for fd in ours:
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        self._pid: int | None = pid
        self._first = first_read

    def first(self, early: Callable[[Any], object] | None = None) -> Any:
        """What the first task returned, once it has: an exception it raised is raised here.

        Each value the task told before it returned is passed to ``early`` first (while
        the task goes on, if it has not finished yet); an exception ``early`` raises is
        raised here.
        """
        if self._first is None:
            raise RuntimeError("this worker has no first task, or it has been read")
        fd, self._first = self._first, None
        try:
            while True:
                reply = _receive(fd)
                if reply[:1] != _TOLD:
                    break
                if early is not None:
                    early(pickle.loads(reply[1:]))
        finally:
            os.close(fd)
        return _unpickle(reply)

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
            fds = [self._job, self._result, *([self._first] if self._first is not None else [])]
            _reap([self._pid], fds)
            self._pid = self._first = None

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fork(compute: Callable[[], object], drop: list[int]) -> tuple[int, int]:
    """Fork a worker that sends back what ``compute()`` returns; return its pid and the
    read end of its result pipe. The worker closes ``drop`` (pipe ends that belong to
    its parent, not to it) and never returns."""
    result_read, result_write = os.pipe()
    try:
        pid = os.fork()
    except BaseException:
        os.close(result_read)
        os.close(result_write)
        raise
    if pid == 0:  # the worker
        try:
            os.close(result_read)
            for fd in drop:
                os.close(fd)
        except BaseException:
            os._exit(1)
        _answer(result_write, compute)
    os.close(result_write)
    return pid, result_read


def _widen(fd: int) -> None:
    """Let a pipe hold a first result whole (where the system allows it), so that the
    worker goes on at once instead of waiting for this process to read it."""
    with contextlib.suppress(ImportError, AttributeError, OSError):  # F_SETPIPE_SZ: Linux
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


_TOLD = b"T"
"""The first byte of a value a first task told ahead of its result (whose pickle starts
with the pickle protocol's own marker)."""


def _tell(fd: int, value: object) -> None:
    """In a worker: send ``value`` ahead of the first task's result."""
    _send(fd, _TOLD + pickle.dumps(value))


def _serve(
    first: Callable[[Callable[[object], None]], object] | None,
    first_fd: int | None,
    prepare: Callable[[], object],
    job_fd: int,
) -> object:
    """An early worker's job: its first task (the result sent at once), then prepare, wait
    for the call, make it. (Run by :func:`_answer`: whatever goes wrong here, even an
    interrupt, is sent back, and the worker exits.)"""
    if first is not None and first_fd is not None:
        ok, reply = _outcome(functools.partial(first, functools.partial(_tell, first_fd)))
        _send(first_fd, reply)
        os.close(first_fd)
        if not ok:  # the caller raises the error and will not call
            raise SystemExit(0)
    with contextlib.suppress(Exception):  # if preparing fails, the call itself will say why
        prepare()
    job = _receive(job_fd)
    if not job:  # closed without a call: nobody is listening
        raise SystemExit(0)
    function, argument = pickle.loads(job)
    return function(argument)


class RemoteTraceback(Exception):
    """Where in a worker process an exception was raised (its traceback, as text)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _answer(fd: int, compute: Callable[[], object]) -> NoReturn:
    """In a worker: send ``compute()``'s result, or the exception it raised, then exit.

    ``os._exit``: a worker never returns into its parent's code, nor flushes its buffers.
    """
    status = 1
    try:
        try:
            _ok, reply = _outcome(compute)
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
            raise
        _send(fd, reply)
        status = 0
    finally:
        os._exit(status)


def _outcome(compute: Callable[[], object]) -> tuple[bool, bytes]:
    """Whether ``compute()`` returned, and its result or the exception it raised (with
    where it was raised), pickled for the caller. ``SystemExit`` is let through."""
    try:
        return True, pickle.dumps((True, compute(), ""))
    except SystemExit:
        raise
    except BaseException as exc:  # sent to the caller, which raises it
        where = traceback.format_exc()
        try:
            return False, pickle.dumps((False, exc, where))
        except Exception:
            failure = RuntimeError(f"in a worker process: {exc!r}")
            return False, pickle.dumps((False, failure, where))


def _unpickle(reply: bytes) -> Any:
    if not reply:
        raise RuntimeError("a worker process ended without a result")
    ok, value, where = pickle.loads(reply)
    if not ok:
        raise value from RemoteTraceback(where)
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


def _reap(pids: list[int], fds: list[int]) -> None:
    """Close every pipe first (a worker blocked writing to one, or waiting on one, then
    ends), then wait for each worker."""
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    for pid in pids:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
