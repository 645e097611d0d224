"""Profile one build with pyinstrument, in a process of its own (run by ``bench/run.py``).

``cold``: the profiler starts before brochure is imported and runs ``brochure build``
as the command line does, so imports, font registration and everything else of a
fresh process are in it. ``warm``: one unprofiled build, then ``--runs`` builds
profiled together, as ``brochure watch`` makes them.

Writes pyinstrument's text tree to ``--text`` and prints JSON on stdout: the
profiled seconds and, per category of :data:`CATEGORIES`, the seconds spent in it.

    python bench/profile_child.py cold --content content --out DIR --text FILE \
        --edition print --edition screen
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyinstrument import Profiler

INTERVAL = 0.001
"""Sampling interval, in seconds."""

FLAT_TOP = 40
"""How many lines of the flat profile (functions by own time) to keep."""


@dataclass(frozen=True)
class Category:
    """Where some of the time goes: calls of ``functions`` in a file (or any, in a package)."""

    label: str
    where: str
    """The end of a file's path (``brochure/fonts.py``), or a package folder (``/pyphen/``)."""
    functions: frozenset[str] = frozenset()
    """Function names; empty for every function there."""
    level: int = 0
    """0 for a stage of the build, 1 for a part of the stage above it."""

    def matches(self, frame: Any) -> bool:
        path = (frame.file_path or "").replace("\\", "/")
        here = path.endswith(self.where) if self.where.endswith(".py") else self.where in path
        return here and (not self.functions or frame.function in self.functions)


def _cat(label: str, where: str, *functions: str, level: int = 0) -> Category:
    return Category(label, where, frozenset(functions), level)


IMPORTS = "imports (all modules, first use)"

CATEGORIES = (
    _cat("command line (argparse)", "brochure/cli.py", "_parser"),
    _cat("theme: read_theme", "brochure/validate.py", "read_theme"),
    _cat("fonts (from the cache, or TTF parsing)", "brochure/fonts.py", "load_fonts", level=1),
    _cat("theme YAML parsing", "brochure/load.py", "parse_yaml", level=1),
    _cat("content: read_content", "brochure/validate.py", "read_content"),
    _cat("content YAML parsing", "brochure/load.py", "parse_yaml", level=1),
    _cat("templates: render", "brochure/render.py", "render"),
    _cat("Jinja2 template compilation", "jinja2/environment.py", "compile", level=1),
    _cat("inline Markdown (markdown-it)", "brochure/render.py", "inline_markdown", level=1),
    _cat("markup parsing (expat -> blocks)", "brochure/markup.py", "parse_section", level=1),
    _cat("font registration (FontSet.register)", "brochure/fonts.py", "register"),
    _cat("layout: ReportLab", "brochure/layout/document.py", "layout"),
    _cat("building flowables (FlowBuilder.flow)", "brochure/layout/builder.py", "flow", level=1),
    _cat(
        "paragraph parsing (Paragraph.__init__)",
        "reportlab/platypus/paragraph.py",
        "__init__",
        level=2,
    ),
    _cat("glyph coverage check (FontSet.missing)", "brochure/fonts.py", "missing", level=2),
    _cat(
        "paragraph wrapping (breakLines)",
        "reportlab/platypus/paragraph.py",
        "breakLines",
        "breakLinesCJK",
        level=1,
    ),
    _cat("hyphenation (pyphen, incl. dictionary load)", "/pyphen/", level=2),
    _cat("drawing paragraphs (drawPara)", "reportlab/platypus/paragraph.py", "drawPara", level=1),
    _cat("font subsetting (makeSubset)", "reportlab/pdfbase/ttfonts.py", "makeSubset", level=1),
    _cat("PDF serialisation (Canvas.save)", "reportlab/pdfgen/canvas.py", "save", level=1),
    _cat("finish: pypdf", "brochure/finish/edition.py", "finish"),
    _cat(
        "finish: waiting for the forked workers (from 24 pages; not profiled)",
        "brochure/parallel.py",
        "_receive",
    ),
    _cat("PdfWriter(clone_from=...) (read + copy)", "pypdf/_writer.py", "__init__", level=1),
    _cat("RGB colour rewrite (recolour)", "brochure/finish/screen.py", "recolour", level=1),
    _cat("structure tree (PDF/UA)", "brochure/finish/structure.py", "add_structure", level=1),
    _cat("PDF/X output intent", "brochure/finish/pdfx.py", "apply_pdfx", level=1),
    _cat("PdfWriter.write (serialise)", "pypdf/_writer.py", "write", level=1),
    _cat("booklet imposition", "brochure/impose.py", "impose_booklet"),
    _cat("write files (write_atomic)", "brochure/output.py", "write_atomic"),
    _cat("fsync", "<built-in>", "fsync", level=1),
)


def _is_import(frame: Any) -> bool:
    return bool(frame.function == "_find_and_load")


def _outermost(frame: Any, match: Callable[[Any], bool], *, imports: bool = False) -> list[Any]:
    """The outermost frames at or below ``frame`` that ``match``, not looking inside imports."""
    if _is_import(frame) and not imports:
        return []
    if match(frame):
        return [frame]
    return [f for child in frame.children for f in _outermost(child, match, imports=imports)]


def _below(frames: list[Any], match: Callable[[Any], bool]) -> list[Any]:
    return [f for frame in frames for child in frame.children for f in _outermost(child, match)]


def _seconds(frames: list[Any]) -> float:
    """Time in ``frames``, less the imports they set off (counted once, under imports)."""
    imports = [
        f
        for frame in frames
        for child in frame.children
        for f in _outermost(child, _is_import, imports=True)
    ]
    return sum(float(f.time) for f in frames) - sum(float(f.time) for f in imports)


def breakdown(root: Any) -> dict[str, float]:
    """Seconds per category; imports are counted once, under :data:`IMPORTS`.

    A category of level n > 0 counts only inside the frames of the last category
    of level n - 1 above it in :data:`CATEGORIES`.
    """
    out = {IMPORTS: sum(float(f.time) for f in _outermost(root, _is_import, imports=True))}
    parents: list[list[Any]] = [[root]]
    for category in CATEGORIES:
        base = parents[category.level]
        if category.level == 0:
            frames = _outermost(root, category.matches)
        else:
            frames = _below(base, category.matches)
        del parents[category.level + 1 :]
        parents.append(frames)
        out[category.label] = _seconds(frames)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["cold", "warm"])
    parser.add_argument("--content", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--text", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--edition", action="append", default=[])
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)
    editions = [arg for e in args.edition for arg in ("--edition", e)]
    command = ["build", "-q", "--content", args.content, "--out", args.out, *editions]

    profiler = Profiler(interval=INTERVAL)
    if args.mode == "cold":
        profiler.start()
        from brochure.cli import main as brochure

        status = brochure(command)
        profiler.stop()
        if status:
            sys.exit(f"brochure build failed (exit status {status})")
        runs = 1
    else:
        from brochure.build import build

        content, out = Path(args.content), Path(args.out)
        build(content, out, args.edition or None)
        profiler.start()
        for _ in range(args.runs):
            build(content, out, args.edition or None)
        profiler.stop()
        runs = args.runs

    tree = profiler.output_text(unicode=True, color=False)
    flat = profiler.output_text(unicode=True, color=False, flat=True).strip().splitlines()
    body = [line for line in flat if line[:1].isdigit()]
    args.text.write_text(
        f"{tree.rstrip()}\n\nFunctions by own time (pyinstrument --flat), the top {FLAT_TOP}:\n\n"
        + "\n".join(body[:FLAT_TOP])
        + "\n",
        encoding="utf-8",
    )
    root = profiler.last_session.root_frame() if profiler.last_session else None
    total = float(root.time) if root is not None else 0.0
    parts = breakdown(root) if root is not None else {}
    print(json.dumps({"runs": runs, "total": total, "categories": parts}))


if __name__ == "__main__":
    main()
