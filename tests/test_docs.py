"""The docs stay true: generated references are current, the README's commands are used."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    """The indented one-line commands under the README's 'Two commands' heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [line.strip() for line in section.splitlines() if line.startswith("    ")]


def test_reference_tables_are_current() -> None:
    """docs/content.md and docs/theme.md hold the tables generated from the schema."""
    expected = runpy.run_path(str(ROOT / "tools" / "gen_reference.py"))["expected"]()
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"run tools/gen_reference.py ({path})"


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run calls the README's test command, word for word."""
    build, test = readme_commands()
    assert "brochure build" in build and "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_links_exist() -> None:
    """Every relative link and image in the README points at a file in the repository."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", text):
        assert (ROOT / target).exists(), target
