"""The whole pipeline in one place: load -> validate -> render -> layout -> finish -> write."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .editions import EDITIONS
from .errors import LayoutError, Problem
from .finish import Metadata, OutputIntent
from .finish.jobs import Job, finish_all
from .layout import LaidOut
from .layout.document import layout
from .markup import Section
from .model import Brochure
from .output import write_atomic
from .parallel import Worker
from .project import Project
from .render import layout_names, render, render_padding
from .theme import Theme
from .validate import read_content, read_theme

__all__ = ["Output", "build", "metadata"]

Progress = Callable[[str, float], None]
"""Told the name of each stage as it ends, and how long it took in seconds."""


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
    finisher: Worker | None = None,
) -> list[Output]:
    """Build the brochure in ``content_dir`` into ``out_dir``; return what was written.

    Every edition is finished in memory before any file is written, so a failed
    build leaves the previous PDFs untouched. ``finisher``, a worker forked before
    the heavy imports (as the ``brochure build`` command does), finishes the
    editions if given.
    """
    project = Project(content_dir)
    stage = _Stages(progress)
    with stage("theme and fonts"):
        theme, fonts = read_theme(project)
    with stage("content"):
        content = read_content(project, theme, fonts, layout_names(project))
    brochure = content.brochure
    names = editions or brochure.editions
    with stage("templates"):
        sections = render(content, project)
    intent = output_intent(theme, project)
    lay_out = functools.partial(
        layout,
        theme=theme,
        fonts=fonts,
        language=brochure.language,
        running_head=brochure.organisation.short_name or brochure.title,
        output_profile=intent.profile,
    )
    with stage("layout"):
        laid = lay_out(sections)
    meta = metadata(brochure, project)
    jobs = []
    for name in names:
        edition, pages, padded = EDITIONS[name], laid, 0
        if edition.imposed and laid.pages % 4:
            padded = -laid.pages % 4
            with stage(f"layout ({name}, padded)"):
                pages = _pad(sections, render_padding(content, project), padded, lay_out)
        jobs.append(Job(edition, pages, meta, intent if edition.bleed else None, padded))
    with stage(f"finish ({', '.join(job.edition.name for job in jobs)})"):
        pdfs = finish_all(jobs) if finisher is None else finisher.call(finish_all, jobs)
    files = {
        out_dir / f"{brochure.slug}-{job.edition.name}.pdf": pdf
        for job, pdf in zip(jobs, pdfs, strict=True)
    }
    outputs = [
        Output(job.edition.name, path, job.pages.pages, len(pdf), job.warnings())
        for job, (path, pdf) in zip(jobs, files.items(), strict=True)
    ]
    with stage("write"):
        write_atomic(files)
    return outputs


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


def output_intent(theme: Theme, project: Project) -> OutputIntent:
    """The print edition's printing condition, with its ICC profile read from disk."""
    setup = theme.print
    path = project.find(project.profile_dirs, setup.output_profile)
    assert path is not None  # the theme's validation found it
    return OutputIntent(
        path.read_bytes(), setup.output_condition, setup.output_condition_info, setup.registry
    )


def metadata(brochure: Brochure, project: Project) -> Metadata:
    """The PDF metadata of ``brochure``, dated reproducibly.

    The date is ``SOURCE_DATE_EPOCH`` when set, else the time the newest input
    file was changed: building twice gives byte-identical files.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        stamp = int(epoch)
    else:
        stamp = int(max((p.stat().st_mtime for p in project.inputs()), default=0))
    title = f"{brochure.title}: {brochure.subtitle}" if brochure.subtitle else brochure.title
    return Metadata(
        title=title,
        author=brochure.author,
        subject=brochure.subject,
        keywords=brochure.keywords,
        language=brochure.language,
        date=datetime.fromtimestamp(stamp, UTC),
    )


class _Stages:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        if self.progress is not None:
            self.progress(name, time.perf_counter() - start)
