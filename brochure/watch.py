"""Rebuild on every save: ``brochure watch``.

Input: a content folder, an output folder and the editions to build. Output: a
:class:`Rebuild` handed to ``on_result`` after the first build and after every
later one, until ``stop`` is set (or Ctrl-C). Every build is :func:`build`
itself, so a failed one leaves the last good PDFs in place; its problems
arrive in the result and watching goes on.

Watched: the content folder, and the layouts, fonts and default theme the
build reads (the brochure's own ``layouts/`` and ``fonts/`` when they exist,
the package's otherwise). The output folder is never watched, so writing the
PDFs does not set off another build. The file system tells of changes through
watchfiles (inotify, FSEvents, ReadDirectoryChangesW); set
``WATCHFILES_FORCE_POLLING=1`` where it cannot, such as on some network drives.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .build import Output, Progress, build
from .errors import BrochureError, ContentError, Location, Problem
from .project import PACKAGE_DIR, Project

__all__ = ["Rebuild", "watch"]

TICK_MS = 200
"""How often, idle, the watcher looks up from waiting: to make its first build
once it is listening, and to notice a layouts/ or fonts/ folder come or go."""

STEP_MS = 50
"""A burst of changes counts as one save once the files are quiet this long."""


@dataclass(frozen=True)
class Rebuild:
    """The outcome of one build while watching."""

    outputs: tuple[Output, ...]
    """The files written; empty when the build failed."""
    error: BrochureError | None
    """Why the build failed, with every problem; the previous files are untouched."""
    changed: tuple[Path, ...]
    """The changed files that started this build; empty for the first one."""
    seconds: float
    """How long the build took."""

    @property
    def ok(self) -> bool:
        """Whether the build succeeded."""
        return self.error is None


def watch(
    content_dir: Path,
    out_dir: Path,
    editions: Sequence[str] | None = None,
    *,
    on_result: Callable[[Rebuild], None],
    stop: threading.Event | None = None,
    progress: Progress | None = None,
) -> None:
    """Build ``content_dir`` into ``out_dir``, then again after every change, until ``stop``.

    ``on_result`` is called after each build, good or bad. ``progress`` is
    passed to :func:`build` (one call per stage, as ``brochure build -v``).
    A problem in the content never ends the watch; ``stop`` or Ctrl-C does.
    """
    project = Project(content_dir)
    _check_folders(project, out_dir)
    halt = stop if stop is not None else threading.Event()
    rebuild = _Rebuilder(content_dir, out_dir, editions, on_result, progress)
    while not halt.is_set():
        _session(project, out_dir, halt, rebuild)


@dataclass(frozen=True)
class _Rebuilder:
    """Runs one build and hands its outcome on."""

    content_dir: Path
    """What to build."""
    out_dir: Path
    """Where the PDFs go."""
    editions: Sequence[str] | None
    """Which editions; the content's own when ``None``."""
    on_result: Callable[[Rebuild], None]
    """Told the outcome of every build."""
    progress: Progress | None
    """Told each stage of every build, as by :func:`build`."""

    def __call__(self, changed: tuple[Path, ...]) -> None:
        start = time.perf_counter()
        try:
            outputs = build(self.content_dir, self.out_dir, self.editions, progress=self.progress)
        except BrochureError as exc:
            self.on_result(Rebuild((), exc, changed, time.perf_counter() - start))
            return
        self.on_result(Rebuild(tuple(outputs), None, changed, time.perf_counter() - start))


def _session(project: Project, out_dir: Path, stop: threading.Event, rebuild: _Rebuilder) -> None:
    """Watch the folders that exist now; build at the first tick, then after every change.

    The first tick comes once the watcher listens, so no save is missed. Returns
    when ``stop`` is set or when a folder to watch has come or gone.
    """
    import watchfiles

    folders = _folders(project)
    out = out_dir.resolve()
    # The output folder may lie inside a watched one (it cannot be one: checked).
    inside = any(out.is_relative_to(folder) for folder in folders)
    changes = watchfiles.watch(
        *folders,
        watch_filter=watchfiles.DefaultFilter(ignore_paths=[out] if inside else []),
        stop_event=stop,
        step=STEP_MS,
        rust_timeout=TICK_MS,
        yield_on_timeout=True,
    )
    with contextlib.closing(changes):
        first = True
        for batch in changes:
            changed = tuple(sorted({Path(path) for _, path in batch}))
            if changed or first:
                rebuild(changed)
                first = False
            if _folders(project) != folders:
                return


def _folders(project: Project) -> tuple[Path, ...]:
    """The folders whose files a build reads, that exist now."""
    candidates = (
        project.content_dir,
        *project.layout_dirs,
        *project.font_dirs,
        PACKAGE_DIR / "defaults",
    )
    return tuple(dict.fromkeys(p.resolve() for p in candidates if p.is_dir()))


def _check_folders(project: Project, out_dir: Path) -> None:
    """Raise if there is nothing to watch, or if the PDFs would land in a watched folder."""
    if not project.content_dir.is_dir():
        where = Location(str(project.content_dir))
        raise ContentError(Problem("expected a folder holding brochure.yaml (not found)", where))
    if out_dir.resolve() in _folders(project):
        message = "the output folder must not be the content, layouts or fonts folder"
        raise ContentError(Problem(message, Location(str(out_dir))))
