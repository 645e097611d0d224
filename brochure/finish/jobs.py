"""The editions to finish from one layout, as jobs that a worker process can be sent.

Importing this module imports neither pypdf nor ReportLab: the build makes its
jobs without loading pypdf, and the finishing worker (see
:mod:`brochure.parallel`) reads them without loading ReportLab.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..editions import Edition
from ..layout import LaidOut
from ..output import write_atomic
from ..parallel import Handoff, forks, map_forked
from .metadata import Metadata, OutputIntent

if TYPE_CHECKING:
    from .screen import Recoloured

__all__ = ["PARALLEL_PAGES", "Job", "finish_all", "finish_and_write"]

PARALLEL_PAGES = 24
"""From this many pages on, editions are finished side by side on separate cores."""


@dataclass(frozen=True)
class Job:
    """One edition to finish from laid-out pages."""

    edition: Edition
    pages: LaidOut
    meta: Metadata
    intent: OutputIntent | None
    padded: int
    """Notes pages added to make a booklet fold."""

    def warnings(self) -> tuple[str, ...]:
        own = self.pages.warnings if self.edition.bleed else ()
        if not self.padded:
            return own
        n = self.pages.pages
        return (
            *own,
            f"{self.edition.name}: {n - self.padded} pages padded to {n} with "
            f"{self.padded} notes page{'s' if self.padded > 1 else ''} before the back "
            "cover, so the sheets fold into a booklet",
        )


@dataclass(frozen=True)
class _Share:
    """A job as one process of :func:`finish_all` does it."""

    job: Job
    handoff: Handoff | None = None
    """Where one process hands another the colours of the first job's pages, turned."""
    role: str = ""
    """"take" (this job's pages), "give" (turn ``pages``' colours first and hand them
    over), or "" (neither)."""
    pages: LaidOut | None = None
    """The pages whose colours the giver turns."""


def finish_all(jobs: list[Job]) -> list[bytes]:
    """Each job's finished PDF, side by side on separate cores for long documents."""
    worthwhile = max((job.pages.pages for job in jobs), default=0) >= PARALLEL_PAGES
    # The tagged edition takes longest: it goes first, to the share this process does
    # itself (a forked worker pays for copying the pages of memory it writes to).
    order = sorted(range(len(jobs)), key=lambda i: not jobs[i].edition.interactive)
    ordered = [jobs[i] for i in order]
    with contextlib.ExitStack() as stack:
        handoff = None
        if forks(len(ordered), worthwhile=worthwhile) and ordered[0].edition.colour == "rgb":
            # Evener shares: the worker that finishes the next edition first turns the
            # colours of the first one's pages (a sixth of its work) and hands them over.
            with contextlib.suppress(OSError):  # no temporary file: each does its own
                handoff = stack.enter_context(Handoff())
        shares = [_Share(job, handoff) for job in ordered]
        if handoff is not None:
            shares[0] = _Share(ordered[0], handoff, "take")
            shares[1] = _Share(ordered[1], handoff, "give", ordered[0].pages)
        pdfs = map_forked(_finish_share, shares, worthwhile=worthwhile)
    return [pdf for _, pdf in sorted(zip(order, pdfs, strict=True))]


def _finish_share(share: _Share) -> bytes:
    handoff = share.handoff
    if handoff is not None and share.role == "take":
        return _finish(share.job, handoff.take)
    if handoff is not None:
        if share.role == "give" and share.pages is not None:
            from .screen import recoloured

            # Only an optimisation: if it fails, the taker turns the colours itself
            # (and reports whatever is wrong with them).
            with contextlib.suppress(Exception):
                handoff.give(recoloured(share.pages))
        handoff.close()  # given, failed or not the giver: the taker no longer waits for us
    return _finish(share.job)


def finish_and_write(work: tuple[list[Job], list[Path]]) -> tuple[list[int], float]:
    """Finish each job (:func:`finish_all`) and write its PDF to its path, all or none
    (:func:`~brochure.output.write_atomic`): the size of each file, and the seconds the
    writing took. A finishing worker does this, so the PDFs need not travel back."""
    jobs, paths = work
    pdfs = finish_all(jobs)
    start = time.perf_counter()
    write_atomic(dict(zip(paths, pdfs, strict=True)))
    return [len(pdf) for pdf in pdfs], time.perf_counter() - start


def _finish(job: Job, ready: Callable[[], Recoloured | None] | None = None) -> bytes:
    from ..impose import impose_booklet
    from .edition import finish

    pdf = finish(job.pages, job.meta, job.edition, intent=job.intent, ready=ready)
    return impose_booklet(pdf) if job.edition.imposed else pdf
