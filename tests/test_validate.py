"""Content and theme validation: every problem, with its file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from brochure.errors import ContentError
from brochure.load import parse_yaml
from brochure.model import Brochure, Figure
from brochure.project import Project
from brochure.schema import Validator
from brochure.validate import read_content, read_theme


def problems(project_dir: Path) -> list[str]:
    project = Project(project_dir)
    with pytest.raises(ContentError) as info:
        theme, fonts = read_theme(project)
        read_content(project, theme, fonts, ["article", "back", "cover"])
    return [str(p) for p in info.value.problems]


def edit(content: Path, old: str, new: str, name: str = "brochure.yaml") -> None:
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_misspelt_key_suggests_the_right_one(project) -> None:  # type: ignore[no-untyped-def]
    """A misspelt key is an error at its line, with a 'did you mean' suggestion, said once."""
    content = project()
    edit(content, "\ntitle: Health", "\ntitel: Health")
    found = problems(content)
    assert len(found) == 1
    assert found[0].startswith("content/brochure.yaml:") or "brochure.yaml:" in found[0]
    assert "unknown key 'titel' (did you mean 'title'?)" in found[0]


def test_all_problems_reported_together(project) -> None:  # type: ignore[no-untyped-def]
    """Several mistakes in one run are all reported, each at its own line."""
    content = project()
    edit(content, "    kicker: HSMC", "    kicker: HSMC\n    colour: red")
    edit(content, "  - layout: back", "  - layout: bak")
    edit(content, "      - {letter: P, label: Policy advice}", "      - {letter: P, label: 12}")
    found = problems(content)
    assert any("unknown key 'colour'" in p for p in found)
    assert any("unknown layout 'bak' (did you mean 'back'?)" in p for p in found)
    assert len(found) == 2  # 12 is accepted as the text "12"


def test_wrong_type_names_expected_and_found() -> None:
    """A wrong type says what was expected and what was found, at the value's line:column."""
    node = parse_yaml("nodes: {a: 1}\nalt: x\n", "fig.yaml")
    v = Validator()
    assert v.record(node, Figure, "figures.f") is not None
    (problem,) = v.problems
    assert str(problem) == "fig.yaml:1:8: figures.f.nodes: expected a list (got a mapping)"


def test_node_count_is_checked() -> None:
    """A cycle needs 3 to 8 nodes; 2 is an error saying so."""
    node = parse_yaml("nodes: [{letter: A, label: a}, {letter: B, label: b}]\nalt: x\n", "f.yaml")
    v = Validator()
    v.record(node, Figure, "f")
    assert "expected 3 to 8 items (got 2)" in str(v.problems[0])


def test_rule_across_fields_points_at_the_field(project) -> None:  # type: ignore[no-untyped-def]
    """A slug with capitals is reported at the slug's own line."""
    content = project()
    edit(content, "slug: hsmc-prospectus", "slug: HSMC Prospectus")
    (found,) = problems(content)
    assert ":12:7: slug: expected lower-case letters" in found


def test_undrawable_character_is_named(project) -> None:  # type: ignore[no-untyped-def]
    """A character no font can draw is named with its code point and line, never a blank box."""
    content = project()
    edit(content, "      - {letter: C, label: Consultancy}", "      - {letter: C, label: Consult☃}")
    (found,) = problems(content)
    assert "'☃' (U+2603 SNOWMAN) cannot be drawn" in found
    assert "brochure.yaml:37:" in found


def test_european_names_are_drawable(project) -> None:  # type: ignore[no-untyped-def]
    """Welsh, Polish and Scandinavian letters pass validation (the fonts have them)."""
    content = project()
    edit(
        content,
        "      - {letter: C, label: Consultancy}",
        "      - {letter: C, label: Ŵyn Łódź Ærø Ångström}",
    )
    project_ = Project(content)
    theme, fonts = read_theme(project_)
    read_content(project_, theme, fonts)


def test_theme_reference_to_unknown_colour(project) -> None:  # type: ignore[no-untyped-def]
    """A style naming a colour the theme lacks is reported at the theme line."""
    content = project({"content/theme.yaml": "styles:\n  body: {colour: navvy}\n"})
    (found,) = problems(content)
    assert found.startswith(str(Path("content/theme.yaml"))) or "theme.yaml:2:" in found
    assert "unknown colour 'navvy' (did you mean 'navy'?)" in found


def test_length_needs_a_unit(project) -> None:  # type: ignore[no-untyped-def]
    """'bleed: 3' is an error asking for a unit."""
    content = project({"content/theme.yaml": "page:\n  bleed: 3\n"})
    (found,) = problems(content)
    assert "page.bleed: expected a length with a unit such as 3mm (got 3)" in found


def test_whole_brochure_model() -> None:
    """The HSMC content validates into the model with four pages and one figure."""
    from .conftest import CONTENT

    project = Project(CONTENT)
    theme, fonts = read_theme(project)
    brochure = read_content(project, theme, fonts).brochure
    assert isinstance(brochure, Brochure)
    assert [p.layout for p in brochure.pages] == ["cover", "article", "article", "back"]
    assert len(brochure.figures["virtuous-circle"].nodes) == 4
