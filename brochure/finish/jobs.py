"""The editions to finish from one layout, as jobs that a worker process can be sent.

Importing this module imports neither pypdf nor ReportLab: the build makes its
jobs without loading pypdf, and the finishing worker (see
:mod:`brochure.parallel`) reads them without loading ReportLab.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..editions import Edition
from ..layout import LaidOut
from ..output import write_atomic
from ..parallel import map_forked
from .metadata import Metadata, OutputIntent

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


def finish_all(jobs: list[Job]) -> list[bytes]:
    """Each job's finished PDF, side by side on separate cores for long documents."""
    worthwhile = max((job.pages.pages for job in jobs), default=0) >= PARALLEL_PAGES
    # The tagged edition takes longest: it goes first, to the share this process does
    # itself (a forked worker pays for copying the pages of memory it writes to).
    order = sorted(range(len(jobs)), key=lambda i: not jobs[i].edition.interactive)
    pdfs = map_forked(_finish, [jobs[i] for i in order], worthwhile=worthwhile)
    return [pdf for _, pdf in sorted(zip(order, pdfs, strict=True))]


def finish_and_write(work: tuple[list[Job], list[Path]]) -> tuple[list[int], float]:
    """Finish each job (:func:`finish_all`) and write its PDF to its path, all or none
    (:func:`~brochure.output.write_atomic`): the size of each file, and the seconds the
    writing took. A finishing worker does this, so the PDFs need not travel back."""
    jobs, paths = work
    pdfs = finish_all(jobs)
    start = time.perf_counter()
    write_atomic(dict(zip(paths, pdfs, strict=True)))
    return [len(pdf) for pdf in pdfs], time.perf_counter() - start


def _finish(job: Job) -> bytes:
    from ..impose import impose_booklet
    from .edition import finish

    pdf = finish(job.pages, job.meta, job.edition, intent=job.intent)
    return impose_booklet(pdf) if job.edition.imposed else pdf
