"""Write the generated reference tables into docs/content.md and docs/theme.md.

The tables come from the schema declarations (brochure/model.py, brochure/theme.py),
so the docs cannot drift from the code: tests/test_docs.py checks they are current.

    python tools/gen_reference.py          # rewrite the generated parts
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from brochure import model, theme  # noqa: E402
from brochure.schema import Tagged, schema_rows  # noqa: E402

BEGIN, END = "<!-- generated: do not edit below -->", "<!-- generated: end -->"


def table(cls: type) -> str:
    """One markdown table of the fields of ``cls``."""
    lines = [
        f"### `{getattr(cls, 'tag', '') or cls.__name__}`",
        "",
        (cls.__doc__ or "").strip().splitlines()[0],
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for key, kind, default, doc in schema_rows(cls):
        doc = doc.replace("|", "\\|")
        lines.append(f"| `{key}` | {kind} | {default} | {doc} |")
    return "\n".join(lines)


def content_tables() -> str:
    records = [
        model.Brochure,
        model.Organisation,
        model.Link,
        model.Figure,
        model.CycleNode,
        model.Page,
        model.Entry,
    ]
    blocks = [
        c
        for c in vars(model).values()
        if isinstance(c, type) and issubclass(c, Tagged) and getattr(c, "tag", "")
    ]
    parts = [table(c) for c in records]
    parts.append(
        "## Blocks\n\nWritten in a page's `blocks:` list as `- kind: value`; "
        "the value may be written directly for the field marked *shorthand*."
    )
    for c in blocks:
        short = f"\n\nShorthand: `- {c.tag}: <{c.shorthand}>`" if c.shorthand else ""
        parts.append(
            table(c)
            + short
            + (
                f"\n\nSee also `{model.LabelledItem.__name__}` below."
                if c is model.LabelledList
                else ""
            )
        )
    parts.append(table(model.LabelledItem))
    return "\n\n".join(parts)


def theme_tables() -> str:
    return "\n\n".join(
        table(c)
        for c in (
            theme.Theme,
            theme.PageSetup,
            theme.Margins,
            theme.Colour,
            theme.FontFamily,
            theme.TextStyle,
            theme.FigureStyle,
        )
    )


def splice(path: Path, generated: str) -> str:
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{BEGIN}\n\n{generated}\n\n{END}", text)


def expected() -> dict[Path, str]:
    """What each generated doc should hold."""
    return {
        ROOT / "docs" / "content.md": splice(ROOT / "docs" / "content.md", content_tables()),
        ROOT / "docs" / "theme.md": splice(ROOT / "docs" / "theme.md", theme_tables()),
    }


if __name__ == "__main__":
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
