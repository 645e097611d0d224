"""Stage 2, validate: YAML node trees -> the typed content model and theme.

Input: ``content/brochure.yaml`` and ``content/theme.yaml`` (merged over the
package defaults). Output: a :class:`Content` holding a
:class:`~brochure.model.Brochure` and a :class:`~brochure.theme.Theme`, every
value checked, or a :class:`~brochure.errors.ContentError` listing every
problem of the run with its file, line and column. Text that the fonts cannot
draw is a problem here, so no blank box ever reaches a printer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Location, Problem
from .fonts import FontSet, load_fonts
from .load import Node, load_yaml
from .model import Brochure, Columns, FigureBlock, ImageBlock
from .project import PACKAGE_DIR, Project
from .schema import INVALID, Validator, unknown_name
from .theme import Theme

__all__ = ["Content", "confined", "merge", "read_content", "read_theme"]


@dataclass(frozen=True)
class Content:
    """Everything the later stages need from the brochure's files."""

    brochure: Brochure
    """The validated content."""
    theme: Theme
    """The validated theme."""
    fonts: FontSet
    """The theme's fonts (registered with ReportLab where first used)."""
    validator: Validator
    """Knows where each content value was written, for later messages."""

    def where(self, record: object, field: str = "") -> Location | None:
        """Where ``record`` (or its ``field``) is written in the content files."""
        return self.validator.location(record, field)


def merge(base: Node, over: Node) -> Node:
    """``over`` laid on ``base``: mappings merge key by key, anything else replaces."""
    if not (base.is_mapping and over.is_mapping):
        return over
    values = dict(base.value)
    keys = dict(base.key_locations)
    for key, node in over.value.items():
        values[key] = merge(values[key], node) if key in values else node
        keys[key] = over.key_locations[key]
    return Node(values, over.location, keys)


def read_theme(project: Project) -> tuple[Theme, FontSet]:
    """Read the theme (defaults + the project's theme.yaml), and find its fonts and what
    they can draw (registering them with ReportLab is left to whoever draws)."""
    node = load_yaml(PACKAGE_DIR / "defaults" / "theme.yaml")
    if project.theme_file.exists():
        node = merge(node, load_yaml(project.theme_file))
    validator = Validator()
    theme = validator.record(node, Theme, "")
    if theme is INVALID:
        raise ContentError(*validator.problems)
    ContentError.collect(
        [*_theme_references(theme, validator), *_print_setup(theme, validator, project)]
    )
    where = {name: validator.location(theme.fonts[name]) for name in theme.fonts}
    families = {name: family.faces for name, family in theme.fonts.items()}
    return theme, load_fonts(families, project.font_dirs, where)


def _theme_references(theme: Theme, validator: Validator) -> list[Problem]:
    problems = []

    def check(
        record: object, field: str, value: str, known: Mapping[str, object], what: str, path: str
    ) -> None:
        if value not in known:
            problems.append(
                Problem(
                    unknown_name(what, value, list(known)), validator.location(record, field), path
                )
            )

    for name, style in theme.styles.items():
        check(style, "font", style.font, theme.fonts, "font family", f"styles.{name}.font")
        check(style, "colour", style.colour, theme.colours, "colour", f"styles.{name}.colour")
    fig = theme.figure
    check(fig, "font", fig.font, theme.fonts, "font family", "figure.font")
    for field in ("node", "label", "arrow", "disc", "centre"):
        check(fig, field, getattr(fig, field), theme.colours, "colour", f"figure.{field}")
    return problems


def _print_setup(theme: Theme, validator: Validator, project: Project) -> list[Problem]:
    """Every colour within the ink limit; the output profile found."""
    limit = theme.print.ink_limit
    problems = [
        Problem(
            f"uses {colour.coverage:g} % ink in total, over the {limit:g} % limit "
            "of the print setup",
            validator.location(colour, "cmyk"),
            f"colours.{name}.cmyk",
        )
        for name, colour in theme.colours.items()
        if colour.coverage > limit
    ]
    if project.find(project.profile_dirs, theme.print.output_profile) is None:
        searched = ", ".join(str(d) for d in project.profile_dirs)
        problems.append(
            Problem(
                f"output profile {theme.print.output_profile!r} not found (looked in {searched})",
                validator.location(theme.print, "output_profile"),
                "print.output_profile",
            )
        )
    return problems


def read_content(
    project: Project, theme: Theme, fonts: FontSet, layouts: Collection[str] = ()
) -> Content:
    """Read ``brochure.yaml`` into the content model, checking it against the theme's fonts.

    ``layouts`` names the layout templates available; a page naming another is an error.
    """
    node = load_yaml(project.content_file)
    validator = Validator(check_text=fonts.missing)
    brochure = validator.record(node, Brochure, "")
    problems = list(validator.problems)  # glyph problems do not make a value invalid
    if layouts:
        problems.extend(_layout_names(node, layouts))
    if brochure is INVALID:
        raise ContentError(*problems)
    problems.extend(_figure_references(brochure, validator))
    problems.extend(_image_problems(brochure, validator, project))
    ContentError.collect(problems)
    return Content(brochure, theme, fonts, validator)


def _layout_names(node: Node, layouts: Collection[str]) -> list[Problem]:
    """Every page whose layout names no template (read from the YAML, so this works even
    when other parts of the page are wrong)."""
    pages = node.value.get("pages") if node.is_mapping else None
    if pages is None or not pages.is_sequence:
        return []
    problems = []
    for i, page in enumerate(pages.value):
        layout = page.value.get("layout") if page.is_mapping else None
        if layout is not None and isinstance(layout.value, str) and layout.value not in layouts:
            problems.append(
                Problem(
                    unknown_name("layout", layout.value, sorted(layouts)),
                    layout.location,
                    f"pages[{i}].layout",
                )
            )
    return problems


def _figure_references(brochure: Brochure, validator: Validator) -> list[Problem]:
    """Every figure block names a figure the content defines."""
    return [
        Problem(
            unknown_name("figure", block.name, list(brochure.figures)),
            validator.location(block, "name"),
            f"{where}.name",
        )
        for block, where in _blocks_of(brochure)
        if isinstance(block, FigureBlock) and block.name not in brochure.figures
    ]


def confined(base: Path, root: Path, name: str) -> Path:
    """``name`` (relative to ``base``) as a path inside ``root``; ValueError if it escapes
    (an absolute path, ``..``, or a link pointing outside) or is not a file."""
    if Path(name).is_absolute() or "\\" in name:
        raise ValueError(f"expected a path relative to the content folder (got {name!r})")
    path = (base / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise ValueError(f"{name!r} lies outside the brochure's folder; keep images inside it")
    if not path.is_file():
        raise ValueError(f"file {name!r} not found in {base}")
    return path


def _image_problems(brochure: Brochure, validator: Validator, project: Project) -> list[Problem]:
    """Every image block's file: inside the brochure's folder, a JPEG or PNG."""
    from .images import check_image

    problems = []
    for block, where in _blocks_of(brochure):
        if isinstance(block, ImageBlock):
            try:
                check_image(confined(project.content_dir, project.root, block.src))
            except ValueError as exc:
                problems.append(Problem(str(exc), validator.location(block, "src"), f"{where}.src"))
    return problems


def _blocks_of(brochure: Brochure) -> list[tuple[object, str]]:
    """Every block of every page (inside columns too), with its path."""
    found: list[tuple[object, str]] = []

    def walk(blocks: tuple[object, ...], where: str) -> None:
        for j, block in enumerate(blocks):
            found.append((block, f"{where}[{j}].{getattr(block, 'tag', '')}"))
            if isinstance(block, Columns):
                walk(block.blocks, f"{where}[{j}].columns.blocks")

    for i, page in enumerate(brochure.pages):
        walk(page.blocks, f"pages[{i}].blocks")
    return found
