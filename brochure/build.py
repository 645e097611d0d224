"""The whole pipeline in one place: load -> validate -> render -> layout -> finish -> write."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .editions import EDITIONS
from .errors import LayoutError, Problem
from .finish.jobs import Job, finish_and_write
from .fonts import FontSet
from .front import Progress, Rendered, Stages
from .layout import LaidOut
from .layout.document import layout, prepare
from .markup import Section
from .parallel import Worker
from .theme import Theme

__all__ = ["Output", "Progress", "build"]

PREPARE = "fonts and hyphenation"
"""The stage that loads what the layout needs first (:func:`~brochure.layout.document.prepare`)."""


@dataclass(frozen=True)
class Output:
    """One file a build wrote."""

    edition: str
    path: Path
    pages: int
    """Pages of the brochure (a booklet's sheets hold two a side)."""
    size: int
    """Bytes."""
    warnings: tuple[str, ...] = ()
    """Things the user should know, such as pages added to fill a booklet."""


def build(
    content_dir: Path,
    out_dir: Path,
    editions: Sequence[str] | None = None,
    *,
    progress: Progress | None = None,
    worker: Worker | None = None,
) -> list[Output]:
    """Build the brochure in ``content_dir`` into ``out_dir``; return what was written.

    Every edition is finished in memory before any file is written, so a failed
    build leaves the previous PDFs untouched. ``worker``, forked before the heavy
    imports with :func:`~brochure.front.read_and_render` as its first task (as the
    ``brochure build`` command does), reads and renders the brochure, and then
    finishes and writes the editions.
    """
    stage = Stages(progress)
    rendered: Rendered
    if worker is None:
        from .front import read_and_render  # imports the stages; see brochure.front

        rendered = read_and_render(content_dir, editions, progress)
        with stage(PREPARE):
            prepare(rendered.theme, rendered.fonts, rendered.language)
    else:
        # The worker tells the theme, fonts and language before it renders the
        # templates: this process loads them then, rather than after waiting.
        ahead: list[float] = []
        rendered, timings = worker.first(functools.partial(_prepare_ahead, ahead))
        for name, seconds in timings:
            stage.report(name, seconds)
        if ahead:
            stage.report(PREPARE, ahead[0])
        else:  # told nothing ahead, or preparing then failed
            with stage(PREPARE):
                prepare(rendered.theme, rendered.fonts, rendered.language)
    lay_out = functools.partial(
        layout,
        theme=rendered.theme,
        fonts=rendered.fonts,
        language=rendered.language,
        running_head=rendered.running_head,
        output_profile=rendered.intent.profile,
    )
    with stage("layout"):
        laid = lay_out(rendered.sections)
    jobs = []
    for name in rendered.editions:
        edition, pages, padded = EDITIONS[name], laid, 0
        if edition.imposed and laid.pages % 4:
            assert rendered.padding is not None  # rendered for every imposed edition
            padded = -laid.pages % 4
            with stage(f"layout ({name}, padded)"):
                pages = _pad(rendered.sections, rendered.padding, padded, lay_out)
        intent = rendered.intent if edition.bleed else None
        jobs.append(Job(edition, pages, rendered.meta, intent, padded))
    paths = [out_dir / f"{rendered.slug}-{job.edition.name}.pdf" for job in jobs]
    # A worker writes the files too: the PDFs need not come back to this process.
    start = time.perf_counter()
    if worker is None:
        sizes, writing = finish_and_write((jobs, paths))
    else:
        sizes, writing = worker.call(finish_and_write, (jobs, paths))
    finishing = f"finish ({', '.join(job.edition.name for job in jobs)})"
    stage.report(finishing, time.perf_counter() - start - writing)
    stage.report("write", writing)
    return [
        Output(job.edition.name, path, job.pages.pages, size, job.warnings())
        for job, path, size in zip(jobs, paths, sizes, strict=True)
    ]


def _prepare_ahead(seconds: list[float], told: tuple[Theme, FontSet, str]) -> None:
    # Only done ahead: should it fail, it is done again once the worker's result is in,
    # so that a problem the worker found (in a template, say) is the one reported first.
    start = time.perf_counter()
    with contextlib.suppress(Exception):
        prepare(*told)
        seconds.append(time.perf_counter() - start)


def _pad(
    sections: list[Section],
    notes: Section,
    count: int,
    lay_out: Callable[[list[Section]], LaidOut],
) -> LaidOut:
    """Lay out again with ``count`` notes pages before the last section (the back cover)."""
    body, back = (sections[:-1], sections[-1:]) if len(sections) > 1 else (sections, [])
    padded = lay_out([*body, *([notes] * count), *back])
    if padded.pages % 4:
        raise LayoutError(
            Problem(
                f"the booklet has {padded.pages} pages after adding {count} notes pages; a "
                "notes page must fill exactly one page (check layouts/notes.xml.j2)"
            )
        )
    return padded
