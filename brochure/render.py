"""Stage 3, render: the content model + layout templates -> parsed markup sections.

Input: a validated :class:`~brochure.validate.Content`. Output: one
:class:`~brochure.markup.Section` per page entry, in order. Each page names a
layout; ``layouts/<name>.xml.j2`` beside ``content/`` is used if present,
else the package's own. Templates run in Jinja2's immutable sandbox with
undefined names as errors, and with autoescaping on, so content text reaches
the markup as text: it is never evaluated as a template or as markup.
"""

from __future__ import annotations

import contextlib
import functools
import traceback
from collections.abc import Sequence
from pathlib import Path

import jinja2
import jinja2.bccache
import jinja2.sandbox
from jinja2.exceptions import SecurityError
from markupsafe import Markup, escape

from . import __version__, cache
from .errors import ContentError, Location, Problem, TemplateError
from .images import check_image
from .markup import Section, parse_section
from .project import Project
from .schema import unknown_name
from .validate import Content, confined

__all__ = ["environment", "inline_markdown", "layout_names", "render", "render_padding"]

TEMPLATE_SUFFIX = ".xml.j2"


def environment(layout_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The sandboxed Jinja2 environment for a set of layout folders.

    Cached while the folders hold the same template files: a layout added beside
    the content (overriding the package's) is picked up at the next build, which
    Jinja2's own reloading would miss, as it only re-checks the file it first loaded.
    """
    return _environment(layout_dirs, _listing(layout_dirs))


def _listing(layout_dirs: tuple[Path, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(sorted(p.name for p in d.glob("*.j2"))) if d.is_dir() else () for d in layout_dirs
    )


@functools.lru_cache(maxsize=8)
def _environment(
    layout_dirs: tuple[Path, ...], listing: tuple[tuple[str, ...], ...]
) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(d)) for d in layout_dirs])
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["inline"] = inline_markdown
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs; Jinja2 checks each against its source.

    As with :mod:`brochure.cache`, a corrupt or unwritable entry only means the
    template is compiled again.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    # Jinja2 checks each entry against the template's source and Python's version; the
    # folder's name adds what else the compiled code depends on: Jinja2's version, and
    # brochure's (which sets the environment's options).
    folder = cache.folder(f"templates-{jinja2.__version__}-{__version__}")
    return None if folder is None else _BytecodeCache(str(folder))


@functools.lru_cache(maxsize=1)
def _markdown() -> object:
    from markdown_it import MarkdownIt

    # Only what a brochure needs: emphasis, strong, links, backslash escapes.
    # No raw HTML, no entities (so "&amp;" stays literally "&amp;"), no code spans.
    return MarkdownIt("zero").enable(["emphasis", "link", "autolink", "escape"])


@functools.lru_cache(maxsize=4096)
def inline_markdown(text: str) -> Markup:
    """Inline Markdown in ``text`` -> markup (``em``, ``strong``, ``a``), the rest escaped."""
    if not any(c in text for c in "*_[<\\"):
        return escape(text)  # the common case: plain text
    md = _markdown()
    out: list[str] = []
    for block in md.parseInline(text):  # type: ignore[attr-defined]
        for tok in block.children or ():
            if tok.type == "text":
                out.append(escape(tok.content))
            elif tok.type in ("em_open", "strong_open"):
                out.append(f"<{tok.tag}>")
            elif tok.type in ("em_close", "strong_close"):
                out.append(f"</{tok.tag}>")
            elif tok.type == "link_open":
                out.append(f'<a href="{escape(tok.attrGet("href") or "")}">')
            elif tok.type == "link_close":
                out.append("</a>")
            elif tok.type == "softbreak":
                out.append(" ")
            else:  # anything else keeps its source text
                out.append(escape(tok.content))
    return Markup("".join(out))


def layout_names(project: Project) -> list[str]:
    """The layouts a page may name: every ``NAME.xml.j2`` not starting with an underscore."""
    env = environment(project.layout_dirs)
    return sorted(
        name[: -len(TEMPLATE_SUFFIX)]
        for name in env.list_templates()
        if name.endswith(TEMPLATE_SUFFIX) and not name.startswith("_")
    )


def render(content: Content, project: Project) -> list[Section]:
    """Render every page of ``content`` with its layout and parse the markup."""
    env = environment(project.layout_dirs)
    available = layout_names(project)
    brochure, theme = content.brochure, content.theme
    missing = [
        Problem(
            unknown_name("layout", page.layout, available),
            content.where(page, "layout"),
            f"pages[{i}].layout",
        )
        for i, page in enumerate(brochure.pages)
        if page.layout not in available
    ]
    ContentError.collect(missing)
    styles, colours = set(theme.styles), set(theme.colours)

    def resolve(name: str) -> Path:
        path = confined(project.content_dir, project.root, name)
        check_image(path)
        return path

    sections: list[Section] = []
    problems: list[Problem] = []
    for i, page in enumerate(brochure.pages):
        name = page.layout + TEMPLATE_SUFFIX
        try:
            text = _render_one(
                env,
                name,
                brochure=brochure,
                page=page,
                theme=theme,
                figures=brochure.figures,
                number=i + 1,
                pages=len(brochure.pages),
            )
            source = f"{_shown(env, name)} (output for pages[{i}])"
            sections.append(
                parse_section(text, source, styles=styles, colours=colours, resolve=resolve)
            )
        except TemplateError as exc:
            problems.extend(exc.problems)
    TemplateError.collect(problems)
    return sections


def render_padding(content: Content, project: Project) -> Section:
    """The page a booklet adds to reach a multiple of four: the ``notes`` layout."""
    from .model import Page

    env = environment(project.layout_dirs)
    name = "notes" + TEMPLATE_SUFFIX
    text = _render_one(
        env,
        name,
        brochure=content.brochure,
        page=Page(layout="notes"),
        theme=content.theme,
        figures=content.brochure.figures,
        number=0,
        pages=len(content.brochure.pages),
    )
    theme = content.theme
    return parse_section(
        text,
        f"{_shown(env, name)} (booklet padding)",
        styles=set(theme.styles),
        colours=set(theme.colours),
    )


def _shown(env: jinja2.Environment, name: str) -> str:
    """The template's file path as a user would find it."""
    from .load import display_path

    source = env.loader.get_source(env, name)[1] if env.loader else None
    return display_path(Path(source)) if source else name


def _render_one(env: jinja2.Environment, name: str, **context: object) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_shown(env, exc.name or name), exc.lineno)
        raise TemplateError(Problem(f"template syntax error: {exc.message}", where)) from None
    except (
        jinja2.UndefinedError,
        SecurityError,
        jinja2.TemplateError,
        TypeError,
        ValueError,
        AttributeError,
        LookupError,
    ) as exc:
        raise TemplateError(
            Problem(f"template error: {exc}", _template_frame(exc, env, name))
        ) from None


def _template_frame(exc: BaseException, env: jinja2.Environment, name: str) -> Location:
    """The innermost template line in ``exc``'s traceback (Jinja2 rewrites frames to it)."""
    frames: Sequence[traceback.FrameSummary] = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith(TEMPLATE_SUFFIX):
            return Location(_shown_file(frame.filename), frame.lineno)
    return Location(_shown(env, name))


def _shown_file(filename: str) -> str:
    from .load import display_path

    return display_path(Path(filename))
