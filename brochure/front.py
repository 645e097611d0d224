"""Stages 1 to 3 in one call: a brochure's files -> :class:`Rendered`, all the layout needs.

Load, validate and render (see ``ARCHITECTURE.md``) read the theme, the fonts'
tables, the content and the layouts; what the later stages need of them is
the sections, the theme, the fonts, the PDF metadata and the printing
condition. The ``brochure build`` command runs :func:`read_and_render` in its
worker process while it loads ReportLab itself, and receives the result pickled.

Only :class:`Rendered` is defined at import: the stages are imported by
:func:`read_and_render`, so a process that only receives a :class:`Rendered`
(the one that lays out) never loads YAML, Jinja2 or the content model.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .finish.metadata import Metadata, OutputIntent
from .fonts import FontSet
from .markup import Section
from .theme import Theme

if TYPE_CHECKING:
    from .model import Brochure
    from .project import Project

__all__ = ["Ahead", "Progress", "Rendered", "Stages", "read_and_render", "read_and_render_timed"]

Progress = Callable[[str, float], None]
"""Told the name of each stage as it ends, and how long it took in seconds."""

Ahead = Callable[[Theme, FontSet, str], None]
"""Told the theme, its fonts and the language as soon as they are read, before the
templates are rendered: what the layout will load first (see
:func:`brochure.layout.document.prepare`)."""


@dataclass(frozen=True)
class Rendered:
    """The brochure's files, read, checked and rendered: what the layout and finish need."""

    sections: list[Section]
    """Every page's markup, parsed, in order."""
    padding: Section | None
    """The notes page a booklet adds to fill its sheets (when a booklet is built)."""
    theme: Theme
    """The validated theme."""
    fonts: FontSet
    """The theme's fonts (registered with ReportLab where first used)."""
    editions: tuple[str, ...]
    """The editions to build."""
    slug: str
    """The file name stem of the brochure's PDFs."""
    language: str
    """The content's language tag, such as en-GB."""
    running_head: str
    """The name printed in the folio line."""
    meta: Metadata
    """What the PDFs say about themselves."""
    intent: OutputIntent
    """The print edition's printing condition, with its ICC profile."""


def read_and_render(
    content_dir: Path,
    editions: Sequence[str] | None = None,
    progress: Progress | None = None,
    *,
    ahead: Ahead | None = None,
) -> Rendered:
    """Read the brochure in ``content_dir`` and render its pages, for ``editions`` (by
    default, those the content names). Every problem is raised as a
    :class:`~brochure.errors.BrochureError` listing them all. ``ahead``, if given, is
    told the theme, fonts and language once the content is read and checked."""
    from .editions import EDITIONS
    from .project import Project
    from .render import layout_names, render, render_padding
    from .validate import read_content, read_theme

    project = Project(content_dir)
    stage = Stages(progress)
    with stage("theme and fonts"):
        theme, fonts = read_theme(project)
    with stage("content"):
        content = read_content(project, theme, fonts, layout_names(project))
    brochure = content.brochure
    if ahead is not None:
        ahead(theme, fonts, brochure.language)
    names = tuple(editions or brochure.editions)
    with stage("templates"):
        sections = render(content, project)
        imposed = any(EDITIONS[name].imposed for name in names)
        padding = render_padding(content, project) if imposed else None
    return Rendered(
        sections=sections,
        padding=padding,
        theme=theme,
        fonts=fonts,
        editions=names,
        slug=brochure.slug,
        language=brochure.language,
        running_head=brochure.organisation.short_name or brochure.title,
        meta=metadata(brochure, project),
        intent=output_intent(theme, project),
    )


def read_and_render_timed(
    content_dir: Path, editions: Sequence[str] | None = None, *, ahead: Ahead | None = None
) -> tuple[Rendered, list[tuple[str, float]]]:
    """:func:`read_and_render`, with the seconds each stage took: for a worker process,
    whose stages its caller reports."""
    timings: list[tuple[str, float]] = []
    rendered = read_and_render(
        content_dir, editions, lambda name, s: timings.append((name, s)), ahead=ahead
    )
    return rendered, timings


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


class Stages:
    """Times each stage of a build and tells ``progress`` (if any) as it ends."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.report(name, time.perf_counter() - start)

    def report(self, name: str, seconds: float) -> None:
        """Tell ``progress`` that stage ``name`` took ``seconds`` (timed elsewhere)."""
        if self.progress is not None:
            self.progress(name, seconds)
